//! Accounts: customer users of an organization (four roles, SPEC §1) and provider staff.
//! Sign-in and the account endpoints come with the accounts issue; for now staff accounts
//! are created from the command line (`madoguchi admin create-staff`).

pub mod admin;
pub mod api_tokens;
pub mod password;
pub mod profile;
pub mod registration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::{DisplayName, EmailAddress, LoginId, NewPassword};
use crate::organizations::OrganizationId;
use crate::schema::accounts;

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
    pub const CUSTOMER_ROLES: [Role; 4] = [
        Self::UserAdmin,
        Self::ContractManager,
        Self::InquiryAdmin,
        Self::InquiryStaff,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Staff,
            Self::UserAdmin,
            Self::ContractManager,
            Self::InquiryAdmin,
            Self::InquiryStaff,
        ]
        .into_iter()
        .find(|role| role.as_str() == raw)
    }

    /// May create accounts in their organization (SPEC §1 table).
    pub fn adds_accounts(self) -> bool {
        matches!(self, Self::Staff | Self::UserAdmin | Self::InquiryAdmin)
    }

    /// May change roles, disable and unlock accounts of their organization.
    pub fn administers_accounts(self) -> bool {
        matches!(self, Self::Staff | Self::UserAdmin)
    }

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
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Provisional, Self::Active, Self::Disabled]
            .into_iter()
            .find(|status| status.as_str() == raw)
    }

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
    pub company_name: String,
    pub maintenance_email: Option<String>,
    pub failed_sign_ins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub otp_email: Option<String>,
    pub pbx_admin: bool,
    pub analytics: bool,
    pub preferred_lang: String,
}

impl Account {
    /// The stored role; an unknown value (never written by us) gets the least rights.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::InquiryStaff)
    }

    pub fn status(&self) -> AccountStatus {
        AccountStatus::parse(&self.status).unwrap_or(AccountStatus::Disabled)
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_tag(&self.preferred_lang)
    }

    pub fn is_locked(&self, now: NaiveDateTime) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }

    /// The contact email, valid by construction when it was stored.
    pub fn contact_email(&self) -> Option<EmailAddress> {
        EmailAddress::parse(&self.email).ok()
    }
}

/// A password hash no password matches: accounts created by an administrator have it
/// until their owner sets a password through the mailed link.
pub const UNUSABLE_PASSWORD_HASH: &str = "!";

impl From<Role> for madoguchi_types::accounts::Role {
    fn from(role: Role) -> Self {
        use madoguchi_types::accounts::Role as Dto;
        match role {
            Role::Staff => Dto::Staff,
            Role::UserAdmin => Dto::UserAdmin,
            Role::ContractManager => Dto::ContractManager,
            Role::InquiryAdmin => Dto::InquiryAdmin,
            Role::InquiryStaff => Dto::InquiryStaff,
        }
    }
}

impl From<madoguchi_types::accounts::Role> for Role {
    fn from(role: madoguchi_types::accounts::Role) -> Self {
        use madoguchi_types::accounts::Role as Dto;
        match role {
            Dto::Staff => Role::Staff,
            Dto::UserAdmin => Role::UserAdmin,
            Dto::ContractManager => Role::ContractManager,
            Dto::InquiryAdmin => Role::InquiryAdmin,
            Dto::InquiryStaff => Role::InquiryStaff,
        }
    }
}

impl From<AccountStatus> for madoguchi_types::accounts::AccountStatus {
    fn from(status: AccountStatus) -> Self {
        use madoguchi_types::accounts::AccountStatus as Dto;
        match status {
            AccountStatus::Provisional => Dto::Provisional,
            AccountStatus::Active => Dto::Active,
            AccountStatus::Disabled => Dto::Disabled,
        }
    }
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Account>> {
    accounts::table.find(id).first(conn).optional()
}

/// Active accounts whose contact email is `email`.
pub fn find_active_by_email(conn: &mut DbConn, email: &EmailAddress) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::email.eq(email.as_str()))
        .filter(accounts::status.eq(AccountStatus::Active.as_str()))
        .order(accounts::id.asc())
        .load(conn)
}

/// An account to create, valid by construction; the password is hashed on insert.
#[derive(Debug)]
pub struct NewAccount {
    pub organization: Option<OrganizationId>,
    pub login_id: LoginId,
    pub full_name: DisplayName,
    pub email: EmailAddress,
    /// `None`: the owner sets it through a mailed link.
    pub password: Option<NewPassword>,
    pub role: Role,
    pub status: AccountStatus,
    pub company_name: Option<DisplayName>,
    pub maintenance_email: Option<EmailAddress>,
    pub preferred_lang: crate::i18n::Lang,
    pub pbx_admin: bool,
    pub analytics: bool,
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
    company_name: &'a str,
    maintenance_email: Option<&'a str>,
    preferred_lang: &'a str,
    pbx_admin: bool,
    analytics: bool,
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
    let password_hash = match &new.password {
        Some(password) => password::hash(password.expose())?,
        None => UNUSABLE_PASSWORD_HASH.to_owned(),
    };
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
            company_name: new.company_name.as_ref().map_or("", DisplayName::as_str),
            maintenance_email: new.maintenance_email.as_ref().map(EmailAddress::as_str),
            preferred_lang: new.preferred_lang.tag(),
            pbx_admin: new.pbx_admin,
            analytics: new.analytics,
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
