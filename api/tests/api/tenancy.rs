//! Tenant isolation, endpoint by endpoint: every operation that takes an id answers another
//! organization's id exactly as a missing one (status and problem code), and changes
//! nothing. A new id-taking endpoint adds a row to [`ENDPOINTS`].

use madoguchi_api::accounts::{AccountId, Role};
use madoguchi_api::db;
use madoguchi_api::domain::DisplayName;
use madoguchi_api::jobs::{self, JobKind, NewJob};
use madoguchi_api::organizations::OrganizationId;
use madoguchi_api::projects;
use madoguchi_api::schema::{
    analytics_groups, analytics_numbers, analytics_subscriptions, contract_equipment, contracts, documents,
    extensions, hunting_group_members, hunting_groups, knowledge_articles, knowledge_attachments,
    mobile_lines, pbx_sites, pickup_group_members, pickup_groups, product_entries, product_makers,
    product_series, product_series_models, ticket_attachments, tickets, uploads,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Answer, TestApp, spawn_app};

/// The kinds of ids the endpoints take.
#[derive(Debug, Clone, Copy)]
enum Id {
    Account,
    Organization,
    Job,
    Contract,
    Project,
    /// A project and an account of the same organization: `{}` then `{account}`.
    ProjectMember,
    Document,
    Series,
    ProductEntry,
    Article,
    Attachment,
    Ticket,
    TicketAttachment,
    Upload,
    MobileLine,
    Site,
    Extension,
    PickupGroup,
    HuntingGroup,
    Subscription,
    NumberGroup,
    /// A report file a job drew, for the organization's administrator.
    Rendering,
}

/// The ids of one organization's records.
struct Records {
    account: i64,
    organization: i64,
    job: i64,
    rendering: i64,
    contract: i64,
    project: i64,
    document: i64,
    series: i64,
    product_entry: i64,
    article: i64,
    attachment: i64,
    ticket: i64,
    ticket_attachment: i64,
    upload: i64,
    mobile_line: i64,
    site: i64,
    extension: i64,
    pickup_group: i64,
    hunting_group: i64,
    subscription: i64,
    number_group: i64,
}

impl Records {
    fn get(&self, id: Id) -> i64 {
        match id {
            Id::Account => self.account,
            Id::Organization => self.organization,
            Id::Job => self.job,
            Id::Rendering => self.rendering,
            Id::Contract => self.contract,
            Id::Project | Id::ProjectMember => self.project,
            Id::Document => self.document,
            Id::Series => self.series,
            Id::ProductEntry => self.product_entry,
            Id::Article => self.article,
            Id::Attachment => self.attachment,
            Id::Ticket => self.ticket,
            Id::TicketAttachment => self.ticket_attachment,
            Id::Upload => self.upload,
            Id::MobileLine => self.mobile_line,
            Id::Site => self.site,
            Id::Extension => self.extension,
            Id::PickupGroup => self.pickup_group,
            Id::HuntingGroup => self.hunting_group,
            Id::Subscription => self.subscription,
            Id::NumberGroup => self.number_group,
        }
    }
}

