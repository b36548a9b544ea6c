//! Demo data for a first look (`madoguchi serve --demo`, `madoguchi seed-demo`): one
//! organization with an active contract, and a staff account, the product catalog, a
//! history of two answered tickets and a CXサポート subscription with 90 days of calls.
//! Idempotent.

use chrono::TimeDelta;
use diesel::Connection;

use crate::accounts::{self, AccountStatus, NewAccount, Role, password};
use crate::clock::Clock;
use crate::contracts::{self, ContractStatus, EmailHolder, EquipmentItem, NewContract, Service};
use crate::db::DbConn;
use crate::domain::{ContractNumber, CustomerNumber, DisplayName, EmailAddress, LoginId, NewPassword};
use crate::organizations;
use crate::policy::Grants;

pub const DEMO_CUSTOMER_NUMBER: &str = "N000000001";
pub const DEMO_CONTRACT_NUMBER: &str = "ABC1234567";
pub const DEMO_MAINTENANCE_EMAIL: &str = "it-admin@demo-corp.example.jp";
pub const DEMO_STAFF_LOGIN_ID: &str = "staff";
/// Published in the README: demo data is for a local first look only.
pub const DEMO_STAFF_PASSWORD: &str = "Madoguchi-Staff-2026";
/// The demo organization's user administrator.
pub const DEMO_ADMIN_LOGIN_ID: &str = "demo-admin";
pub const DEMO_ADMIN_PASSWORD: &str = "Madoguchi-Demo-2026";

#[derive(Debug, PartialEq, Eq)]
pub enum Seeded {
    Created,
    AlreadyPresent,
}

/// Creates the demo organization, contract and staff account unless they exist.
pub fn seed(conn: &mut DbConn, clock: &Clock) -> anyhow::Result<Seeded> {
    let customer_number = CustomerNumber::parse(DEMO_CUSTOMER_NUMBER)?;
    if organizations::find_by_customer_number(conn, &customer_number)?.is_some() {
        return Ok(Seeded::AlreadyPresent);
    }
    let now = clock.now_naive();
    conn.transaction(|conn| {
        let organization =
            organizations::insert(conn, &customer_number, &DisplayName::parse("デモ株式会社")?, now)?;
        let today = crate::clock::japan_date(now);
        let contract = contracts::insert(
            conn,
            &NewContract {
                organization: organization.id,
                number: ContractNumber::parse(DEMO_CONTRACT_NUMBER)?,
                service: Service::ProductMaintenance,
                starts_on: today - TimeDelta::days(30),
                ends_on: today + TimeDelta::days(335),
                status: ContractStatus::Active,
                emails: vec![
                    (EmailHolder::EndUser, EmailAddress::parse(DEMO_MAINTENANCE_EMAIL)?),
                    (
                        EmailHolder::SalesAgent,
                        EmailAddress::parse("sales@agent.example.jp")?,
                    ),
                ],
                equipment: vec![
                    EquipmentItem {
                        maker: DisplayName::parse("Cisco")?,
                        model: DisplayName::parse("ISR 1100-4G")?,
                        serial_number: DisplayName::parse("FGL2231A0BC")?,
                        os_version: Some(DisplayName::parse("IOS XE 17.9.4")?),
                    },
                    EquipmentItem {
                        maker: DisplayName::parse("YAMAHA")?,
                        model: DisplayName::parse("RTX1300")?,
                        serial_number: DisplayName::parse("S4K123456")?,
                        os_version: Some(DisplayName::parse("Rev.23.01.02")?),
                    },
                ],
            },
            now,
        )?;
        let admin_login_id = LoginId::parse(DEMO_ADMIN_LOGIN_ID)?;
        let admin = accounts::insert(
            conn,
            &NewAccount {
                organization: Some(organization.id),
                password_hash: Some(password::hash(
                    NewPassword::parse(DEMO_ADMIN_PASSWORD, &admin_login_id)?.expose(),
                )?),
                login_id: admin_login_id,
                full_name: DisplayName::parse("山田 花子")?,
                email: EmailAddress::parse("hanako.yamada@demo-corp.example.jp")?,
                role: Role::UserAdmin,
                status: AccountStatus::Active,
                company_name: Some(DisplayName::parse("デモ株式会社")?),
                maintenance_email: Some(EmailAddress::parse(DEMO_MAINTENANCE_EMAIL)?),
                preferred_lang: crate::i18n::Lang::Ja,
                grants: Grants {
                    pbx_admin: true,
                    analytics: true,
                },
            },
            now,
        )?;
        let login_id = LoginId::parse(DEMO_STAFF_LOGIN_ID)?;
        let staff = accounts::insert(
            conn,
            &NewAccount {
                organization: None,
                password_hash: Some(password::hash(
                    NewPassword::parse(DEMO_STAFF_PASSWORD, &login_id)?.expose(),
                )?),
                login_id,
                full_name: DisplayName::parse("窓口 太郎")?,
                email: EmailAddress::parse("staff@madoguchi.example.jp")?,
                role: Role::Staff,
                status: AccountStatus::Active,
                company_name: None,
                maintenance_email: None,
                preferred_lang: crate::i18n::Lang::Ja,
                grants: Grants::default(),
            },
            now,
        )?;
        seed_catalog(conn, now)?;
        seed_tickets(conn, &contract, admin.id, staff.id, now)?;
        crate::analytics::demo::seed(conn, organization.id, today, now)?;
        Ok(Seeded::Created)
    })
}

