//! Accounts: customer users of an organization (four roles, SPEC §1) and provider staff.
//! This module owns the `accounts` table: every change of a row goes through a function
//! here, which the other modules call.

pub mod admin;
pub mod api_tokens;
pub mod password;
pub mod profile;
pub mod registration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
pub use madoguchi_types::accounts::{AccountStatus, Role};
pub use madoguchi_types::ids::AccountId;

use crate::db::DbConn;
use crate::domain::{DisplayName, EmailAddress, LoginId};
use crate::i18n::Lang;
use crate::organizations::OrganizationId;
use crate::policy::Grants;
use crate::schema::accounts;

/// Wrong passwords in a row that lock an account (seeds 002, 003).
pub const LOCK_AFTER_FAILURES: i32 = 4;
/// How long a lock lasts (it then ends by itself).
pub const LOCK_DURATION: TimeDelta = TimeDelta::minutes(60);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: AccountId,
    pub organization_id: Option<OrganizationId>,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: Role,
    pub status: AccountStatus,
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
    pub pending_email: Option<String>,
}

impl Account {
    pub fn lang(&self) -> Lang {
        Lang::from_tag(&self.preferred_lang)
    }

    pub fn grants(&self) -> Grants {
        Grants {
            pbx_admin: self.pbx_admin,
            analytics: self.analytics,
        }
    }

    pub fn is_locked(&self, now: NaiveDateTime) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }

    /// The contact email, valid by construction when it was stored.
    pub fn contact_email(&self) -> Option<EmailAddress> {
        EmailAddress::parse(&self.email).ok()
    }

    pub fn login_id(&self) -> Option<LoginId> {
        LoginId::parse(&self.login_id).ok()
    }
}

/// A password hash no password matches: accounts created by an administrator have it
/// until their owner sets a password through the mailed link.
pub const UNUSABLE_PASSWORD_HASH: &str = "!";

