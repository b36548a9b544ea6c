//! The mails Madoguchi sends, in Japanese and English. Their text lives in files
//! (`api/templates/mail/<name>.<lang>.txt`: the subject on the first line, a blank line,
//! the body), compiled into the binary and rendered with minijinja. Subjects carry no
//! text a user typed; in bodies, such text appears only as quoted data (`|data` strips
//! control characters and bounds its length), never as the mail's own words.

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::i18n::Lang;

/// A mail's data; `NAME` picks its files.
pub trait MailTemplate: Serialize {
    const NAME: &'static str;
}

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        const FILES: &[(&str, &str)] = &[
            $(
                (concat!($name, ".ja.txt"), include_str!(concat!("../../templates/mail/", $name, ".ja.txt"))),
                (concat!($name, ".en.txt"), include_str!(concat!("../../templates/mail/", $name, ".en.txt"))),
            )+
        ];
    };
}

templates!(
    "footer",
    "registration_provisional",
    "registration_received",
    "registration_ready",
    "analytics_signup_provisional",
    "analytics_signup_received",
    "analytics_signup_ready",
    "one_time_password",
    "account_locked",
    "login_id_reminder",
    "password_reset",
    "invitation",
    "password_changed",
    "two_factor_changed",
    "email_change_confirm",
    "email_change_requested",
    "email_changed",
    "quote",
    "ticket",
);

/// Longest user-typed value a mail shows.
const DATA_MAX_CHARS: usize = 100;

/// User text as data: control characters (line breaks, escapes) become spaces, and it is
/// cut at [`DATA_MAX_CHARS`], so that it cannot pose as the mail's own lines.
fn data(value: String) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| {
            if c.is_control() || crate::domain::is_direction_control(c) {
                ' '
            } else {
                c
            }
        })
        .take(DATA_MAX_CHARS)
        .collect();
    if value.chars().count() > DATA_MAX_CHARS {
        format!("{cleaned}…")
    } else {
        cleaned
    }
}

/// Longest text of several lines (a ticket's or a reply's text) a mail shows.
const TEXT_MAX_CHARS: usize = 4000;

/// User text of several lines as data: every line indented, so that it cannot pose as the
/// mail's own lines; control characters other than line breaks removed; cut at
/// [`TEXT_MAX_CHARS`].
fn text(value: String) -> String {
    let cut: String = value.chars().take(TEXT_MAX_CHARS).collect();
    let mut lines: Vec<String> = cut
        .lines()
        .map(|line| {
            let line: String = line
                .chars()
                .filter(|c| *c == '\t' || !(c.is_control() || crate::domain::is_direction_control(*c)))
                .collect();
            format!("  {line}")
        })
        .collect();
    if value.chars().count() > TEXT_MAX_CHARS {
        lines.push("  …".to_owned());
    }
    lines.join("\n")
}

fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut environment = Environment::new();
        // Plain text: nothing to escape, but user text still goes through `|data`.
        environment.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        environment.add_filter("data", data);
        environment.add_filter("text", text);
        for (name, source) in FILES {
            if let Err(error) = environment.add_template(name, source) {
                tracing::error!(%error, template = name, "mail template does not compile");
            }
        }
        environment
    })
}

/// A rendered mail: subject and body (with the footer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

#[derive(Debug, thiserror::Error)]
#[error("mail template {name}: {source}")]
pub struct RenderError {
    name: String,
    source: minijinja::Error,
}

pub fn render<T: MailTemplate>(lang: Lang, template: &T) -> Result<Rendered, RenderError> {
    let name = format!("{}.{}.txt", T::NAME, lang.tag());
    let failed = |source| RenderError {
        name: name.clone(),
        source,
    };
    let environment = environment();
    let text = environment
        .get_template(&name)
        .and_then(|compiled| compiled.render(minijinja::value::Serde(template)))
        .map_err(failed)?;
    let footer = environment
        .get_template(&format!("footer.{}.txt", lang.tag()))
        .and_then(|compiled| compiled.render(()))
        .map_err(failed)?;
    let (subject, body) = text.split_once("\n\n").unwrap_or((text.as_str(), ""));
    let brand = lang.pick("[窓口]", "[Madoguchi]");
    Ok(Rendered {
        subject: format!("{brand} {}", subject.trim()),
        body: format!("{}\n{footer}", body.trim_end()),
    })
}

