//! Delivers the outbox: claims due mails, sends them, and reschedules failures with
//! exponential backoff. Safe with several API instances on one database: a mail is claimed
//! by a conditional update that only one instance can win, and a claim is a lease — if the
//! instance dies while sending, the mail becomes due again when the lease ends.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use super::OutboxMail;
use crate::clock::Clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiError;
use crate::schema::outbox_mails;

/// How long a claimed mail is reserved for the instance sending it.
const LEASE: TimeDelta = TimeDelta::minutes(5);
/// Most mails claimed per round.
const BATCH: i64 = 20;
/// Longest wait between two attempts at one mail.
const MAX_BACKOFF: TimeDelta = TimeDelta::hours(1);

/// Where mail goes: `.eml` files in a directory (the default, so that a new user can read
/// the demo mails), or an SMTP server.
pub enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    /// SMTP when `smtp_url` is set (`smtp://host:port`, `smtps://user:pass@host`, add
    /// `?tls=required` for STARTTLS), otherwise files under `mail_dir`.
    pub fn new(smtp_url: Option<&SecretString>, mail_dir: &PathBuf) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => Ok(Self::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )),
            None => {
                std::fs::create_dir_all(mail_dir)?;
                Ok(Self::Files(AsyncFileTransport::new(mail_dir)))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Self::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
            Self::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
        }
    }
}

pub struct Worker {
    pub pool: DbPool,
    pub clock: Clock,
    pub transport: Transport,
    pub from: Mailbox,
    pub poll_interval: Duration,
}

impl Worker {
    /// Delivers due mail until the process ends.
    pub async fn run(self) {
        loop {
            match self.deliver_due().await {
                Ok(0) => {}
                Ok(sent) => tracing::debug!(sent, "outbox delivered"),
                Err(error) => tracing::warn!(%error, "outbox round failed"),
            }
            tokio::time::sleep(self.poll_interval).await;
        }
    }

    /// One round: claims the due mails and tries each once. Returns how many were sent.
    pub async fn deliver_due(&self) -> Result<usize, ApiError> {
        let now = self.clock.now_naive();
        let claimed = db::run(&self.pool, move |conn| Ok(claim_due(conn, now)?)).await?;
        let mut sent = 0;
        for mail in claimed {
            let id = mail.id;
            let attempts = mail.attempts;
            let outcome = match self.message(&mail) {
                Ok(message) => self.transport.send(message).await,
                Err(error) => Err(error),
            };
            let now = self.clock.now_naive();
            match outcome {
                Ok(()) => {
                    db::run(&self.pool, move |conn| Ok(mark_sent(conn, id, now)?)).await?;
                    sent += 1;
                }
                Err(error) => {
                    let retry_at = now + backoff(attempts);
                    tracing::warn!(mail_id = id, attempts, %error, %retry_at, "mail delivery failed; will retry");
                    db::run(&self.pool, move |conn| {
                        Ok(mark_failed(conn, id, &error, retry_at)?)
                    })
                    .await?;
                }
            }
        }
        Ok(sent)
    }

    fn message(&self, mail: &OutboxMail) -> Result<Message, String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|error| format!("recipient: {error}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|error| error.to_string())
    }
}

/// 1 min after the first failure, doubling, at most [`MAX_BACKOFF`].
fn backoff(attempts: i32) -> TimeDelta {
    let exponent = attempts.clamp(1, 10) - 1;
    (TimeDelta::minutes(1) * 2_i32.pow(exponent.unsigned_abs())).min(MAX_BACKOFF)
}

/// Claims due mails by moving each one's next attempt past the lease, only if nobody else
/// moved it first.
fn claim_due(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<OutboxMail>> {
    let due: Vec<OutboxMail> = outbox_mails::table
        .filter(outbox_mails::sent_at.is_null())
        .filter(outbox_mails::next_attempt_at.le(now))
        .order(outbox_mails::next_attempt_at.asc())
        .limit(BATCH)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for mut mail in due {
        let won = diesel::update(
            outbox_mails::table
                .filter(outbox_mails::id.eq(mail.id))
                .filter(outbox_mails::sent_at.is_null())
                .filter(outbox_mails::next_attempt_at.eq(mail.next_attempt_at)),
        )
        .set((
            outbox_mails::next_attempt_at.eq(now + LEASE),
            outbox_mails::attempts.eq(outbox_mails::attempts + 1),
        ))
        .execute(conn)?;
        if won == 1 {
            mail.attempts += 1;
            claimed.push(mail);
        }
    }
    Ok(claimed)
}

fn mark_sent(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(outbox_mails::table.find(id))
        .set((
            outbox_mails::sent_at.eq(now),
            outbox_mails::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

fn mark_failed(conn: &mut DbConn, id: i64, error: &str, retry_at: NaiveDateTime) -> QueryResult<()> {
    let error: String = error.chars().take(1000).collect();
    diesel::update(outbox_mails::table.find(id))
        .set((
            outbox_mails::next_attempt_at.eq(retry_at),
            outbox_mails::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::minutes(1));
        assert_eq!(backoff(2), TimeDelta::minutes(2));
        assert_eq!(backoff(5), TimeDelta::minutes(16));
        assert_eq!(backoff(7), TimeDelta::hours(1));
        assert_eq!(backoff(50), TimeDelta::hours(1));
    }
}
