//! Mail. A change and the mails that report it commit in one transaction: [`enqueue`]
//! renders the mail and queues a `mail` job, which a worker delivers, retrying with
//! backoff. A crash between commit and delivery loses nothing.

pub mod templates;
pub mod transport;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::accounts::Account;
use crate::db::DbConn;
use crate::domain::EmailAddress;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{self, JobError, JobKind, NewJob};
use crate::schema::jobs as jobs_table;
use templates::MailTemplate;
use transport::Transport;

/// Attempts at one mail: with the backoff (1 min doubling to 1 h), about eight hours.
const MAX_ATTEMPTS: i32 = 12;

/// A mail job's payload: plain text, one recipient, perhaps copied to others.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    /// Addresses in `Cc` (a ticket's CC list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub threading: Threading,
}

/// The headers that let mail clients show the mails of one ticket as one thread.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Threading {
    /// `<…@host>`; the mailer makes one up when none is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<String>,
}

/// Whether a mail counts toward the hourly limit per recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// Mails anyone can cause with a public form (recovery, registration): limited, so that
    /// nobody floods an inbox through them.
    Limited,
    /// Notices to an account's owner about their account (a password, email or 2-step
    /// change, a lock): always sent — a flood of the first kind must not silence them.
    Exempt,
}

/// Renders `template` in `lang` and queues it for `to`; call it inside the transaction of
/// the change it reports.
pub fn enqueue<T: MailTemplate>(
    conn: &mut DbConn,
    to: &EmailAddress,
    lang: Lang,
    template: &T,
    quota: Quota,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let rendered = templates::render(lang, template).map_err(ApiError::internal)?;
    let mail = Mail {
        to: to.as_str().to_owned(),
        cc: Vec::new(),
        subject: rendered.subject,
        body: rendered.body,
        threading: Threading::default(),
    };
    let mut job = NewJob::new(JobKind::Mail, &mail).max_attempts(MAX_ATTEMPTS);
    // Only limited mails carry the recipient the limit counts by.
    if quota == Quota::Limited {
        job = job.recipient(to.as_str());
    }
    jobs::enqueue(conn, &job, now)?;
    Ok(())
}

/// Queues a mail composed by the caller (a ticket notification with Cc and threading), in
/// the caller's transaction; never dropped by the per-recipient limit.
pub fn queue(conn: &mut DbConn, mail: Mail, now: NaiveDateTime) -> Result<(), ApiError> {
    jobs::enqueue(
        conn,
        &NewJob::new(JobKind::Mail, &mail).max_attempts(MAX_ATTEMPTS),
        now,
    )?;
    Ok(())
}

/// Queues a notice to an account's contact email, in the account's language (never
/// dropped by the per-recipient limit).
pub fn notify<T: MailTemplate>(
    conn: &mut DbConn,
    account: &Account,
    template: &T,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    match account.contact_email() {
        Some(email) => enqueue(conn, &email, account.lang(), template, Quota::Exempt, now),
        None => {
            tracing::warn!(account_id = %account.id, "stored contact email is invalid; notice not sent");
            Ok(())
        }
    }
}

/// Delivers `mail` jobs.
pub struct Sender {
    pub transport: Transport,
    pub from: lettre::message::Mailbox,
    /// Most mails one address receives in an hour; more are dropped (and recorded as such),
    /// so that nobody can flood an inbox through the public forms.
    pub per_recipient_per_hour: i64,
}

impl Sender {
    pub fn register(self, handlers: &mut Handlers) {
        let sender = std::sync::Arc::new(self);
        handlers.register(JobKind::Mail, move |context| {
            let sender = std::sync::Arc::clone(&sender);
            async move { sender.deliver(context).await }
        });
    }

    async fn deliver(&self, context: JobContext) -> Result<serde_json::Value, JobError> {
        let mail: Mail = context.job.payload()?;
        if let Some(recipient) = context.job.recipient.clone() {
            let job_id = context.job.id;
            let since = context.job.created_at - TimeDelta::hours(1);
            let queued_before = context
                .db(move |conn| Ok(queued_before(conn, &recipient, since, job_id)?))
                .await?;
            if queued_before >= self.per_recipient_per_hour {
                tracing::warn!(
                    limit = self.per_recipient_per_hour,
                    "mail dropped: too many to one recipient this hour"
                );
                return Ok(json!({"delivered": false, "reason": "recipient_hourly_limit"}));
            }
        }
        let message = transport::message(&self.from, &mail).map_err(JobError::fatal)?;
        self.transport.send(message).await.map_err(JobError::retryable)?;
        Ok(json!({"delivered": true}))
    }
}

/// Limited mails to `recipient` queued since `since` and before this one (`job`). Counted by queue
/// order, not by delivery, so that mails delivered at the same time by several workers
/// cannot all slip under the limit.
fn queued_before(
    conn: &mut DbConn,
    recipient: &str,
    since: NaiveDateTime,
    job: jobs::JobId,
) -> QueryResult<i64> {
    jobs_table::table
        .filter(jobs_table::kind.eq(JobKind::Mail))
        .filter(jobs_table::recipient.eq(recipient))
        .filter(jobs_table::created_at.ge(since))
        .filter(jobs_table::id.lt(job))
        .count()
        .get_result(conn)
}