#[derive(Serialize)]
pub struct RegistrationProvisional<'a> {
    pub name: &'a str,
    pub login_id: &'a str,
    pub url: &'a str,
}
impl MailTemplate for RegistrationProvisional<'_> {
    const NAME: &'static str = "registration_provisional";
}

#[derive(Serialize)]
pub struct RegistrationReceived<'a> {
    pub name: &'a str,
    pub login_id: &'a str,
}
impl MailTemplate for RegistrationReceived<'_> {
    const NAME: &'static str = "registration_received";
}

#[derive(Serialize)]
pub struct RegistrationReady<'a> {
    pub login_id: &'a str,
    pub sign_in_url: &'a str,
}
impl MailTemplate for RegistrationReady<'_> {
    const NAME: &'static str = "registration_ready";
}

/// CX サポート sign-up (seed 000 §1-5): the confirmation link, valid 24 hours.
#[derive(Serialize)]
pub struct AnalyticsSignupProvisional<'a> {
    pub name: &'a str,
    pub opid: &'a str,
    pub url: &'a str,
    /// The standard plan is charged from confirmation (the first month free).
    pub standard: bool,
}
impl MailTemplate for AnalyticsSignupProvisional<'_> {
    const NAME: &'static str = "analytics_signup_provisional";
}

/// CX サポート sign-up confirmed (seed 000 §1-7).
#[derive(Serialize)]
pub struct AnalyticsSignupReceived<'a> {
    pub name: &'a str,
    pub opid: &'a str,
}
impl MailTemplate for AnalyticsSignupReceived<'_> {
    const NAME: &'static str = "analytics_signup_received";
}

/// CX サポート ready (seed 000 §1-8, one-time password): the analytics ID to sign in with.
#[derive(Serialize)]
pub struct AnalyticsSignupReady<'a> {
    pub name: &'a str,
    pub analytics_id: &'a str,
    pub sign_in_url: &'a str,
}
impl MailTemplate for AnalyticsSignupReady<'_> {
    const NAME: &'static str = "analytics_signup_ready";
}

#[derive(Serialize)]
pub struct OneTimePassword<'a> {
    pub code: &'a str,
}
impl MailTemplate for OneTimePassword<'_> {
    const NAME: &'static str = "one_time_password";
}

#[derive(Serialize)]
pub struct AccountLocked<'a> {
    pub login_id: &'a str,
    pub minutes: i64,
    /// Locked for wrong one-time passwords after the right password: someone knows it.
    pub wrong_codes: bool,
}
impl MailTemplate for AccountLocked<'_> {
    const NAME: &'static str = "account_locked";
}

#[derive(Serialize)]
pub struct LoginIdReminder {
    pub login_ids: Vec<String>,
}
impl MailTemplate for LoginIdReminder {
    const NAME: &'static str = "login_id_reminder";
}

#[derive(Serialize)]
pub struct PasswordReset<'a> {
    pub login_id: &'a str,
    pub url: &'a str,
}
impl MailTemplate for PasswordReset<'_> {
    const NAME: &'static str = "password_reset";
}

#[derive(Serialize)]
pub struct Invitation<'a> {
    pub name: &'a str,
    pub login_id: &'a str,
    pub url: &'a str,
}
impl MailTemplate for Invitation<'_> {
    const NAME: &'static str = "invitation";
}

#[derive(Serialize)]
pub struct PasswordChanged<'a> {
    pub login_id: &'a str,
    pub api_tokens_revoked: usize,
}
impl MailTemplate for PasswordChanged<'_> {
    const NAME: &'static str = "password_changed";
}

#[derive(Serialize)]
pub struct TwoFactorChanged {
    pub enabled: bool,
    pub email_hint: String,
}
impl MailTemplate for TwoFactorChanged {
    const NAME: &'static str = "two_factor_changed";
}

#[derive(Serialize)]
pub struct EmailChangeConfirm<'a> {
    pub login_id: &'a str,
    pub url: &'a str,
}
impl MailTemplate for EmailChangeConfirm<'_> {
    const NAME: &'static str = "email_change_confirm";
}

#[derive(Serialize)]
pub struct EmailChangeRequested<'a> {
    pub login_id: &'a str,
    pub new_email_hint: &'a str,
}
impl MailTemplate for EmailChangeRequested<'_> {
    const NAME: &'static str = "email_change_requested";
}

