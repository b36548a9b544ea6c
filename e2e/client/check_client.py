"""What a support script does with the Python client generated from the committed OpenAPI
document: sign in, create a personal API token, then — with the token only — read the
profile, list the organization's accounts, read the audit log, the own organization, its
contracts (with one's equipment) and its projects; staff upload a PDF with a Japanese name
to the contract, and the customer's script finds it and downloads the same bytes; staff
put the contract's equipment in the product catalog with a firmware file and write a
knowledge article, and the customer's script finds the series, downloads the firmware and
finds the article by a Japanese substring. Last, the customer's script files a ticket
about its equipment with a log sent as a resumable upload in two requests, staff answer
it, and the script reads the answer and downloads the log (a part of it by Range). Staff
add a Business Mobile contract, on which the script registers mobile lines (a bad one
named), finds one by a name prefix and renames it. Staff set up a PBX site, on which the
script creates an extension with the Office Link line from the site's pool, registers two
more from a Shift_JIS CSV file (after one refused with its bad row named), exports them,
moves the number with a transfer and back with a swap. On the same site the script builds
a priority hunting group and reorders it, a pickup group, sets the hold code and sees a
dial-confirm code that overlaps it refused with the conflict named, and reads the
forwarding overview. Staff ingest call records (twice: nothing doubles); the script sets
the secret question, answers it for a grant, lists the days and downloads a day's file in
Shift_JIS. Last, staff open a standard call-analytics subscription with a FreeDial number
and ingest a day of calls; the script reads the traffic report, downloads it as a deck, and
asks for the calls of every minute as a deck, which a job draws: it follows the job and
fetches the file the job stored.

Run by the e2e test `generated_python_client_works_against_the_server`:
    python check_client.py <base url> <login id> <password> <staff login id> <staff password>
"""

import datetime
import hashlib
import io
import sys
import time

