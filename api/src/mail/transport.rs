//! Where mail goes: `.eml` files in a directory (the default, so that a new user can read
//! the demo mails), or an SMTP server.

use std::path::Path;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

use super::Mail;

pub enum Transport {
    Files(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    /// SMTP when `smtp_url` is set (`smtp://host:port`, `smtps://user:pass@host`, add
    /// `?tls=required` for STARTTLS), otherwise files under `mail_dir`.
    pub fn new(smtp_url: Option<&SecretString>, mail_dir: &Path) -> anyhow::Result<Self> {
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

    pub async fn send(&self, message: Message) -> Result<(), String> {
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

pub fn message(from: &Mailbox, mail: &Mail) -> Result<Message, String> {
    let to: Mailbox = mail.to.parse().map_err(|error| format!("recipient: {error}"))?;
    let mut builder = Message::builder().from(from.clone()).to(to);
    for cc in &mail.cc {
        let cc: Mailbox = cc.parse().map_err(|error| format!("cc: {error}"))?;
        builder = builder.cc(cc);
    }
    if let Some(id) = &mail.threading.message_id {
        builder = builder.message_id(Some(id.clone()));
    }
    if let Some(id) = &mail.threading.in_reply_to {
        builder = builder.in_reply_to(id.clone());
    }
    if let Some(ids) = &mail.threading.references {
        builder = builder.references(ids.clone());
    }
    builder
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|error| error.to_string())
}