#[derive(Serialize)]
pub struct EmailChanged<'a> {
    pub login_id: &'a str,
    pub new_email_hint: &'a str,
}
impl MailTemplate for EmailChanged<'_> {
    const NAME: &'static str = "email_changed";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_in_both_languages() {
        for lang in [Lang::Ja, Lang::En] {
            let rendered = [
                render(
                    lang,
                    &RegistrationProvisional {
                        name: "山田",
                        login_id: "yamada",
                        url: "https://x/y",
                    },
                ),
                render(
                    lang,
                    &RegistrationReceived {
                        name: "山田",
                        login_id: "yamada",
                    },
                ),
                render(
                    lang,
                    &RegistrationReady {
                        login_id: "yamada",
                        sign_in_url: "https://x/login",
                    },
                ),
                render(
                    lang,
                    &AnalyticsSignupProvisional {
                        name: "コム太郎",
                        opid: "OP12345",
                        url: "https://x/y",
                        standard: true,
                    },
                ),
                render(
                    lang,
                    &AnalyticsSignupReceived {
                        name: "コム太郎",
                        opid: "OP12345",
                    },
                ),
                render(
                    lang,
                    &AnalyticsSignupReady {
                        name: "コム太郎",
                        analytics_id: "Abcde01234",
                        sign_in_url: "https://x/login",
                    },
                ),
                render(lang, &OneTimePassword { code: "123456" }),
                render(
                    lang,
                    &AccountLocked {
                        login_id: "yamada",
                        minutes: 60,
                        wrong_codes: false,
                    },
                ),
                render(
                    lang,
                    &AccountLocked {
                        login_id: "yamada",
                        minutes: 60,
                        wrong_codes: true,
                    },
                ),
                render(
                    lang,
                    &LoginIdReminder {
                        login_ids: vec!["a".into(), "b".into()],
                    },
                ),
                render(
                    lang,
                    &PasswordReset {
                        login_id: "yamada",
                        url: "https://x/r",
                    },
                ),
                render(
                    lang,
                    &Invitation {
                        name: "山田",
                        login_id: "yamada",
                        url: "https://x/i",
                    },
                ),
                render(
                    lang,
                    &PasswordChanged {
                        login_id: "yamada",
                        api_tokens_revoked: 2,
                    },
                ),
                render(
                    lang,
                    &TwoFactorChanged {
                        enabled: true,
                        email_hint: "ya***@x.jp".into(),
                    },
                ),
                render(
                    lang,
                    &EmailChangeConfirm {
                        login_id: "yamada",
                        url: "https://x/e",
                    },
                ),
                render(
                    lang,
                    &EmailChangeRequested {
                        login_id: "yamada",
                        new_email_hint: "ne***@x.jp",
                    },
                ),
                render(
                    lang,
                    &EmailChanged {
                        login_id: "yamada",
                        new_email_hint: "ne***@x.jp",
                    },
                ),
            ];
            for mail in rendered {
                let mail = mail.expect("renders");
                assert!(mail.subject.starts_with('['), "{mail:?}");
                assert!(!mail.subject.contains('\n'));
                assert!(!mail.body.trim().is_empty());
                assert!(mail.body.contains("──────────"), "footer: {mail:?}");
            }
        }
    }

    /// Attacker-chosen names stay data: no line of their own, no subject, bounded length.
    #[test]
    fn user_text_is_quoted_data() {
        let name = "Support\n\nYour account is suspended: visit https://evil.example\u{1b}[2J\u{202e}";
        let mail = render(
            Lang::En,
            &RegistrationProvisional {
                name,
                login_id: "x",
                url: "https://portal/c",
            },
        )
        .expect("renders");
        assert!(!mail.subject.contains("Support"));
        assert!(!mail.body.contains("\nYour account is suspended"));
        assert!(!mail.body.contains(['\u{1b}', '\u{202e}']));
        assert!(mail.body.contains("\"Support  Your account is suspended"));
        let long = "あ".repeat(500);
        let mail = render(
            Lang::Ja,
            &RegistrationReceived {
                name: &long,
                login_id: "x",
            },
        )
        .expect("renders");
        assert!(!mail.body.contains(&"あ".repeat(101)));
        let mail = render(Lang::Ja, &OneTimePassword { code: "042917" }).expect("renders");
        assert!(mail.body.lines().any(|line| line.trim() == "042917"));
    }
}