/// Method, path with `{}` for the id, the id's kind, a body for writes.
const ENDPOINTS: &[(&str, &str, Id, Option<&str>)] = &[
    ("GET", "/api/v1/accounts/{}", Id::Account, None),
    (
        "PATCH",
        "/api/v1/accounts/{}",
        Id::Account,
        Some(r#"{"status": "disabled"}"#),
    ),
    ("POST", "/api/v1/accounts/{}/unlock", Id::Account, Some("{}")),
    ("GET", "/api/v1/organizations/{}", Id::Organization, None),
    (
        "PATCH",
        "/api/v1/organizations/{}",
        Id::Organization,
        Some(r#"{"name": "乗っ取り"}"#),
    ),
    ("GET", "/api/v1/jobs/{}", Id::Job, None),
    ("GET", "/api/v1/analytics/downloads/{}", Id::Rendering, None),
    ("GET", "/api/v1/contracts/{}", Id::Contract, None),
    (
        "PATCH",
        "/api/v1/contracts/{}",
        Id::Contract,
        Some(r#"{"status": "cancelled"}"#),
    ),
    ("GET", "/api/v1/projects/{}", Id::Project, None),
    (
        "PATCH",
        "/api/v1/projects/{}",
        Id::Project,
        Some(r#"{"name": "乗っ取り"}"#),
    ),
    ("DELETE", "/api/v1/projects/{}", Id::Project, None),
    (
        "PUT",
        "/api/v1/projects/{}/members/{account}",
        Id::ProjectMember,
        None,
    ),
    (
        "DELETE",
        "/api/v1/projects/{}/members/{account}",
        Id::ProjectMember,
        None,
    ),
    ("POST", "/api/v1/contracts/{}/documents", Id::Contract, Some("{}")),
    ("GET", "/api/v1/documents/{}", Id::Document, None),
    ("GET", "/api/v1/documents/{}/file", Id::Document, None),
    ("DELETE", "/api/v1/documents/{}", Id::Document, None),
    ("POST", "/api/v1/documents/{}/order", Id::Document, Some("{}")),
    (
        "POST",
        "/api/v1/documents/{}/requote",
        Id::Document,
        Some(r#"{"comment": "乗っ取り"}"#),
    ),
    ("GET", "/api/v1/products/series/{}", Id::Series, None),
    (
        "PUT",
        "/api/v1/products/series/{}",
        Id::Series,
        Some(r#"{"maker_id": 1, "name": "乗っ取り", "model_prefixes": ["X"]}"#),
    ),
    ("DELETE", "/api/v1/products/series/{}", Id::Series, None),
    (
        "POST",
        "/api/v1/products/series/{}/entries",
        Id::Series,
        Some("{}"),
    ),
    ("GET", "/api/v1/products/entries/{}/file", Id::ProductEntry, None),
    ("DELETE", "/api/v1/products/entries/{}", Id::ProductEntry, None),
    ("GET", "/api/v1/knowledge/{}", Id::Article, None),
    (
        "PUT",
        "/api/v1/knowledge/{}",
        Id::Article,
        Some(r#"{"category": "qa", "title": "乗っ取り", "body": "乗っ取り"}"#),
    ),
    ("DELETE", "/api/v1/knowledge/{}", Id::Article, None),
    (
        "POST",
        "/api/v1/knowledge/{}/attachments",
        Id::Article,
        Some("{}"),
    ),
    (
        "GET",
        "/api/v1/knowledge/attachments/{}/file",
        Id::Attachment,
        None,
    ),
    ("DELETE", "/api/v1/knowledge/attachments/{}", Id::Attachment, None),
    ("GET", "/api/v1/tickets/{}", Id::Ticket, None),
    (
        "PATCH",
        "/api/v1/tickets/{}",
        Id::Ticket,
        Some(r#"{"status": "closed"}"#),
    ),
    (
        "POST",
        "/api/v1/tickets/{}/replies",
        Id::Ticket,
        Some(r#"{"body": "乗っ取り"}"#),
    ),
    (
        "POST",
        "/api/v1/tickets/{}/progress",
        Id::Ticket,
        Some(r#"{"body": "乗っ取り"}"#),
    ),
    (
        "GET",
        "/api/v1/tickets/attachments/{}/file",
        Id::TicketAttachment,
        None,
    ),
    ("GET", "/api/v1/uploads/{}", Id::Upload, None),
    ("DELETE", "/api/v1/uploads/{}", Id::Upload, None),
    ("GET", "/api/v1/mobile-lines/{}", Id::MobileLine, None),
    (
        "PATCH",
        "/api/v1/mobile-lines/{}",
        Id::MobileLine,
        Some(r#"{"user_name": "乗っ取り"}"#),
    ),
    // Registered 40 days ago: deletable, were it the caller's.
    ("DELETE", "/api/v1/mobile-lines/{}", Id::MobileLine, None),
    ("GET", "/api/v1/pbx-sites/{}", Id::Site, None),
    ("GET", "/api/v1/pbx-sites/{}/extensions", Id::Site, None),
    ("GET", "/api/v1/pbx-sites/{}/mobile-pool", Id::Site, None),
    (
        "POST",
        "/api/v1/pbx-sites/{}/extensions",
        Id::Site,
        Some(r#"{"number": "3999", "web_user": "intruder", "web_password": "Abcd1234"}"#),
    ),
    ("GET", "/api/v1/extensions/{}", Id::Extension, None),
    (
        "PATCH",
        "/api/v1/extensions/{}",
        Id::Extension,
        Some(r#"{"sip_user": "intruder"}"#),
    ),
    (
        "PUT",
        "/api/v1/extensions/{}/mobile",
        Id::Extension,
        Some(r#"{"mobile_number": "09099999999"}"#),
    ),
    ("DELETE", "/api/v1/extensions/{}/mobile", Id::Extension, None),
    ("GET", "/api/v1/extensions/{}/forwarding", Id::Extension, None),
    (
        "PUT",
        "/api/v1/extensions/{}/forwarding",
        Id::Extension,
        Some(r#"{"always": "0312345678"}"#),
    ),
    ("DELETE", "/api/v1/extensions/{}", Id::Extension, None),
    (
        "POST",
        "/api/v1/pbx-sites/{}/extensions/csv?action=delete&force=true",
        Id::Site,
        Some(r#"{}"#),
    ),
    ("GET", "/api/v1/pbx-sites/{}/extensions/csv", Id::Site, None),
    (
        "POST",
        "/api/v1/pbx-sites/{}/extensions/swap",
        Id::Site,
        Some(r#"{"first": 1, "second": 2}"#),
    ),
    (
        "POST",
        "/api/v1/extensions/{}/transfer",
        Id::Extension,
        Some(r#"{"mobile_number": "09099999999"}"#),
    ),
    ("GET", "/api/v1/pbx-sites/{}/feature-codes", Id::Site, None),
    (
        "PATCH",
        "/api/v1/pbx-sites/{}/feature-codes",
        Id::Site,
        Some(r##"{"hold_code": "#9"}"##),
    ),
    (
        "POST",
        "/api/v1/pbx-sites/{}/feature-codes/check",
        Id::Site,
        Some(r##"{"hold_code": "#9"}"##),
    ),
    ("GET", "/api/v1/pbx-sites/{}/forwarding", Id::Site, None),
    ("GET", "/api/v1/pbx-sites/{}/pickup-groups", Id::Site, None),
    (
        "POST",
        "/api/v1/pbx-sites/{}/pickup-groups",
        Id::Site,
        Some(r#"{"number": "99"}"#),
    ),
    ("GET", "/api/v1/pickup-groups/{}", Id::PickupGroup, None),
    (
        "POST",
        "/api/v1/pickup-groups/{}/members",
        Id::PickupGroup,
        Some(r#"{"extension_id": 1}"#),
    ),
    (
        "DELETE",
        "/api/v1/pickup-groups/{}/members/1",
        Id::PickupGroup,
        None,
    ),
    ("DELETE", "/api/v1/pickup-groups/{}", Id::PickupGroup, None),
    ("GET", "/api/v1/pbx-sites/{}/hunting-groups", Id::Site, None),
    (
        "POST",
        "/api/v1/pbx-sites/{}/hunting-groups",
        Id::Site,
        Some(r#"{"number": "99", "representative_extension_id": 1, "strategy": "priority"}"#),
    ),
    ("GET", "/api/v1/hunting-groups/{}", Id::HuntingGroup, None),
    (
        "PATCH",
        "/api/v1/hunting-groups/{}",
        Id::HuntingGroup,
        Some(r#"{"strategy": "round_robin"}"#),
    ),
    (
        "POST",
        "/api/v1/hunting-groups/{}/members",
        Id::HuntingGroup,
        Some(r#"{"extension_id": 1}"#),
    ),
    (
        "PUT",
        "/api/v1/hunting-groups/{}/member-order",
        Id::HuntingGroup,
        Some(r#"{"extension_ids": []}"#),
    ),
    (
        "DELETE",
        "/api/v1/hunting-groups/{}/members/1",
        Id::HuntingGroup,
        None,
    ),
    ("DELETE", "/api/v1/hunting-groups/{}", Id::HuntingGroup, None),
    // Staff ingest: a customer is refused alike for every site.
    (
        "POST",
        "/api/v1/pbx-sites/{}/call-records",
        Id::Site,
        Some(r#"{"records": []}"#),
    ),
    ("GET", "/api/v1/pbx-sites/{}/cdr-secret", Id::Site, None),
    (
        "PUT",
        "/api/v1/pbx-sites/{}/cdr-secret",
        Id::Site,
        Some(r#"{"question": "乗っ取り", "answer": "乗っ取り"}"#),
    ),
    (
        "POST",
        "/api/v1/pbx-sites/{}/cdr-grants",
        Id::Site,
        Some(r#"{"answer": "乗っ取り"}"#),
    ),
    // Read with a grant of the secret question: without one, the caller's own site answers
    // 403 `cdr_grant_required` — but only after another organization's answered 404.
    ("GET", "/api/v1/pbx-sites/{}/call-records", Id::Site, None),
    ("GET", "/api/v1/pbx-sites/{}/call-days", Id::Site, None),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/groups",
        Id::Subscription,
        None,
    ),
    (
        "POST",
        "/api/v1/analytics/subscriptions/{}/groups",
        Id::Subscription,
        Some(r#"{"kind": "an", "name": "本社窓口", "numbers": []}"#),
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/reports",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/reports/recent_traffic",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/reports/origins?weekdays=1,2",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/reports/recent_traffic/chart.svg",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/reports/recent_traffic/download/pptx",
        Id::Subscription,
        None,
    ),
    (
        "PUT",
        "/api/v1/analytics/groups/{}",
        Id::NumberGroup,
        Some(r#"{"kind": "an", "name": "改名", "numbers": []}"#),
    ),
    ("DELETE", "/api/v1/analytics/groups/{}", Id::NumberGroup, None),
    (
        "PUT",
        "/api/v1/analytics/subscriptions/{}/plan",
        Id::Subscription,
        Some(r#"{"plan": "free"}"#),
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/own-data",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/analytics/subscriptions/{}/child-ids",
        Id::Subscription,
        None,
    ),
    (
        "POST",
        "/api/v1/analytics/subscriptions/{}/child-ids",
        Id::Subscription,
        Some(r#"{"full_name": "乗っ取り", "email": "nottori@example.co.jp"}"#),
    ),
    // The subscription decides first: another organization's answers 404 whatever the
    // account.
    (
        "PUT",
        "/api/v1/analytics/subscriptions/{}/child-ids/1",
        Id::Subscription,
        Some(r#"{"disabled": true}"#),
    ),
    (
        "DELETE",
        "/api/v1/analytics/subscriptions/{}/child-ids/1",
        Id::Subscription,
        None,
    ),
    (
        "GET",
        "/api/v1/pbx-sites/{}/call-days/2026-12-01/parts/1",
        Id::Site,
        None,
    ),
];

const MISSING: i64 = 987_654_321;

async fn records_of(app: &TestApp, number: &str, name: &str, domain: &str, admin: &str) -> Records {
    let organization = app
        .organization_with_contract(number, name, &format!("hosyu@{domain}"))
        .await;
    // Jobs are their creator's (and staff's): the administrator starts this one.
    let creator = app.account(Some(organization), admin, Role::UserAdmin).await;
    let account: AccountId = app
        .account(Some(organization), &format!("{admin}-member"), Role::InquiryStaff)
        .await;
    let now = app.clock.now_naive();
    let (
        [job, rendering],
        contract,
        project,
        document,
        [series, product_entry, article, attachment],
        [ticket, ticket_attachment, upload, mobile_line, site, extension],
        [pickup_group, hunting_group],
        [subscription, number_group],
    ) = db::transaction(&app.pool, move |conn| {
        use diesel::prelude::*;
        let job = jobs::enqueue(
            conn,
            &NewJob::new(JobKind::PurgeExpired, &json!({})).created_by(creator, Some(organization)),
            now,
        )?;
        // A deck a job drew, done (in this transaction, so no worker sees it queued).
        let rendering = jobs::enqueue(
            conn,
            &NewJob::new(JobKind::RenderReport, &json!({})).created_by(creator, Some(organization)),
            now,
        )?;
        let result = json!({
            "format": "pptx",
            "file_name": "per_minute.pptx",
            "size": 1,
            "href": format!("/api/v1/analytics/downloads/{rendering}"),
            "expires_at": (now + chrono::TimeDelta::days(1)).and_utc(),
        });
        diesel::update(madoguchi_api::schema::jobs::table.find(rendering))
            .set((
                madoguchi_api::schema::jobs::state.eq(madoguchi_api::jobs::JobState::Done),
                madoguchi_api::schema::jobs::result.eq(Some(result.to_string())),
                madoguchi_api::schema::jobs::finished_at.eq(Some(now)),
            ))
            .execute(conn)?;
        let contract: i64 = contracts::table
            .filter(contracts::organization_id.eq(organization))
            .select(contracts::id)
            .first(conn)?;
        let name = DisplayName::parse("案件").expect("valid");
        let project = projects::insert(conn, organization, &name, &name, now)?;
        // A row is enough: the tenancy answer comes before the file is read.
        let document: i64 = diesel::insert_into(documents::table)
            .values((
                documents::organization_id.eq(organization),
                documents::contract_id.eq(contract),
                documents::kind.eq("quote"),
                documents::number.eq("Q-1"),
                documents::title.eq("見積書"),
                documents::issued_on.eq(now.date()),
                documents::file_name.eq("q.pdf"),
                documents::size_bytes.eq(0_i64),
                documents::sha256.eq(""),
                documents::storage_key.eq(format!("documents/tenancy-{}.pdf", organization.0)),
                documents::created_at.eq(now),
            ))
            .returning(documents::id)
            .get_result(conn)?;
        // Equipment only this organization has, a series covering it with a stored file,
        // and an article of the series with an attachment.
        let model = format!("MODEL-{}", organization.0);
        diesel::insert_into(contract_equipment::table)
            .values((
                contract_equipment::contract_id.eq(contract),
                contract_equipment::position.eq(0),
                contract_equipment::maker.eq("Juniper Networks"),
                contract_equipment::model.eq(&model),
                contract_equipment::serial_number.eq("SN-1"),
            ))
            .execute(conn)?;
        let maker: i64 = diesel::insert_into(product_makers::table)
            .values((
                product_makers::name.eq(&model),
                product_makers::created_at.eq(now),
            ))
            .returning(product_makers::id)
            .get_result(conn)?;
        let series: i64 = diesel::insert_into(product_series::table)
            .values((
                product_series::maker_id.eq(maker),
                product_series::name.eq("シリーズ"),
                product_series::created_at.eq(now),
                product_series::updated_at.eq(now),
            ))
            .returning(product_series::id)
            .get_result(conn)?;
        diesel::insert_into(product_series_models::table)
            .values((
                product_series_models::series_id.eq(series),
                product_series_models::model_prefix.eq(&model),
            ))
            .execute(conn)?;
        let entry: i64 = diesel::insert_into(product_entries::table)
            .values((
                product_entries::series_id.eq(series),
                product_entries::kind.eq("download"),
                product_entries::title.eq("ファームウェア"),
                product_entries::file_name.eq("fw.bin"),
                product_entries::storage_key.eq(format!("products/tenancy-{}", organization.0)),
                product_entries::created_at.eq(now),
            ))
            .returning(product_entries::id)
            .get_result(conn)?;
        let article: i64 = diesel::insert_into(knowledge_articles::table)
            .values((
                knowledge_articles::category.eq("qa"),
                knowledge_articles::series_id.eq(series),
                knowledge_articles::title.eq("記事"),
                knowledge_articles::body.eq("本文"),
                knowledge_articles::created_at.eq(now),
                knowledge_articles::updated_at.eq(now),
            ))
            .returning(knowledge_articles::id)
            .get_result(conn)?;
        let attachment: i64 = diesel::insert_into(knowledge_attachments::table)
            .values((
                knowledge_attachments::article_id.eq(article),
                knowledge_attachments::file_name.eq("log.txt"),
                knowledge_attachments::size_bytes.eq(1_i64),
                knowledge_attachments::sha256.eq(""),
                knowledge_attachments::storage_key.eq(format!("knowledge/tenancy-{}", organization.0)),
                knowledge_attachments::created_at.eq(now),
            ))
            .returning(knowledge_attachments::id)
            .get_result(conn)?;
        // A ticket of the administrator's with a file, and an upload of its own.
        let ticket: i64 = diesel::insert_into(tickets::table)
            .values((
                tickets::organization_id.eq(organization),
                tickets::contract_id.eq(contract),
                tickets::reporter_id.eq(creator),
                tickets::kind.eq("incident"),
                tickets::status.eq("new"),
                tickets::category.eq("fault"),
                tickets::channel.eq("web"),
                tickets::product.eq("その他"),
                tickets::subject.eq("件名"),
                tickets::contract_number.eq("不明"),
                tickets::serial_number.eq("SN-1"),
                tickets::model.eq(""),
                tickets::os_version.eq(""),
                tickets::cc.eq(""),
                tickets::body.eq("本文"),
                tickets::created_at.eq(now),
                tickets::updated_at.eq(now),
            ))
            .returning(tickets::id)
            .get_result(conn)?;
        let ticket_attachment: i64 = diesel::insert_into(ticket_attachments::table)
            .values((
                ticket_attachments::ticket_id.eq(ticket),
                ticket_attachments::file_name.eq("log.txt"),
                ticket_attachments::content_type.eq("text/plain"),
                ticket_attachments::size_bytes.eq(1_i64),
                ticket_attachments::sha256.eq(""),
                ticket_attachments::storage_key.eq(format!("attachments/tenancy-{}", organization.0)),
                ticket_attachments::created_at.eq(now),
            ))
            .returning(ticket_attachments::id)
            .get_result(conn)?;
        let upload: i64 = diesel::insert_into(uploads::table)
            .values((
                uploads::account_id.eq(creator),
                uploads::file_name.eq("log.txt"),
                uploads::content_type.eq("text/plain"),
                uploads::size_bytes.eq(10_i64),
                uploads::storage_key.eq(format!("attachments/upload-{}", organization.0)),
                uploads::created_at.eq(now),
                uploads::expires_at.eq(now + chrono::TimeDelta::hours(24)),
            ))
            .returning(uploads::id)
            .get_result(conn)?;
        let mobile_line: i64 = diesel::insert_into(mobile_lines::table)
            .values((
                mobile_lines::organization_id.eq(organization),
                mobile_lines::contract_id.eq(contract),
                mobile_lines::user_name.eq("営業部"),
                mobile_lines::mobile_number.eq(format!("090{:08}", organization.0)),
                mobile_lines::registered_on.eq(now.date() - chrono::TimeDelta::days(40)),
                mobile_lines::created_at.eq(now),
                mobile_lines::updated_at.eq(now),
            ))
            .returning(mobile_lines::id)
            .get_result(conn)?;
        // Sealed as the server seals, so that the export of their site can read it.
        let sealed = madoguchi_api::sealing::SealingKey::from_secret(crate::helpers::PBX_SECRET_KEY)
            .expect("key")
            .seal("Abcd1234");
        let site: i64 = diesel::insert_into(pbx_sites::table)
            .values((
                pbx_sites::organization_id.eq(organization),
                pbx_sites::name.eq("本社"),
                pbx_sites::domain_name.eq(format!("pbx{}.example.jp", organization.0)),
                pbx_sites::site_number.eq("1"),
                pbx_sites::park_hold_code.eq("*8"),
                pbx_sites::created_at.eq(now),
                pbx_sites::updated_at.eq(now),
            ))
            .returning(pbx_sites::id)
            .get_result(conn)?;
        let extension: i64 = diesel::insert_into(extensions::table)
            .values((
                extensions::site_id.eq(site),
                extensions::number.eq("2001"),
                extensions::sip_user.eq("2001"),
                extensions::sip_password_sealed.eq(&sealed),
                extensions::web_user.eq("owner"),
                extensions::web_password_sealed.eq(&sealed),
                extensions::created_at.eq(now),
                extensions::updated_at.eq(now),
            ))
            .returning(extensions::id)
            .get_result(conn)?;
        // A group of each kind with the extension in it (and representing the hunting one).
        let pickup_group: i64 = diesel::insert_into(pickup_groups::table)
            .values((
                pickup_groups::site_id.eq(site),
                pickup_groups::number.eq("1"),
                pickup_groups::created_at.eq(now),
                pickup_groups::updated_at.eq(now),
            ))
            .returning(pickup_groups::id)
            .get_result(conn)?;
        diesel::insert_into(pickup_group_members::table)
            .values((
                pickup_group_members::group_id.eq(pickup_group),
                pickup_group_members::extension_id.eq(extension),
                pickup_group_members::created_at.eq(now),
            ))
            .execute(conn)?;
        let hunting_group: i64 = diesel::insert_into(hunting_groups::table)
            .values((
                hunting_groups::site_id.eq(site),
                hunting_groups::number.eq("10"),
                hunting_groups::strategy.eq("priority"),
                hunting_groups::representative_extension_id.eq(extension),
                hunting_groups::created_at.eq(now),
                hunting_groups::updated_at.eq(now),
            ))
            .returning(hunting_groups::id)
            .get_result(conn)?;
        diesel::insert_into(hunting_group_members::table)
            .values((
                hunting_group_members::group_id.eq(hunting_group),
                hunting_group_members::extension_id.eq(extension),
                hunting_group_members::position.eq(1),
                hunting_group_members::created_at.eq(now),
            ))
            .execute(conn)?;
        // A standard-plan subscription with an AN and a group of it.
        let subscription: i64 = diesel::insert_into(analytics_subscriptions::table)
            .values((
                analytics_subscriptions::organization_id.eq(organization),
                analytics_subscriptions::opid.eq(format!("OP{}", organization.0)),
                analytics_subscriptions::analytics_id.eq(format!("CX{:08}", organization.0)),
                analytics_subscriptions::plan.eq("standard"),
                analytics_subscriptions::created_at.eq(now),
                analytics_subscriptions::updated_at.eq(now),
            ))
            .returning(analytics_subscriptions::id)
            .get_result(conn)?;
        diesel::insert_into(analytics_numbers::table)
            .values((
                analytics_numbers::subscription_id.eq(subscription),
                analytics_numbers::kind.eq("an"),
                analytics_numbers::number.eq("0120123456"),
                analytics_numbers::created_at.eq(now),
            ))
            .execute(conn)?;
        let number_group: i64 = diesel::insert_into(analytics_groups::table)
            .values((
                analytics_groups::subscription_id.eq(subscription),
                analytics_groups::kind.eq("an"),
                analytics_groups::name.eq("代表"),
                analytics_groups::created_at.eq(now),
                analytics_groups::updated_at.eq(now),
            ))
            .returning(analytics_groups::id)
            .get_result(conn)?;
        Ok((
            [job.0, rendering.0],
            contract,
            project.id.0,
            document,
            [series, entry, article, attachment],
            [ticket, ticket_attachment, upload, mobile_line, site, extension],
            [pickup_group, hunting_group],
            [subscription, number_group],
        ))
    })
    .await
    .expect("seeded");
    // The own document's file, so that its download answers 200.
    let file = b"%PDF-1.7\n%%EOF\n".to_vec();
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from(file))]);
    app.storage
        .put(
            &format!("documents/tenancy-{}.pdf", organization.0),
            chunks,
            1024,
            madoguchi_api::storage::Accept::Pdf,
        )
        .await
        .expect("stored");
    for key in [
        format!("products/tenancy-{}", organization.0),
        format!("knowledge/tenancy-{}", organization.0),
        format!("attachments/tenancy-{}", organization.0),
        format!("analytics/renderings/{}", rendering),
    ] {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"x"))]);
        app.storage
            .put(&key, chunks, 1024, madoguchi_api::storage::Accept::Any)
            .await
            .expect("stored");
    }
    let OrganizationId(organization) = organization;
    Records {
        account: account.0,
        organization,
        job,
        rendering,
        contract,
        project,
        document,
        series,
        product_entry,
        article,
        attachment,
        ticket,
        ticket_attachment,
        upload,
        mobile_line,
        site,
        extension,
        pickup_group,
        hunting_group,
        subscription,
        number_group,
    }
}

async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Option<&str>) -> Answer {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let body: Option<Value> = body.map(|body| serde_json::from_str(body).expect("JSON body"));
    app.request_as(token, method, path, body.as_ref()).await
}

#[tokio::test]
async fn another_organizations_ids_answer_as_missing_ones_on_every_endpoint() {
    let app = spawn_app().await;
    let ours = records_of(&app, "N610000001", "自社株式会社", "jisha.co.jp", "jisha").await;
    let theirs = records_of(&app, "N610000002", "他社株式会社", "tasha.co.jp", "tasha").await;
    let token = app.access_token("jisha").await;

    for &(method, template, id, body) in ENDPOINTS {
        // A member path pairs the project with an account of the caller's organization:
        // only the project's id differs between the calls.
        let path = |id: i64| {
            template
                .replace("{}", &id.to_string())
                .replace("{account}", &ours.account.to_string())
        };
        let missing = call(&app, &token, method, &path(MISSING), body).await;
        let foreign = call(&app, &token, method, &path(theirs.get(id)), body).await;
        assert!(
            missing.status.is_client_error(),
            "{method} {template}: a missing id answers {}",
            missing.status
        );
        assert_eq!(
            (foreign.status, foreign.code()),
            (missing.status, missing.code()),
            "{method} {template}: another organization's id must answer as a missing one"
        );
        // The table must be able to fail: the caller's own id is not answered as missing.
        if method == "GET" {
            let own = call(&app, &token, method, &path(ours.get(id)), None).await;
            if template.contains("/call-") {
                assert_eq!(
                    own.code(),
                    "cdr_grant_required",
                    "{method} {template}: {}",
                    own.body
                );
            } else {
                assert_eq!(own.status, StatusCode::OK, "{method} {template}: {}", own.body);
            }
        }
    }

    // Nothing of theirs changed: their member is still active, their name unchanged.
    let their_admin = app.access_token("tasha").await;
    let member = app
        .get_as(&their_admin, &format!("/api/v1/accounts/{}", theirs.account))
        .await
        .expect(StatusCode::OK);
    assert_eq!(member["status"], "active");
    let organization = app
        .get_as(
            &their_admin,
            &format!("/api/v1/organizations/{}", theirs.organization),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(organization["name"], "他社株式会社");
    let line = app
        .get_as(
            &their_admin,
            &format!("/api/v1/mobile-lines/{}", theirs.mobile_line),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (&line["user_name"], &line["deleted_on"]),
        (&json!("営業部"), &Value::Null)
    );
    let extension = app
        .get_as(&their_admin, &format!("/api/v1/extensions/{}", theirs.extension))
        .await
        .expect(StatusCode::OK);
    assert_eq!(extension["sip_user"], "2001", "their extension unchanged");
    let pickup = app
        .get_as(
            &their_admin,
            &format!("/api/v1/pickup-groups/{}", theirs.pickup_group),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        pickup["members"].as_array().map(Vec::len),
        Some(1),
        "their pickup group unchanged"
    );
    let hunting = app
        .get_as(
            &their_admin,
            &format!("/api/v1/hunting-groups/{}", theirs.hunting_group),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (&hunting["strategy"], hunting["members"].as_array().map(Vec::len)),
        (&json!("priority"), Some(1)),
        "their hunting group unchanged"
    );
    let codes = app
        .get_as(
            &their_admin,
            &format!("/api/v1/pbx-sites/{}/feature-codes", theirs.site),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(codes["hold_code"], Value::Null, "their codes unchanged");
}
