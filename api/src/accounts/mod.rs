//! Accounts: customer users of an organization (four roles, SPEC §1) and provider staff.
//! Sign-in and the account endpoints come with the accounts issue; for now staff accounts
//! are created from the command line (`madoguchi admin create-staff`).

pub mod password;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{DisplayName, EmailAddress, LoginId, NewPassword};
use crate::organizations::OrganizationId;
use crate::schema::accounts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountId(pub i64);

/// What an account may do (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Provider staff (弊社): every organization.
    Staff,
    /// ユーザー管理者: tickets, quotes/contracts/invoices, adds accounts.
    UserAdmin,
    /// 契約担当者: tickets, quotes/contracts/invoices.
    ContractManager,
    /// 問い合わせ管理者: tickets, adds accounts.
    InquiryAdmin,
    /// 問い合わせ担当者: tickets.
    InquiryStaff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Staff => "staff",
            Self::UserAdmin => "user_admin",
            Self::ContractManager => "contract_manager",
            Self::InquiryAdmin => "inquiry_admin",
            Self::InquiryStaff => "inquiry_staff",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    /// Registered, email not yet confirmed.
    Provisional,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Provisional => "provisional",
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Account {
    pub fn id(&self) -> AccountId {
        AccountId(self.id)
    }
}

/// An account to create, valid by construction; the password is hashed on insert.
#[derive(Debug)]
pub struct NewAccount {
    pub organization: Option<OrganizationId>,
    pub login_id: LoginId,
    pub full_name: DisplayName,
    pub email: EmailAddress,
    pub password: NewPassword,
    pub role: Role,
    pub status: AccountStatus,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct AccountRow<'a> {
    organization_id: Option<i64>,
    login_id: &'a str,
    full_name: &'a str,
    email: &'a str,
    password_hash: &'a str,
    role: &'a str,
    status: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("login ID {0} is taken")]
    LoginIdTaken(String),
    #[error(transparent)]
    Hash(#[from] password::HashError),
    #[error(transparent)]
    Database(diesel::result::Error),
}

/// Hashes the password (Argon2id, ~25 ms) and inserts the account. Blocking: call it off
/// the async workers.
pub fn insert(
    conn: &mut DbConn,
    new: &NewAccount,
    now: NaiveDateTime,
) -> Result<Account, CreateAccountError> {
    let password_hash = password::hash(new.password.expose())?;
    diesel::insert_into(accounts::table)
        .values(AccountRow {
            organization_id: new.organization.map(|id| id.0),
            login_id: new.login_id.as_str(),
            full_name: new.full_name.as_str(),
            email: new.email.as_str(),
            password_hash: &password_hash,
            role: new.role.as_str(),
            status: new.status.as_str(),
            created_at: now,
            updated_at: now,
        })
        .returning(accounts::all_columns)
        .get_result(conn)
        .map_err(|error| match error {
            diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                CreateAccountError::LoginIdTaken(new.login_id.to_string())
            }
            other => CreateAccountError::Database(other),
        })
}

pub fn find_by_login_id(conn: &mut DbConn, login_id: &LoginId) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::login_id.eq(login_id.as_str()))
        .first(conn)
        .optional()
}
