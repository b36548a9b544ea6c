//! Demo data for a first look (`madoguchi serve --demo`, `madoguchi seed-demo`): one
//! organization with an active contract, and a staff account. Idempotent.

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
        contracts::insert(
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
        accounts::insert(
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
        accounts::insert(
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
        Ok(Seeded::Created)
    })
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