from madoguchi_api_client import AuthenticatedClient, Client
from madoguchi_api_client.api.analytics import add_number, create_subscription
from madoguchi_api_client.api.analytics import download as download_report
from madoguchi_api_client.api.analytics import ingest as ingest_calls
from madoguchi_api_client.api.analytics import rendered_file
from madoguchi_api_client.api.analytics import report as read_report
from madoguchi_api_client.api.jobs import get_job
from madoguchi_api_client.api.accounts import (
    create_api_token,
    get_profile,
    list_accounts,
    list_audit_log,
)
from madoguchi_api_client.api.auth import sign_in
from madoguchi_api_client.api.contracts import create_contract, get_contract, list_contracts
from madoguchi_api_client.api.mobile import change_mobile_line, list_mobile_lines, register_mobile_lines
from madoguchi_api_client.api.pbx import (
    create_extension,
    create_site,
    export_csv,
    get_extension,
    import_csv,
    list_extensions,
    mobile_pool,
    swap,
    transfer,
)
from madoguchi_api_client.api.groups import (
    create_hunting_group,
    create_pickup_group,
    get_hunting_group,
    list_pickup_groups,
    order_hunting_members,
)
from madoguchi_api_client.api.pbx import change_feature_codes, forwarding_overview
from madoguchi_api_client.api.cdrs import answer_question, download_part, ingest, list_days, list_records, set_secret
from madoguchi_api_client.api.documents import download_document, list_documents, upload_document
from madoguchi_api_client.api.knowledge import create_article, get_article, search_articles
from madoguchi_api_client.api.organizations import get_organization, list_organizations
from madoguchi_api_client.api.products import add_entry, catalog, create_maker, create_series, download_entry, get_series
from madoguchi_api_client.api.projects import list_projects
from madoguchi_api_client.api.system import health
from madoguchi_api_client.api.tickets import (
    create_ticket,
    download_ticket_attachment,
    get_ticket,
    list_tickets,
    reply_to_ticket,
    ticket_products,
)
from madoguchi_api_client.api.uploads import create_upload, get_upload, send_bytes
from madoguchi_api_client.models import (
    CallBatch,
    CallInput,
    CallResult,
    DownloadFormat,
    Job,
    JobState,
    NumberKind,
    NumberRequest,
    Plan,
    ReportKind,
    SubscriptionRequest,
    ArticleCategory,
    ArticleRequest,
    ContractStatus,
    DocumentKind,
    DocumentUpload,
    EntryKind,
    EntryUpload,
    MakerRequest,
    CsvAction,
    ExportCsvEncoding,
    ExtensionRequest,
    CallRecordBatch,
    CallRecordInput,
    DownloadPartEncoding,
    GrantRequest,
    SecretRequest,
    FeatureCodesUpdate,
    HuntingGroupRequest,
    HuntingStrategy,
    MemberOrder,
    PickupGroupRequest,
    ForwardingChoice,
    ImportReport,
    SwapRequest,
    TransferRequest,
    MobileLinesRequest,
    SiteRequest,
    MobileLineUpdate,
    ListMobileLinesNameMatch,
    NewContractRequest,
    NewMobileLine,
    Problem,
    Service,
    NewApiTokenRequest,
    ReplyRequest,
    SeriesRequest,
    SignedIn,
    SignInRequest,
    TicketCategory,
    TicketKind,
    TicketRequest,
    UploadRequest,
)
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

    # The product catalog: a series covering the contract's first piece of equipment.
    maker = create_maker.sync(client=staff, body=MakerRequest(name="Python試験メーカー"))
    series = create_series.sync(
        client=staff,
        body=SeriesRequest(maker_id=maker.id, name="試験シリーズ", model_prefixes=[contract.equipment[0].model[:3]]),
    )
    firmware = bytes(range(256)) * 64
    entry = add_entry.sync(
        client=staff,
        id=series.id,
        body=EntryUpload(
            kind=EntryKind.DOWNLOAD,
            title="推奨ファームウェア",
            version="1.2.3",
            file=File(payload=io.BytesIO(firmware), file_name="firmware 1.2.3.bin"),
        ),
    )
    listed = catalog.sync(client=script)
    assert any(s.id == series.id for m in listed.makers for s in m.series), listed
    page = get_series.sync(client=script, id=series.id)
    assert [e.id for e in page.entries] == [entry.id], page
    assert download_entry.sync(client=script, id=entry.id).payload.read() == firmware

    # The knowledge base: found by a substring in the middle of a Japanese sentence.
    article = create_article.sync(
        client=staff,
        body=ArticleRequest(
            category=ArticleCategory.TROUBLE_CASE,
            series_id=series.id,
            title="更新後に再起動を繰り返す",
            body="ファームウェア更新後、装置が**再起動**を繰り返す場合の対処です。",
        ),
    )
    found = search_articles.sync(client=script, q="再起動")
    assert article.id in [a.id for a in found.items], found
    assert get_article.sync(client=script, id=article.id).series_name == "試験シリーズ"
    # Tickets: a log in two requests (as after a cut connection), a ticket, staff's answer.
    product = ticket_products.sync(client=script)[0]
    log = ("show log messages 再起動\n" * 2000).encode()
    upload = create_upload.sync(client=script, body=UploadRequest(file_name="障害ログ.txt", size_bytes=len(log)))
    half = len(log) // 2
    send_bytes.sync(client=script, id=upload.id, body=File(payload=io.BytesIO(log[:half])), upload_offset=0)
    offset = get_upload.sync(client=script, id=upload.id).offset
    assert offset == half, offset
    done = send_bytes.sync(client=script, id=upload.id, body=File(payload=io.BytesIO(log[offset:])), upload_offset=offset)
    assert done.complete and done.sha256 == hashlib.sha256(log).hexdigest(), done
    ticket = create_ticket.sync(
        client=script,
        body=TicketRequest(
            kind=TicketKind.INCIDENT,
            product=product.product,
            subject="再起動を繰り返す",
            contract_number=product.contract_number,
            serial_number=product.serial_number,
            category=TicketCategory.FAULT,
            body="ファームウェア更新後に再起動を繰り返します。",
            attachments=[upload.id],
        ),
    )
    assert ticket.number.startswith("T-"), ticket
    reply_to_ticket.sync(client=staff, id=ticket.id, body=ReplyRequest(body="ログを確認します。"))
    answered = get_ticket.sync(client=script, id=ticket.id)
    assert [e.body for e in answered.events if e.body] == ["ログを確認します。"], answered.events
    attachment = answered.attachments[0]
    assert download_ticket_attachment.sync(client=script, id=attachment.id).payload.read() == log
    part = download_ticket_attachment.sync(client=script, id=attachment.id, range_="bytes=0-16")
    assert part.payload.read() == log[:17]
    assert ticket.id in [t.id for t in list_tickets.sync(client=script).items]
    # Mobile lines on a Business Mobile contract: all or none, the bad line named.
    today = datetime.date.today()
    mobile = create_contract.sync(
        client=staff,
        body=NewContractRequest(
            organization_id=own.id,
            contract_number="BM00000001",
            service=Service.BUSINESS_MOBILE,
            starts_on=today - datetime.timedelta(days=1),
            ends_on=today + datetime.timedelta(days=730),
            status=ContractStatus.ACTIVE,
        ),
    )
    lines = [NewMobileLine(user_name="営業部 山田", mobile_number="09087654321", office_link=True)]
    refused = register_mobile_lines.sync(
        client=script,
        body=MobileLinesRequest(contract_id=mobile.id, lines=lines + [NewMobileLine(user_name="総務部", mobile_number="0312345678")]),
    )
    assert isinstance(refused, Problem) and [e.field for e in refused.errors] == ["lines[1].mobile_number"], refused
    assert list_mobile_lines.sync(client=script).total == 0, "nothing of a refused request is kept"
    registered = register_mobile_lines.sync(client=script, body=MobileLinesRequest(contract_id=mobile.id, lines=lines))
    assert registered[0].deletable_from == registered[0].registered_on + datetime.timedelta(days=30), registered
    found_lines = list_mobile_lines.sync(client=script, name="営業", name_match=ListMobileLinesNameMatch.PREFIX)
    assert [line.mobile_number for line in found_lines.items] == ["09087654321"], found_lines
    renamed = change_mobile_line.sync(client=script, id=registered[0].id, body=MobileLineUpdate(user_name="営業部 山田太郎"))
    assert renamed.user_name == "営業部 山田太郎", renamed
    # A PBX site (staff) and an extension with the pool's number; no password comes back.
    site = create_site.sync(
        client=staff,
        body=SiteRequest(
            organization_id=own.id,
            name="本社",
            domain_name="pbx.client-check.example.jp",
            site_number="12",
            park_hold_code="*8",
        ),
    )
    pool = mobile_pool.sync(client=script, id=site.id)
    assert [line.mobile_number for line in pool] == ["09087654321"], pool
    extension = create_extension.sync(
        client=script,
        id=site.id,
        body=ExtensionRequest(number="2001", web_user="yamada", web_password="Abcd1234", mobile_number=pool[0].mobile_number),
    )
    assert extension.sip_user == "2001" and extension.mobile_number == "09087654321", extension
    assert "web_password" not in get_extension.sync(client=script, id=extension.id).to_dict()
    assert list_extensions.sync(client=script, id=site.id).total == 1
    # Two more from a Shift_JIS CSV file: a bad row is named, then the fixed file applies.
    def csv_file(text: str) -> File:
        return File(payload=io.BytesIO(text.encode("shift_jis")), file_name="naisen.csv", mime_type="text/csv")

    bad_csv = "2002,,0000000000,,,0,0,suzuki,Efgh5678,0\r\n２００３,,0000000000,,,0,0,sato,Ijkl9012,0\r\n"
    refused_csv = import_csv.sync(client=script, id=site.id, body=csv_file(bad_csv), action=CsvAction.REGISTER)
    assert isinstance(refused_csv, Problem) and [(r.line, r.column, r.code) for r in refused_csv.rows] == [
        (2, "A", "not_half_width")
    ], refused_csv
    report = import_csv.sync(
        client=script, id=site.id, body=csv_file(bad_csv.replace("２００３", "2003")), action=CsvAction.REGISTER
    )
    assert isinstance(report, ImportReport) and report.applied == 2 and report.encoding.value == "ascii", report
    exported = export_csv.sync_detailed(client=script, id=site.id, encoding=ExportCsvEncoding.SHIFT_JIS)
    exported_lines = exported.content.decode("shift_jis").splitlines()
    assert exported_lines[0] == "2001,09087654321,000000000000,2001,2001,0,0,yamada,Abcd1234,0", exported_lines
    assert len(exported_lines) == 3, exported_lines
    # The number moves to 2002 (2001 keeps its profile), then back by a swap.
    moved = transfer.sync(
        client=script, id=list_extensions.sync(client=script, id=site.id, q="2002").items[0].id,
        body=TransferRequest(mobile_number="090-8765-4321", forwarding=ForwardingChoice.CLEAR),
    )
    assert moved.extension.mobile_number == "09087654321" and moved.released.number == "2001", moved
    swapped = swap.sync(client=script, id=site.id, body=SwapRequest(first=moved.extension.id, second=extension.id))
    assert swapped.second.mobile_number == "09087654321" and swapped.first.mobile_number is None, swapped
    # Groups: a priority hunting group reordered, a pickup group counted in the list.
    ids = {item.number: item.id for item in list_extensions.sync(client=script, id=site.id).items}
    hunting = create_hunting_group.sync(
        client=script,
        id=site.id,
        body=HuntingGroupRequest(
            number="10", representative_extension_id=ids["2001"], strategy=HuntingStrategy.PRIORITY,
            members=[ids["2002"], ids["2003"]],
        ),
    )
    reordered = order_hunting_members.sync(
        client=script, id=hunting.id, body=MemberOrder(extension_ids=[ids["2003"], ids["2002"]])
    )
    assert [member.number for member in reordered.members] == ["2003", "2002"], reordered
    assert [m.number for m in get_hunting_group.sync(client=script, id=hunting.id).members] == ["2003", "2002"]
    create_pickup_group.sync(client=script, id=site.id, body=PickupGroupRequest(number="1", members=[ids["2001"], ids["2002"]]))
    pickups = list_pickup_groups.sync(client=script, id=site.id)
    assert [(g.number, g.member_count) for g in pickups.items] == [("1", 2)] and pickups.limit == 4096, pickups
    # Feature codes: hold #7, then dial-confirm #71 refused with the overlap named.
    codes = change_feature_codes.sync(client=script, id=site.id, body=FeatureCodesUpdate(hold_code="#7"))
    assert codes.hold_code == "#7", codes
    clash = change_feature_codes.sync(client=script, id=site.id, body=FeatureCodesUpdate(dial_confirm_code="#71"))
    assert isinstance(clash, Problem) and clash.code == "code_conflict", clash
    assert {(c.field, c.item.value, c.item_value) for c in clash.conflicts} == {
        ("hold_code", "dial_confirm_code", "#71"), ("dial_confirm_code", "hold_code", "#7")
    }, clash
    overview = forwarding_overview.sync(client=script, id=site.id, q="2001")
    assert [entry.number for entry in overview.items] == ["2001"], overview
    # Call records: ingested twice by staff (nothing doubles), read with the secret's grant.
    day = datetime.date.today()
    batch = CallRecordBatch(
        records=[
            CallRecordInput(
                record_id=f"py-{n}", attempted_at=datetime.datetime.combine(day, datetime.time(9, n)),
                connected=True, caller="2001", callee="0312345678", cause_code="016",
            )
            for n in range(3)
        ]
    )
    assert ingest.sync(client=staff, id=site.id, body=batch).inserted == 3
    assert ingest.sync(client=staff, id=site.id, body=batch).duplicates == 3
    set_secret.sync(client=script, id=site.id, body=SecretRequest(question="合言葉は？", answer="やまかわ"))
    wrong = answer_question.sync(client=script, id=site.id, body=GrantRequest(answer="うみ"))
    assert isinstance(wrong, Problem) and wrong.errors[0].code == "wrong_answer", wrong
    grant = answer_question.sync(client=script, id=site.id, body=GrantRequest(answer="やまかわ")).grant
    days = list_days.sync(client=script, id=site.id, x_cdr_grant=grant)
    assert [(d.day, d.records, d.parts) for d in days] == [(day, 3, 1)], days
    assert list_records.sync(client=script, id=site.id, x_cdr_grant=grant).total == 3
    day_file = download_part.sync_detailed(
        client=script, id=site.id, day=day, part=1, encoding=DownloadPartEncoding.SHIFT_JIS, x_cdr_grant=grant
    )
    cdr_lines = day_file.content.decode("shift_jis").splitlines()
    assert cdr_lines[0].startswith("発呼時刻,通話開始時刻") and len(cdr_lines) == 4, cdr_lines

    # Call analytics: a standard subscription, a day of calls, the traffic report and decks.
    subscription = create_subscription.sync(
        client=staff, body=SubscriptionRequest(organization_id=me.organization.id, opid="OPPYCLIENT", plan=Plan.STANDARD)
    )
    add_number.sync(client=staff, id=subscription.id, body=NumberRequest(kind=NumberKind.AN, number="0120-987-654"))
    add_number.sync(client=staff, id=subscription.id, body=NumberRequest(kind=NumberKind.DN, number="06-1234-5678"))
    yesterday = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=9)).date() - datetime.timedelta(days=1)
    calls = CallBatch(
        records=[
            CallInput(
                record_id=f"py-call-{n}", called_at=f"{yesterday}T10:{n:02d}:00+09:00", an="0120987654",
                caller="0312345678", dn="0612345678", duration_seconds=60 + n, result=CallResult.COMPLETED,
            )
            for n in range(7)
        ]
    )
    ingested = ingest_calls.sync(client=staff, id=subscription.id, body=calls)
    assert not isinstance(ingested, Problem) and ingested.inserted == 7, ingested.to_dict()
    traffic = read_report.sync(client=script, id=subscription.id, report=ReportKind.RECENT_TRAFFIC, from_=yesterday, to=yesterday)
    assert traffic.totals[0] == 7, traffic.totals
    small = download_report.sync_detailed(
        client=script, id=subscription.id, report=ReportKind.RECENT_TRAFFIC, format_=DownloadFormat.PPTX, from_=yesterday, to=yesterday
    )
    assert small.status_code == 200 and small.content[:2] == b"PK", small.status_code
    drawing = download_report.sync_detailed(
        client=script, id=subscription.id, report=ReportKind.PER_MINUTE, format_=DownloadFormat.PPTX, from_=yesterday, to=yesterday
    )
    assert drawing.status_code == 202 and isinstance(drawing.parsed, Job), drawing.status_code
    job = drawing.parsed
    for _ in range(300):
        job = get_job.sync(client=script, id=job.id)
        if job.state in (JobState.DONE, JobState.FAILED):
            break
        time.sleep(0.1)
    assert job.state == JobState.DONE, job
    assert job.result["href"] == f"/api/v1/analytics/downloads/{job.id}", job.result
    deck = rendered_file.sync_detailed(client=script, id=job.id)
    assert deck.content[:2] == b"PK" and len(deck.content) == job.result["size"], len(deck.content)

    print(
        f"ok: {me.full_name}, {accounts.total} account(s), {len(audit.items)} audit event(s), {own.name}, "
        f"contract {contract.contract_number} with {len(contract.equipment)} piece(s) of equipment, "
        f"document {uploaded.number} ({uploaded.size_bytes} bytes), series {page.name} with "
        f"{len(page.entries)} entry, article #{article.id} found by 再起動, ticket {ticket.number} answered, "
        f"mobile line {renamed.mobile_number} registered, extension {extension.number} on {site.name}, "
        f"{report.applied} more by CSV, exported, transferred and swapped back, hunting group {hunting.number} "
        f"reordered, a hold code's overlap refused, {len(cdr_lines) - 1} call records downloaded, "
        f"{traffic.totals[0]:.0f} analytics calls reported, a deck of {len(deck.content)} bytes drawn by job {job.id}"
    )


if __name__ == "__main__":
    main()
