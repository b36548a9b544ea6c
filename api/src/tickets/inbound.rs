//! Replies by mail (as Zammad, osTicket and FreeScout take them): the mail server pipes or
//! a provider's webhook posts each raw RFC 5322 message to `POST /inbound-mail` with the
//! inbound-mail token. The ticket is found by the `[T-000123]` in the subject or by the
//! `In-Reply-To`/`References` of our notifications; the mail is accepted only from the
//! reporter or a CC'd address; the quoted history is cut off; attached files are stored.
//! Anything else is refused with its reason (422) and logged, so that the mail server
//! bounces it instead of it vanishing.

use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_types::Problem;
use madoguchi_types::tickets::{InboundReceipt, parse_ticket_number};
use mail_parser::{MessageParser, MimeHeaders};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use super::routes::add_reply;
use super::{FileToAttach, NewEvent, TicketChannel, TicketEventKind, TicketId, TicketRow};
use crate::accounts;
use crate::app::AppState;
use crate::db;
use crate::domain::EmailAddress;
use crate::error::{ApiError, MailRefusal};
use crate::schema::tickets;

/// Largest message taken, attachments included.
pub const MESSAGE_MAX: usize = 30 * 1024 * 1024;

/// The ticket a reply is about: `[T-000123]` in the subject, else our message ids in
/// `In-Reply-To` / `References`.
fn ticket_of(subject: &str, references: &[String], host: &str) -> Option<TicketId> {
    let from_subject = subject.match_indices("[T-").find_map(|(at, _)| {
        let rest = &subject[at + 1..];
        let end = rest.find(']')?;
        parse_ticket_number(&rest[..end])
    });
    from_subject.or_else(|| {
        references.iter().find_map(|id| {
            let id = id.trim().trim_start_matches('<').trim_end_matches('>');
            let (local, domain) = id.rsplit_once('@')?;
            if !domain.eq_ignore_ascii_case(host) {
                return None;
            }
            let digits = local.strip_prefix("ticket-")?;
            let digits = digits.split('-').next()?;
            digits.parse().ok().map(TicketId)
        })
    })
}

/// Whether a line starts the quoted history a mail client appends under a reply.
fn starts_history(line: &str) -> bool {
    let line = line.trim();
    line.starts_with("-----Original Message-----")
        || line.starts_with("----- Original Message")
        || line.starts_with("-----元のメッセージ-----")
        || line.starts_with("-------- Forwarded Message")
        || line.starts_with("-------- 転送メッセージ")
        || (line.starts_with("On ") && line.ends_with("wrote:"))
        || line.ends_with("のメッセージ:")
        || line.ends_with("書きました:")
        || line.ends_with("書きました：")
        || line.starts_with("From: ") && line.contains('@')
        || line.starts_with("差出人: ")
}

/// The new text of a reply: lines up to the quoted history, without `>` quotes and
/// trailing blank lines.
pub fn strip_quoted(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        if starts_history(line) {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|line| line.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|line| line.trim().is_empty()) {
        kept.remove(0);
    }
    kept.join("\n")
}

fn refuse(reason: MailRefusal, ticket: Option<TicketId>) -> ApiError {
    // The reason and the ticket only: no addresses or text of the mail in the log.
    tracing::warn!(reason = reason.code(), ticket_id = ?ticket.map(|id| id.0), "inbound mail refused");
    ApiError::MailRefused(reason)
}

/// Whether the bearer token is the configured inbound-mail token.
fn authorized(state: &AppState, request: &HttpRequest) -> bool {
    let Some(token) = state.inbound_mail_token.as_ref() else {
        return false;
    };
    let given = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    crate::secrets::hashes_match(
        &crate::secrets::hash(given),
        &crate::secrets::hash(token.expose_secret()),
    )
}

