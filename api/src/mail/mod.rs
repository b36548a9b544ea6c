//! Mail. A change and the mails that report it commit in one transaction: [`enqueue`] writes
//! to the `outbox_mails` table, and the [`worker`] delivers from there, retrying with
//! backoff. A crash between commit and delivery loses nothing.

pub mod templates;
pub mod worker;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::Account;
use crate::db::DbConn;
use crate::domain::EmailAddress;
use crate::i18n::Lang;
use crate::schema::outbox_mails;

/// A mail to send: plain text, one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: EmailAddress,
    pub subject: String,
    pub body: String,
}

#[derive(Insertable)]
#[diesel(table_name = outbox_mails)]
struct OutboxRow<'a> {
    recipient: &'a str,
    subject: &'a str,
    body: &'a str,
    created_at: NaiveDateTime,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
}

/// Queues a mail; call it inside the transaction of the change it reports.
pub fn enqueue(conn: &mut DbConn, mail: &Mail, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(outbox_mails::table)
        .values(OutboxRow {
            recipient: mail.to.as_str(),
            subject: &mail.subject,
            body: &mail.body,
            created_at: now,
            attempts: 0,
            next_attempt_at: now,
        })
        .execute(conn)
        .map(|_| ())
}

/// Queues a notice to an account's contact email, in the account's language.
pub fn notify(
    conn: &mut DbConn,
    account: &Account,
    now: NaiveDateTime,
    compose: impl FnOnce(Lang, &EmailAddress, &Account) -> Mail,
) -> QueryResult<()> {
    match account.contact_email() {
        Some(email) => enqueue(conn, &compose(account.lang(), &email, account), now),
        None => {
            tracing::warn!(
                account_id = account.id,
                "stored contact email is invalid; notice not sent"
            );
            Ok(())
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox_mails)]
pub struct OutboxMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}
