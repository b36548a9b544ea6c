//! The notification mail of a ticket change (seed 004 ⑤ 通知メール): to the reporter's
//! contact email with the ticket's CC list in `Cc`; subject = ticket id + product +
//! subject; body = subject, id, category, product, the new text and a link. Every mail of
//! one ticket carries `In-Reply-To`/`References` of the first, so mail clients thread them,
//! and a reply to any of them finds its ticket ([`super::inbound`]).

use chrono::{FixedOffset, NaiveDateTime};
use serde::Serialize;

use super::{TicketCategory, TicketRow, TicketStatus};
use crate::accounts;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::mail::templates::MailTemplate;
use crate::mail::{self, Mail, Threading};

/// What happened to the ticket.
pub enum Occasion<'a> {
    Created,
    Reply { author: &'a str, text: &'a str },
    Progress { text: &'a str },
    Status { from: TicketStatus },
}

#[derive(Serialize)]
struct TicketMail<'a> {
    event: &'static str,
    number: String,
    product: &'a str,
    subject: &'a str,
    category: &'static str,
    status: &'static str,
    from_status: &'static str,
    author: &'a str,
    text: &'a str,
    estimated_recovery: Option<String>,
    url: String,
}

impl MailTemplate for TicketMail<'_> {
    const NAME: &'static str = "ticket";
}

pub fn category_label(category: TicketCategory, lang: Lang) -> &'static str {
    use TicketCategory as C;
    match category {
        C::TechnicalQuestion => lang.pick("技術的なご質問", "Technical question"),
        C::Fault => lang.pick("障害・不具合", "Fault"),
        C::ConfigurationRequest => lang.pick("設定変更のご依頼", "Configuration request"),
        C::Contract => lang.pick("契約・お見積り", "Contract or quote"),
        C::Other => lang.pick("その他", "Other"),
    }
}

pub fn status_label(status: TicketStatus, lang: Lang) -> &'static str {
    use TicketStatus as S;
    match status {
        S::New => lang.pick("新規", "New"),
        S::Open => lang.pick("オープン", "Open"),
        S::InProgress => lang.pick("対応中", "In progress"),
        S::WaitingForCustomer => lang.pick("お客様の回答待ち", "Waiting for you"),
        S::Resolved => lang.pick("解決済み", "Resolved"),
        S::Closed => lang.pick("クローズ", "Closed"),
    }
}

/// Japan Standard Time (no daylight saving), as the portal shows times.
fn tokyo(at: NaiveDateTime) -> String {
    match FixedOffset::east_opt(9 * 3600) {
        Some(offset) => format!(
            "{} (JST)",
            at.and_utc().with_timezone(&offset).format("%Y-%m-%d %H:%M")
        ),
        None => format!("{} (UTC)", at.format("%Y-%m-%d %H:%M")),
    }
}

/// The host part of the portal's address, for message ids.
pub fn mail_host(public_url: &str) -> String {
    let rest = public_url.split_once("://").map_or(public_url, |(_, rest)| rest);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() {
        "madoguchi.invalid".to_owned()
    } else {
        host.to_owned()
    }
}

/// The `Message-ID` of a ticket's first mail, which all later ones refer to.
pub fn root_message_id(ticket: super::TicketId, host: &str) -> String {
    format!("<ticket-{ticket}@{host}>")
}

/// Queues the notification of `occasion` in the caller's transaction.
pub fn queue(
    conn: &mut DbConn,
    ticket: &TicketRow,
    occasion: Occasion<'_>,
    public_url: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let Some(reporter) = accounts::find(conn, ticket.reporter_id)? else {
        return Ok(());
    };
    let Some(to) = reporter.contact_email() else {
        tracing::warn!(ticket_id = %ticket.id, "the reporter's contact email is invalid; notice not sent");
        return Ok(());
    };
    let lang = reporter.lang();
    let (event, author, text) = match occasion {
        Occasion::Created => ("created", "", ticket.body.as_str()),
        Occasion::Reply { author, text } => ("reply", author, text),
        Occasion::Progress { text } => ("progress", "", text),
        Occasion::Status { .. } => ("status", "", ""),
    };
    let from_status = match occasion {
        Occasion::Status { from } => status_label(from, lang),
        _ => "",
    };
    let template = TicketMail {
        event,
        number: ticket.number(),
        product: &ticket.product,
        subject: &ticket.subject,
        category: category_label(ticket.category, lang),
        status: status_label(ticket.status, lang),
        from_status,
        author,
        text,
        estimated_recovery: ticket.estimated_recovery_at.map(tokyo),
        url: format!("{public_url}/tickets/{}", ticket.id),
    };
    let rendered = mail::templates::render(lang, &template).map_err(ApiError::internal)?;
    let host = mail_host(public_url);
    let root = root_message_id(ticket.id, &host);
    let threading = if matches!(occasion, Occasion::Created) {
        Threading {
            message_id: Some(root),
            in_reply_to: None,
            references: None,
        }
    } else {
        Threading {
            message_id: Some(format!(
                "<ticket-{}-{}@{host}>",
                ticket.id,
                uuid::Uuid::new_v4().simple()
            )),
            in_reply_to: Some(root.clone()),
            references: Some(root),
        }
    };
    mail::queue(
        conn,
        Mail {
            to: to.as_str().to_owned(),
            cc: ticket.cc_list(),
            subject: rendered.subject,
            body: rendered.body,
            threading,
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_portal_addresses() {
        assert_eq!(mail_host("https://portal.example.co.jp"), "portal.example.co.jp");
        assert_eq!(mail_host("http://127.0.0.1:8080/"), "127.0.0.1");
        assert_eq!(mail_host(""), "madoguchi.invalid");
    }

    #[test]
    fn times_are_shown_in_tokyo() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
            .and_then(|day| day.and_hms_opt(15, 30, 0))
            .expect("a time");
        assert_eq!(tokyo(at), "2026-11-25 00:30 (JST)");
    }
}
