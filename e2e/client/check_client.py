"""What a support script does with the Python client generated from the committed OpenAPI
document: sign in, create a personal API token, then — with the token only — read the
profile, list the organization's accounts, read the audit log, the own organization, its
contracts (with one's equipment) and its projects; staff upload a PDF with a Japanese name
to the contract, and the customer's script finds it and downloads the same bytes.

Run by the e2e test `generated_python_client_works_against_the_server`:
    python check_client.py <base url> <login id> <password> <staff login id> <staff password>
"""

import datetime
import hashlib
import io
import sys

from madoguchi_api_client import AuthenticatedClient, Client
from madoguchi_api_client.api.accounts import (
    create_api_token,
    get_profile,
    list_accounts,
    list_audit_log,
)
from madoguchi_api_client.api.auth import sign_in
from madoguchi_api_client.api.contracts import get_contract, list_contracts
from madoguchi_api_client.api.documents import download_document, list_documents, upload_document
from madoguchi_api_client.api.organizations import get_organization, list_organizations
from madoguchi_api_client.api.projects import list_projects
from madoguchi_api_client.api.system import health
from madoguchi_api_client.models import DocumentKind, DocumentUpload, NewApiTokenRequest, SignedIn, SignInRequest
from madoguchi_api_client.types import File


def main() -> None:
    base_url, login_id, password, staff_login_id, staff_password = sys.argv[1:6]
    public = Client(base_url=base_url, raise_on_unexpected_status=True)

    status = health.sync(client=public)
    assert status.database.reachable, status

    answer = sign_in.sync(client=public, body=SignInRequest(login_id=login_id, password=password))
    assert isinstance(answer, SignedIn), answer
    session = AuthenticatedClient(base_url=base_url, token=answer.access_token, raise_on_unexpected_status=True)
    created = create_api_token.sync(client=session, body=NewApiTokenRequest(name="support script"))
    assert created.token.startswith("mdg_"), created

    script = AuthenticatedClient(base_url=base_url, token=created.token, raise_on_unexpected_status=True)
    me = get_profile.sync(client=script)
    assert me.login_id == login_id, me
    assert "add_accounts" in [permission.value for permission in me.permissions], me.permissions
    accounts = list_accounts.sync(client=script)
    assert accounts.total >= 1 and any(account.login_id == login_id for account in accounts.items), accounts
    audit = list_audit_log.sync(client=script, limit=5)
    assert any(event.action.value == "api_token_created" for event in audit.items), audit
    organizations = list_organizations.sync(client=script, q=me.organization.name)
    assert organizations.total == 1 and organizations.items[0].id == me.organization.id, organizations
    own = get_organization.sync(client=script, id=me.organization.id)
    assert own.customer_number == me.organization.customer_number and own.accounts >= 1, own
    contracts = list_contracts.sync(client=script, q="ABC1234567")
    assert contracts.total == 1 and contracts.items[0].organization.id == own.id, contracts
    contract = get_contract.sync(client=script, id=contracts.items[0].id)
    assert contract.contract_number == "ABC1234567" and len(contract.equipment) == contract.equipment_count >= 1, contract
    projects = list_projects.sync(client=script)
    assert projects.total == 0, projects

    staff_answer = sign_in.sync(client=public, body=SignInRequest(login_id=staff_login_id, password=staff_password))
    staff = AuthenticatedClient(base_url=base_url, token=staff_answer.access_token, raise_on_unexpected_status=True)
    pdf = b"%PDF-1.7\n" + b"% madoguchi\n" * 1000 + b"%%EOF\n"
    uploaded = upload_document.sync(
        client=staff,
        id=contract.id,
        body=DocumentUpload(
            kind=DocumentKind.QUOTE,
            number="Q-PY-1",
            title="更新見積書",
            issued_on=datetime.date(2026, 10, 1),
            amount_yen="550000",
            file=File(payload=io.BytesIO(pdf), file_name="更新見積書.pdf", mime_type="application/pdf"),
        ),
    )
    assert uploaded.sha256 == hashlib.sha256(pdf).hexdigest() and uploaded.file_name == "更新見積書.pdf", uploaded
    documents = list_documents.sync(client=script, contract_id=contract.id)
    assert documents.total == 1 and documents.items[0].id == uploaded.id, documents
    downloaded = download_document.sync(client=script, id=uploaded.id)
    assert downloaded.payload.read() == pdf, "the download differs from the upload"
    print(
        f"ok: {me.full_name}, {accounts.total} account(s), {len(audit.items)} audit event(s), {own.name}, "
        f"contract {contract.contract_number} with {len(contract.equipment)} piece(s) of equipment, "
        f"document {uploaded.number} ({uploaded.size_bytes} bytes)"
    )


if __name__ == "__main__":
    main()