pub fn find(conn: &mut DbConn, id: AccountId) -> QueryResult<Option<Account>> {
    accounts::table
        .find(id)
        .select(Account::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_by_login_id(conn: &mut DbConn, login_id: &LoginId) -> QueryResult<Option<Account>> {
    accounts::table
        .filter(accounts::login_id.eq(login_id.as_str()))
        .select(Account::as_select())
        .get_result(conn)
        .optional()
}

/// Active accounts whose contact email is `email`.
pub fn find_active_by_email(conn: &mut DbConn, email: &EmailAddress) -> QueryResult<Vec<Account>> {
    accounts::table
        .filter(accounts::email.eq(email.as_str()))
        .filter(accounts::status.eq(AccountStatus::Active))
        .order(accounts::id.asc())
        .select(Account::as_select())
        .load(conn)
}

/// An account to create, valid by construction. The password arrives hashed: hashing
/// (~25 ms) happens before the transaction opens, never while it holds the write lock.
#[derive(Debug)]
pub struct NewAccount {
    pub organization: Option<OrganizationId>,
    pub login_id: LoginId,
    pub full_name: DisplayName,
    pub email: EmailAddress,
    /// `None`: the owner sets it through a mailed link.
    pub password_hash: Option<String>,
    pub role: Role,
    pub status: AccountStatus,
    pub company_name: Option<DisplayName>,
    pub maintenance_email: Option<EmailAddress>,
    pub preferred_lang: Lang,
    pub grants: Grants,
}

#[derive(Insertable)]
#[diesel(table_name = accounts)]
struct AccountRow<'a> {
    organization_id: Option<OrganizationId>,
    login_id: &'a str,
    full_name: &'a str,
    email: &'a str,
    password_hash: &'a str,
    role: Role,
    status: AccountStatus,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    company_name: &'a str,
    maintenance_email: Option<&'a str>,
    preferred_lang: &'a str,
    pbx_admin: bool,
    analytics: bool,
}

/// Inserts the account; a taken login ID is a unique violation (→ 409 on `login_id`).
pub fn insert(conn: &mut DbConn, new: &NewAccount, now: NaiveDateTime) -> QueryResult<Account> {
    diesel::insert_into(accounts::table)
        .values(AccountRow {
            organization_id: new.organization,
            login_id: new.login_id.as_str(),
            full_name: new.full_name.as_str(),
            email: new.email.as_str(),
            password_hash: new.password_hash.as_deref().unwrap_or(UNUSABLE_PASSWORD_HASH),
            role: new.role,
            status: new.status,
            created_at: now,
            updated_at: now,
            company_name: new.company_name.as_ref().map_or("", DisplayName::as_str),
            maintenance_email: new.maintenance_email.as_ref().map(EmailAddress::as_str),
            preferred_lang: new.preferred_lang.tag(),
            pbx_admin: new.grants.pbx_admin,
            analytics: new.grants.analytics,
        })
        .returning(accounts::all_columns)
        .get_result(conn)
}

// ---- lockout ---------------------------------------------------------------------------

/// Reserves one password check under the lockout rule, atomically: counts it, unless the
/// account is locked or already has [`LOCK_AFTER_FAILURES`] checks in flight or failed.
/// Returns the check's number (1–4) and the hash to check against, or `None` (locked: do
/// not check). However many requests race, at most four checks happen per lock.
pub fn reserve_password_check(
    conn: &mut DbConn,
    id: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, String)>> {
    diesel::update(
        accounts::table
            .find(id)
            .filter(
                accounts::locked_until
                    .is_null()
                    .or(accounts::locked_until.le(now)),
            )
            .filter(accounts::failed_sign_ins.lt(LOCK_AFTER_FAILURES)),
    )
    .set(accounts::failed_sign_ins.eq(accounts::failed_sign_ins + 1))
    .returning((accounts::failed_sign_ins, accounts::password_hash))
    .get_result(conn)
    .optional()
}

/// The right password was given: the count starts again.
pub fn clear_failures(conn: &mut DbConn, id: AccountId) -> QueryResult<()> {
    diesel::update(accounts::table.find(id).filter(accounts::failed_sign_ins.ne(0)))
        .set(accounts::failed_sign_ins.eq(0))
        .execute(conn)
        .map(|_| ())
}

/// Locks the account until `until` and restarts the count (for the checks after the lock).
pub fn lock(conn: &mut DbConn, id: AccountId, until: NaiveDateTime) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::failed_sign_ins.eq(0),
            accounts::locked_until.eq(Some(until)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Ends a lock early. Returns whether there was one (so that a no-op is not recorded).
pub fn unlock(conn: &mut DbConn, id: AccountId, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        accounts::table
            .find(id)
            .filter(accounts::locked_until.gt(now).or(accounts::failed_sign_ins.ne(0))),
    )
    .set((
        accounts::locked_until.eq(None::<NaiveDateTime>),
        accounts::failed_sign_ins.eq(0),
        accounts::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

// ---- changes ---------------------------------------------------------------------------

/// Stores a new password hash; the account is unlocked.
pub fn set_password_hash(
    conn: &mut DbConn,
    id: AccountId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::password_hash.eq(hash),
            accounts::failed_sign_ins.eq(0),
            accounts::locked_until.eq(None::<NaiveDateTime>),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How many accounts each of these organizations has (any status).
pub fn counts_by_organization(
    conn: &mut DbConn,
    organizations: &[OrganizationId],
) -> QueryResult<Vec<(Option<OrganizationId>, i64)>> {
    accounts::table
        .filter(accounts::organization_id.eq_any(organizations))
        .group_by(accounts::organization_id)
        .select((accounts::organization_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Turns 2-step authentication on (with the address) or off (`None`).
pub fn set_otp_email(
    conn: &mut DbConn,
    id: AccountId,
    email: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((accounts::otp_email.eq(email), accounts::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// A new contact email waits for its confirmation (`Some`), or the wait is over (`None`).
pub fn set_pending_email(
    conn: &mut DbConn,
    id: AccountId,
    email: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((accounts::pending_email.eq(email), accounts::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// The confirmed new contact email replaces the old one.
pub fn set_contact_email(
    conn: &mut DbConn,
    id: AccountId,
    email: &EmailAddress,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::email.eq(email.as_str()),
            accounts::pending_email.eq(None::<String>),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// What a user changes on their own profile (only the `Some` fields).
#[derive(Debug, Default)]
pub struct ProfileChanges {
    pub full_name: Option<DisplayName>,
    pub company_name: Option<DisplayName>,
    pub preferred_lang: Option<Lang>,
}

pub fn update_profile(
    conn: &mut DbConn,
    account: &Account,
    changes: &ProfileChanges,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let lang: &str = match changes.preferred_lang {
        Some(lang) => lang.tag(),
        None => &account.preferred_lang,
    };
    diesel::update(accounts::table.find(account.id))
        .set((
            accounts::full_name.eq(changes
                .full_name
                .as_ref()
                .map_or(account.full_name.as_str(), DisplayName::as_str)),
            accounts::company_name.eq(changes
                .company_name
                .as_ref()
                .map_or(account.company_name.as_str(), DisplayName::as_str)),
            accounts::preferred_lang.eq(lang),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Role, status and grants as an administrator sets them.
pub fn administer(
    conn: &mut DbConn,
    id: AccountId,
    role: Role,
    status: AccountStatus,
    grants: Grants,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::role.eq(role),
            accounts::status.eq(status),
            accounts::pbx_admin.eq(grants.pbx_admin),
            accounts::analytics.eq(grants.analytics),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A provisional account becomes active (its email confirmed).
pub fn activate(conn: &mut DbConn, id: AccountId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(accounts::table.find(id))
        .set((
            accounts::status.eq(AccountStatus::Active),
            accounts::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Deletes a provisional account with this login ID created before `cutoff`: its
/// confirmation window has passed, and the login ID is free again.
pub fn delete_expired_provisional(
    conn: &mut DbConn,
    login_id: &LoginId,
    cutoff: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        accounts::table
            .filter(accounts::login_id.eq(login_id.as_str()))
            .filter(accounts::status.eq(AccountStatus::Provisional))
            .filter(accounts::created_at.lt(cutoff)),
    )
    .execute(conn)
}

/// Deletes every provisional account created before `cutoff` (registrations nobody
/// confirmed, nor an administrator activated): with its links, it would otherwise stay
/// for good.
pub fn purge_provisional(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        accounts::table
            .filter(accounts::status.eq(AccountStatus::Provisional))
            .filter(accounts::created_at.lt(cutoff)),
    )
    .execute(conn)
}

/// SPEC §3.1 for every customer contact email, whoever sets it: in the domain of the
/// account's own maintenance email, or (for accounts an administrator created) of a
/// maintenance email on one of the organization's active contracts.
pub fn contact_domain_allowed(
    conn: &mut DbConn,
    organization: OrganizationId,
    own_maintenance_email: Option<&str>,
    email: &EmailAddress,
    today: chrono::NaiveDate,
) -> QueryResult<bool> {
    let candidates = match own_maintenance_email {
        Some(own) => vec![own.to_owned()],
        None => crate::contracts::maintenance_emails(conn, organization, today)?,
    };
    Ok(candidates
        .iter()
        .filter_map(|maintenance| EmailAddress::parse(maintenance).ok())
        .any(|maintenance| crate::domain::domains_compatible(email, &maintenance)))
}

/// `/me…`, `/accounts…` and `/registrations…`.
pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig, limits: &crate::net::RateLimits) {
    registration::routes(config, limits);
    // Before the profile's `/me` scope, which would otherwise take `/me/api-tokens` too.
    api_tokens::routes(config);
    profile::routes(config, limits);
    admin::routes(config);
}

/// A disabled account: nothing issued to it before keeps working — sessions, API tokens,
/// mailed links, one-time codes.
pub fn end_everything(conn: &mut DbConn, id: AccountId, now: NaiveDateTime) -> QueryResult<()> {
    crate::auth::sessions::revoke_all(conn, id, None, now)?;
    api_tokens::revoke_all(conn, id, now)?;
    crate::auth::links::void_every(conn, id, now)?;
    crate::auth::otp::void_all(conn, id, now)?;
    Ok(())
}

/// Mails a new account, created without a password, the link to set one (the invitation).
pub fn invite(
    conn: &mut DbConn,
    account: &Account,
    email: &EmailAddress,
    lang: Lang,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<(), crate::error::ApiError> {
    let (token, _) = crate::auth::links::create(
        conn,
        account.id,
        crate::auth::links::Purpose::SetPassword,
        None,
        now,
    )?;
    let url = format!("{base_url}/reset-password?token={token}");
    let invitation = crate::mail::templates::Invitation {
        name: &account.full_name,
        login_id: &account.login_id,
        url: &url,
    };
    crate::mail::enqueue(conn, email, lang, &invitation, crate::mail::Quota::Exempt, now)
}
