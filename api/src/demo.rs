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
        Ok(Seeded::Created)
    })
}