/// Two answered tickets in the customer's history (none open): an inquiry filed on the
/// web and answered, and an incident received by phone with its progress, closed.
fn seed_tickets(
    conn: &mut DbConn,
    contract: &contracts::Contract,
    reporter: madoguchi_types::ids::AccountId,
    staff: madoguchi_types::ids::AccountId,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<()> {
    use diesel::prelude::*;
    use madoguchi_types::tickets::{
        TicketCategory, TicketChannel, TicketEventKind, TicketKind, TicketStatus,
    };

    use crate::schema::tickets;
    use crate::tickets::{NewEvent, append};

    struct Demo {
        kind: TicketKind,
        status: TicketStatus,
        category: TicketCategory,
        channel: TicketChannel,
        product: &'static str,
        model: &'static str,
        serial_number: &'static str,
        os_version: &'static str,
        subject: &'static str,
        body: &'static str,
        days_ago: i64,
        /// (staff?, kind, text, hours after filing, estimated recovery hours after filing)
        events: &'static [(bool, TicketEventKind, &'static str, i64, Option<i64>)],
    }
    let demos = [
        Demo {
            kind: TicketKind::Inquiry,
            status: TicketStatus::Resolved,
            category: TicketCategory::TechnicalQuestion,
            channel: TicketChannel::Web,
            product: "YAMAHA RTX1300",
            model: "RTX1300",
            serial_number: "S4K123456",
            os_version: "Rev.23.01.02",
            subject: "ファームウェア更新の手順について",
            body: "RTX1300 を Rev.23.01.03 に更新したいのですが、設定を保ったまま更新する手順を教えてください。",
            days_ago: 12,
            events: &[
                (
                    true,
                    TicketEventKind::Reply,
                    "設定は更新後も保持されます。念のため show config の出力を保存してから、製品サポート情報の「推奨ファームウェア」の手順で更新してください。",
                    3,
                    None,
                ),
                (
                    false,
                    TicketEventKind::Reply,
                    "手順どおりに更新できました。ありがとうございました。",
                    26,
                    None,
                ),
            ],
        },
        Demo {
            kind: TicketKind::Incident,
            status: TicketStatus::Closed,
            category: TicketCategory::Fault,
            channel: TicketChannel::Phone,
            product: "Cisco ISR 1100-4G",
            model: "ISR 1100-4G",
            serial_number: "FGL2231A0BC",
            os_version: "IOS XE 17.9.4",
            subject: "本社ルーターが再起動を繰り返す",
            body: "9時ごろから本社の ISR 1100-4G が数分おきに再起動しています（お電話で受付）。",
            days_ago: 40,
            events: &[
                (
                    true,
                    TicketEventKind::Progress,
                    "電源ユニットの故障と判断しました。代替機を手配し、技術員が本日中に交換に伺います。",
                    1,
                    Some(6),
                ),
                (
                    true,
                    TicketEventKind::Progress,
                    "代替機への交換が完了し、通信が復旧しました。",
                    5,
                    None,
                ),
            ],
        },
    ];
    for demo in demos {
        let filed = now - TimeDelta::days(demo.days_ago);
        let row: crate::tickets::TicketRow = diesel::insert_into(tickets::table)
            .values((
                tickets::organization_id.eq(contract.organization_id),
                tickets::contract_id.eq(Some(contract.id)),
                tickets::reporter_id.eq(reporter),
                tickets::kind.eq(demo.kind),
                tickets::status.eq(demo.status),
                tickets::category.eq(demo.category),
                tickets::channel.eq(demo.channel),
                tickets::product.eq(demo.product),
                tickets::subject.eq(demo.subject),
                tickets::contract_number.eq(DEMO_CONTRACT_NUMBER),
                tickets::serial_number.eq(demo.serial_number),
                tickets::model.eq(demo.model),
                tickets::os_version.eq(demo.os_version),
                tickets::cc.eq(""),
                tickets::body.eq(demo.body),
                tickets::assignee_id.eq(Some(staff)),
                tickets::created_at.eq(filed),
                tickets::updated_at.eq(filed),
            ))
            .returning(tickets::all_columns)
            .get_result(conn)?;
        let mut last = filed;
        for (from_staff, kind, text, hours, recovery) in demo.events {
            last = filed + TimeDelta::hours(*hours);
            let mut event = NewEvent::new(row.id, *kind, TicketChannel::Web, last);
            event.author_id = Some(if *from_staff { staff } else { reporter });
            event.body = Some((*text).to_owned());
            event.estimated_recovery_at = recovery.map(|hours| filed + TimeDelta::hours(hours));
            append(conn, &event)?;
        }
        let mut closing = NewEvent::new(row.id, TicketEventKind::StatusChange, TicketChannel::Web, last);
        closing.author_id = Some(staff);
        closing.from_status = Some(TicketStatus::InProgress);
        closing.to_status = Some(demo.status);
        append(conn, &closing)?;
        diesel::update(tickets::table.find(row.id))
            .set(tickets::updated_at.eq(last))
            .execute(conn)?;
    }
    Ok(())
}