/// Take a reply by mail: the raw RFC 5322 message, as a mail server's pipe or a provider's
/// webhook posts it, authenticated by the inbound-mail token (not a user's).
#[utoipa::path(
    tag = "tickets",
    request_body(content = crate::uploads::FileBytes, content_type = "message/rfc822", description = "The raw message"),
    responses(
        (status = 201, description = "Added to the ticket as a reply", body = InboundReceipt),
        (status = 401, description = "No or a wrong inbound-mail token (or none is configured)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A message larger than 30 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, with the reason as `reason`: not a message, no ticket named, a sender who is neither the reporter nor CC'd, no text", body = Problem, content_type = "application/problem+json"),
    ),
    security(("inbound_mail" = []))
)]
#[post("/inbound-mail")]
pub async fn receive_mail(
    state: web::Data<AppState>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !authorized(&state, &request) {
        return Err(ApiError::Auth(crate::error::AuthError::Unauthenticated));
    }
    let raw = crate::uploads::read_limited(payload, MESSAGE_MAX).await?;
    let message = MessageParser::default()
        .parse(&raw)
        .filter(|message| message.from().is_some())
        .ok_or_else(|| refuse(MailRefusal::NotAMessage, None))?;
    let host = super::notify::mail_host(&state.public_url);
    let mut references: Vec<String> = Vec::new();
    for header in [message.in_reply_to(), message.references()] {
        if let Some(ids) = header.as_text_list() {
            references.extend(ids.iter().map(|id| id.to_string()));
        } else if let Some(id) = header.as_text() {
            references.push(id.to_owned());
        }
    }
    let ticket_id = ticket_of(message.subject().unwrap_or_default(), &references, &host)
        .ok_or_else(|| refuse(MailRefusal::NoTicket, None))?;
    let sender = message
        .from()
        .and_then(|from| from.first())
        .and_then(|address| address.address())
        .and_then(|address| EmailAddress::parse(address).ok())
        .ok_or_else(|| refuse(MailRefusal::SenderNotAllowed, Some(ticket_id)))?;
    let text = strip_quoted(&message.body_text(0).unwrap_or_default());
    let text = crate::domain::comment(&text, madoguchi_types::tickets::BODY_MAX)
        .ok()
        .flatten()
        .ok_or_else(|| refuse(MailRefusal::NoText, Some(ticket_id)))?;
    // The attachments, stored before the transaction; removed again if it refuses.
    let mut files: Vec<FileToAttach> = Vec::new();
    for part in message.attachments() {
        let contents = part.contents();
        if contents.is_empty() {
            continue;
        }
        let key = format!("attachments/{}", uuid::Uuid::new_v4());
        state
            .storage
            .put_bytes(&key, bytes::Bytes::copy_from_slice(contents))
            .await
            .map_err(ApiError::internal)?;
        let content_type = part.content_type().map(|kind| match kind.subtype() {
            Some(subtype) => format!("{}/{subtype}", kind.ctype()),
            None => kind.ctype().to_owned(),
        });
        files.push(FileToAttach {
            file_name: crate::uploads::clean_file_name(
                part.attachment_name().unwrap_or_default(),
                crate::storage::Accept::Any,
            ),
            content_type: crate::resumable::clean_content_type(content_type.as_deref()),
            size_bytes: i64::try_from(contents.len()).unwrap_or(i64::MAX),
            sha256: format!("{:x}", Sha256::digest(contents)),
            storage_key: key,
            uploaded_by: None,
        });
    }
    let keys: Vec<String> = files.iter().map(|file| file.storage_key.clone()).collect();
    let now = state.clock.now_naive();
    let public_url = state.public_url.clone();
    let added = db::transaction(&state.pool, move |conn| {
        use diesel::prelude::*;
        let row: TicketRow = tickets::table
            .find(ticket_id)
            .select(TicketRow::as_select())
            .get_result(conn)
            .optional()?
            .ok_or_else(|| refuse(MailRefusal::NoTicket, Some(ticket_id)))?;
        let reporter = accounts::find(conn, row.reporter_id)?;
        let from_reporter = reporter
            .as_ref()
            .and_then(accounts::Account::contact_email)
            .is_some_and(|email| email == sender);
        if !from_reporter && !row.cc_list().iter().any(|cc| cc == sender.as_str()) {
            return Err(refuse(MailRefusal::SenderNotAllowed, Some(ticket_id)));
        }
        let mut event = NewEvent::new(ticket_id, TicketEventKind::Reply, TicketChannel::Email, now);
        let author_name = match (&reporter, from_reporter) {
            (Some(reporter), true) => {
                event.author_id = Some(reporter.id);
                reporter.full_name.clone()
            }
            _ => {
                event.author_email = Some(sender.as_str().to_owned());
                sender.as_str().to_owned()
            }
        };
        event.body = Some(text);
        let updated = add_reply(conn, &row, event, false, &files, &author_name, &public_url)?;
        Ok(InboundReceipt {
            ticket_id: updated.id,
            number: updated.number(),
        })
    })
    .await;
    match added {
        Ok(receipt) => {
            tracing::info!(ticket_id = receipt.ticket_id.0, "reply by mail added");
            Ok(HttpResponse::Created().json(receipt))
        }
        Err(error) => {
            for key in keys {
                if let Err(error) = state.storage.delete(&key).await {
                    tracing::warn!(%key, %error, "a refused mail's attachment could not be deleted");
                }
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_found_by_subject_or_references() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            ticket_of("Re: [窓口] [T-000123] EX4300 再起動", &none, "portal.test"),
            Some(TicketId(123))
        );
        assert_eq!(ticket_of("Re: 再起動", &none, "portal.test"), None);
        let references = vec!["<ticket-77@portal.test>".to_owned()];
        assert_eq!(
            ticket_of("Re: 再起動", &references, "portal.test"),
            Some(TicketId(77))
        );
        let follow_up = vec!["<ticket-78-5f2a@portal.test>".to_owned()];
        assert_eq!(ticket_of("", &follow_up, "portal.test"), Some(TicketId(78)));
        // Another site's message ids name no ticket of ours.
        assert_eq!(ticket_of("", &references, "other.example"), None);
    }

    #[test]
    fn quoted_history_is_cut_off() {
        let text = "再起動で復旧しました。\nありがとうございます。\n\n2026年11月24日(火) 10:00 窓口 <support@portal.test> のメッセージ:\n> 再起動をお試しください。\n";
        assert_eq!(
            strip_quoted(text),
            "再起動で復旧しました。\nありがとうございます。"
        );
        let english =
            "Works now.\n\nOn Tue, Nov 24, 2026 at 10:00 Support <s@p.test> wrote:\n> Try a reboot.";
        assert_eq!(strip_quoted(english), "Works now.");
        let outlook = "了解です。\r\n\r\n-----Original Message-----\r\nFrom: support@portal.test\r\n";
        assert_eq!(strip_quoted(outlook), "了解です。");
        assert_eq!(strip_quoted("> only a quote\n"), "");
    }
}