/// The demo contract's equipment in the product catalog, with links, versions, end of
/// support and knowledge articles (files need the storage: staff upload them).
fn seed_catalog(conn: &mut DbConn, now: chrono::NaiveDateTime) -> anyhow::Result<()> {
    use diesel::prelude::*;

    use crate::schema::{
        knowledge_articles, product_entries, product_makers, product_series, product_series_models,
    };

    let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d");
    let catalog = [
        ("Cisco", "ISR 1000シリーズ", "ISR", "IOS XE 17.9.4a", "2029-10-31"),
        ("YAMAHA", "RTXシリーズ", "RTX", "Rev.23.01.02", "2033-03-31"),
    ];
    let mut series_ids = Vec::new();
    for (maker, series, prefix, version, eol) in catalog {
        let maker: i64 = diesel::insert_into(product_makers::table)
            .values((product_makers::name.eq(maker), product_makers::created_at.eq(now)))
            .returning(product_makers::id)
            .get_result(conn)?;
        let series_id: i64 = diesel::insert_into(product_series::table)
            .values((
                product_series::maker_id.eq(maker),
                product_series::name.eq(series),
                product_series::description
                    .eq(format!("{series}のファームウェア、マニュアル、サポート終了情報")),
                product_series::created_at.eq(now),
                product_series::updated_at.eq(now),
            ))
            .returning(product_series::id)
            .get_result(conn)?;
        diesel::insert_into(product_series_models::table)
            .values((
                product_series_models::series_id.eq(series_id),
                product_series_models::model_prefix.eq(prefix),
            ))
            .execute(conn)?;
        let entries = [
            ("download", "推奨ファームウェア", version, None, None),
            ("document", "リリースノート", version, None, None),
            ("shipping_version", prefix, version, None, None),
            (
                "end_of_support",
                "ハードウェア",
                "",
                Some(date("2027-10-31")?),
                Some(date(eol)?),
            ),
        ];
        for (kind, title, version, eoe, eol) in entries {
            let link = matches!(kind, "download" | "document").then_some("https://www.example.com/support/");
            diesel::insert_into(product_entries::table)
                .values((
                    product_entries::series_id.eq(series_id),
                    product_entries::kind.eq(kind),
                    product_entries::title.eq(title),
                    product_entries::version.eq(version),
                    product_entries::published_on.eq(date("2026-09-01")?),
                    product_entries::eoe_on.eq(eoe),
                    product_entries::eol_on.eq(eol),
                    product_entries::link_url.eq(link),
                    product_entries::created_at.eq(now),
                ))
                .execute(conn)?;
        }
        series_ids.push(series_id);
    }
    let articles = [
        (
            "trouble_case",
            Some(series_ids[1]),
            false,
            "RTX1300 がファームウェア更新後に再起動を繰り返す",
            "## 現象\nRev.23.01.01 へ更新後、高負荷時に装置が再起動を繰り返すことがあります。\n\n## 対処\n1. `show log` で再起動の記録を確認します。\n2. **Rev.23.01.02 以降**へ更新してください。",
        ),
        (
            "qa",
            Some(series_ids[0]),
            false,
            "ISR 1100 の設定を保存する方法",
            "`copy running-config startup-config` を実行します。保存しないまま再起動すると設定が失われます。",
        ),
        (
            "security_advisory",
            None,
            true,
            "OpenSSH の脆弱性 (CVE-2026-0001) について",
            "影響を受ける製品と修正版の提供予定をお知らせします。\n\n- 対象: 各社ルーター製品\n- 対処: 修正版ファームウェアの適用",
        ),
    ];
    for (category, series, public, title, body) in articles {
        diesel::insert_into(knowledge_articles::table)
            .values((
                knowledge_articles::category.eq(category),
                knowledge_articles::series_id.eq(series),
                knowledge_articles::public.eq(public),
                knowledge_articles::title.eq(title),
                knowledge_articles::body.eq(body),
                knowledge_articles::created_at.eq(now),
                knowledge_articles::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
