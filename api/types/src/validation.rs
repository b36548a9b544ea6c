//! Why an input was refused: one stable code and one message per language, shared by the
//! server (which refuses) and the SPA (which checks the same rules before sending).

use std::fmt;

use crate::Lang;

/// Why a value was refused. `code()` is stable for scripts; `message()` is for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// Not of the expected shape; `expected` describes it (`N + 9 digits`).
    Format {
        expected: &'static str,
    },
    /// Only half-width (ASCII) characters are allowed.
    NotHalfWidth,
    Taken,
    PasswordNeedsUpperLowerDigit,
    PasswordEqualsLoginId,
    PasswordTooCommon,
    /// The confirmation differs from the value it confirms.
    Mismatch,
    /// A checkbox that must be ticked (consent).
    MustAccept,
    /// No active contract registers this maintenance email.
    NoActiveContract,
    /// The contact email's domain does not match the maintenance email's (SPEC §3.1).
    DomainMismatch,
    /// The current password given to authorise a change is wrong.
    WrongPassword,
    /// Not one of the allowed values.
    NotAllowed,
    /// An OPID that has a CX サポート subscription (or a sign-up awaiting confirmation)
    /// already: one per OPID (seed 000 §1-4).
    OpidSubscribed,
    /// A JSON value of the wrong type (a number where text belongs, an unknown enum value).
    WrongType,
    /// A security-relevant change needs the current password (outside 10 minutes of
    /// signing in).
    CurrentPasswordRequired,
    /// Too many wrong passwords: the account is locked for a while.
    AccountLocked,
    /// A mailed code is wrong; so many tries are left.
    CodeIncorrect {
        remaining_tries: i32,
    },
    /// A mailed code has expired, was used, or had too many wrong tries.
    CodeNotUsable,
    /// The same value appears twice in a list.
    Duplicate,
    /// A list longer than allowed.
    TooMany {
        max: usize,
    },
    /// A date before the date it must follow (an end before its start).
    EndsBeforeStart,
    /// No contract of the organization has this number.
    UnknownContract,
    /// No account of the organization has this id.
    UnknownAccount,
    /// A file whose content is not of the accepted kind (whatever its name says).
    NotPdf,
    /// Contract and serial number both unknown (seed 004 ⑤).
    BothUnknown,
    /// One entry of an address list is no email address; it is named.
    BadAddress {
        address: String,
    },
    /// Not a complete upload of the caller (unknown, unfinished, expired or attached).
    UnknownUpload,
    /// A password equal to the user name it belongs with (an extension's web password).
    EqualsUserName,
    /// Not a number of the site's pool: no current Office Link line, or assigned already.
    NotInPool,
    /// No extension of this site (none at all, another site's, or another organization's).
    NotOnSite,
    /// Not exactly the group's members, each once (a reorder).
    NotTheMembers,
    /// Not the answer to the secret question.
    WrongAnswer,
    /// The site has no secret question yet.
    NoSecretQuestion,
    /// A time before one that must come first (a call answered before it was made).
    TimeOutOfOrder,
    /// Outside the range that is taken (a day before the first one kept, or in the
    /// future).
    OutOfRange {
        min: String,
        max: String,
    },
}

impl Invalid {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooShort { .. } => "too_short",
            Self::TooLong { .. } => "too_long",
            Self::Format { .. } => "invalid_format",
            Self::NotHalfWidth => "not_half_width",
            Self::Taken => "taken",
            Self::PasswordNeedsUpperLowerDigit => "password_too_weak",
            Self::PasswordEqualsLoginId => "password_equals_login_id",
            Self::PasswordTooCommon => "password_too_common",
            Self::Mismatch => "mismatch",
            Self::MustAccept => "must_accept",
            Self::NoActiveContract => "no_active_contract",
            Self::DomainMismatch => "domain_mismatch",
            Self::WrongPassword => "wrong_password",
            Self::NotAllowed => "not_allowed",
            Self::OpidSubscribed => "opid_subscribed",
            Self::WrongType => "wrong_type",
            Self::CurrentPasswordRequired => "current_password_required",
            Self::AccountLocked => "account_locked",
            Self::CodeIncorrect { .. } => "code_incorrect",
            Self::CodeNotUsable => "code_not_usable",
            Self::Duplicate => "duplicate",
            Self::TooMany { .. } => "too_many",
            Self::EndsBeforeStart => "ends_before_start",
            Self::UnknownContract => "unknown_contract",
            Self::UnknownAccount => "unknown_account",
            Self::NotPdf => "not_pdf",
            Self::BothUnknown => "contract_and_serial_unknown",
            Self::BadAddress { .. } => "invalid_email_address",
            Self::UnknownUpload => "unknown_upload",
            Self::EqualsUserName => "equals_user_name",
            Self::NotInPool => "not_in_pool",
            Self::NotOnSite => "not_on_site",
            Self::NotTheMembers => "not_the_members",
            Self::WrongAnswer => "wrong_answer",
            Self::NoSecretQuestion => "no_secret_question",
            Self::OutOfRange { .. } => "out_of_range",
            Self::TimeOutOfOrder => "time_out_of_order",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::Required, Lang::Ja) => "入力必須となります".into(),
            (Self::Required, Lang::En) => "This field is required".into(),
            (Self::TooShort { min }, Lang::Ja) => format!("{min}文字以上で入力してください"),
            (Self::TooShort { min }, Lang::En) => format!("Enter at least {min} characters"),
            (Self::TooLong { max }, Lang::Ja) => format!("{max}文字以内で入力してください"),
            (Self::TooLong { max }, Lang::En) => format!("Enter at most {max} characters"),
            (Self::Format { expected }, Lang::Ja) => format!("形式が正しくありません（{expected}）"),
            (Self::Format { expected }, Lang::En) => format!("Invalid format (expected {expected})"),
            (Self::NotHalfWidth, Lang::Ja) => "半角文字で入力してください".into(),
            (Self::NotHalfWidth, Lang::En) => "Use half-width (ASCII) characters only".into(),
            (Self::Taken, Lang::Ja) => "既に使用されています".into(),
            (Self::Taken, Lang::En) => "Already in use".into(),
            (Self::PasswordNeedsUpperLowerDigit, Lang::Ja) => {
                "半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください".into()
            }
            (Self::PasswordNeedsUpperLowerDigit, Lang::En) => {
                "Use at least 12 half-width characters with an upper-case letter, a lower-case letter and a digit"
                    .into()
            }
            (Self::PasswordEqualsLoginId, Lang::Ja) => "ログインIDと同じパスワードは使用できません".into(),
            (Self::PasswordEqualsLoginId, Lang::En) => "The password must differ from the login ID".into(),
            (Self::PasswordTooCommon, Lang::Ja) => {
                "よく使われているパスワードのため使用できません".into()
            }
            (Self::PasswordTooCommon, Lang::En) => "This password is too common".into(),
            (Self::Mismatch, Lang::Ja) => "確認のため、もう一度同じ内容を入力してください".into(),
            (Self::Mismatch, Lang::En) => "The two entries do not match".into(),
            (Self::MustAccept, Lang::Ja) => "個人情報の取り扱いに同意してください".into(),
            (Self::MustAccept, Lang::En) => "Please accept the handling of personal information".into(),
            (Self::NoActiveContract, Lang::Ja) => {
                "入力いただいたメールアドレスに紐づく有効な保守契約がないため、ユーザー登録できません".into()
            }
            (Self::NoActiveContract, Lang::En) => {
                "No active maintenance contract registers this email address".into()
            }
            (Self::DomainMismatch, Lang::Ja) => {
                "連絡先メールアドレスは保守登録メールアドレスと同じドメインである必要があります".into()
            }
            (Self::DomainMismatch, Lang::En) => {
                "The contact email must have the same domain as the maintenance registration email".into()
            }
            (Self::WrongPassword, Lang::Ja) => "現在のパスワードが正しくありません".into(),
            (Self::WrongPassword, Lang::En) => "The current password is incorrect".into(),
            (Self::NotAllowed, Lang::Ja) => "指定できない値です".into(),
            (Self::NotAllowed, Lang::En) => "This value is not allowed".into(),
            (Self::OpidSubscribed, Lang::Ja) => {
                "既にCXサポートをお申し込みのOPIDは指定することはできません。".into()
            }
            (Self::OpidSubscribed, Lang::En) => {
                "This OPID has already been signed up for CX Support and cannot be given again."
                    .into()
            }
            (Self::WrongType, Lang::Ja) => "値の種類が正しくありません".into(),
            (Self::WrongType, Lang::En) => "This value has the wrong type".into(),
            (Self::CurrentPasswordRequired, Lang::Ja) => {
                "安全のため、現在のパスワードを入力してください".into()
            }
            (Self::CurrentPasswordRequired, Lang::En) => {
                "For your security, enter your current password".into()
            }
            (Self::AccountLocked, Lang::Ja) => {
                "パスワードを続けて間違えたため、アカウントは60分間ロックされています".into()
            }
            (Self::AccountLocked, Lang::En) => {
                "After repeated wrong passwords the account is locked for 60 minutes".into()
            }
            (Self::CodeIncorrect { remaining_tries }, Lang::Ja) => {
                format!("コードが正しくありません（あと{remaining_tries}回間違えると無効になります）")
            }
            (Self::CodeIncorrect { remaining_tries }, Lang::En) => {
                format!("The code is incorrect ({remaining_tries} more wrong tries void it)")
            }
            (Self::CodeNotUsable, Lang::Ja) => {
                "このコードは使用できません。もう一度コードを送信してください".into()
            }
            (Self::CodeNotUsable, Lang::En) => "This code can no longer be used; send a new one".into(),
            (Self::Duplicate, Lang::Ja) => "同じ値が重複しています".into(),
            (Self::Duplicate, Lang::En) => "This value is listed twice".into(),
            (Self::TooMany { max }, Lang::Ja) => format!("{max}件以内で指定してください"),
            (Self::TooMany { max }, Lang::En) => format!("Give at most {max} entries"),
            (Self::EndsBeforeStart, Lang::Ja) => "終了日は開始日以降の日付を指定してください".into(),
            (Self::EndsBeforeStart, Lang::En) => "The end date must not be before the start date".into(),
            (Self::UnknownContract, Lang::Ja) => "この契約番号の契約はありません".into(),
            (Self::UnknownContract, Lang::En) => "No contract of this customer has this number".into(),
            (Self::UnknownAccount, Lang::Ja) => "このお客様のアカウントではありません".into(),
            (Self::UnknownAccount, Lang::En) => "No account of this customer has this id".into(),
            (Self::NotPdf, Lang::Ja) => "PDFファイルを選択してください（ファイルの内容がPDFではありません）".into(),
            (Self::NotPdf, Lang::En) => "Choose a PDF file (the content of this file is not a PDF)".into(),
            (Self::BothUnknown, Lang::Ja) => {
                "保守契約番号とシリアル番号の両方が不明な場合、お問い合わせを受付することができません".into()
            }
            (Self::BothUnknown, Lang::En) => {
                "We cannot accept an inquiry when both the contract number and the serial number are unknown".into()
            }
            (Self::BadAddress { address }, Lang::Ja) => {
                format!("「{address}」はメールアドレスではありません（複数の場合はカンマ(,)で区切ってください）")
            }
            (Self::BadAddress { address }, Lang::En) => {
                format!("\"{address}\" is not an email address (separate several with commas)")
            }
            (Self::UnknownUpload, Lang::Ja) => {
                "アップロードが完了していないか、既に添付されたファイルです".into()
            }
            (Self::UnknownUpload, Lang::En) => "Not a completed upload of yours (or attached already)".into(),
            (Self::EqualsUserName, Lang::Ja) => "ユーザー名と同じパスワードは使用できません".into(),
            (Self::EqualsUserName, Lang::En) => "The password must differ from the user name".into(),
            (Self::NotInPool, Lang::Ja) => {
                "割り当てられる番号（Office Link の未割当番号）ではありません".into()
            }
            (Self::NotInPool, Lang::En) => "Not a number of the pool (an unassigned Office Link line)".into(),
            (Self::NotOnSite, Lang::Ja) => "この拠点の内線番号ではありません".into(),
            (Self::NotOnSite, Lang::En) => "Not an extension of this site".into(),
            (Self::NotTheMembers, Lang::Ja) => {
                "グループのメンバ内線番号をすべて、1回ずつ指定してください".into()
            }
            (Self::NotTheMembers, Lang::En) => "List every member of the group, each once".into(),
            (Self::WrongAnswer, Lang::Ja) => "秘密の質問の回答が正しくありません".into(),
            (Self::WrongAnswer, Lang::En) => "Not the answer to the secret question".into(),
            (Self::NoSecretQuestion, Lang::Ja) => {
                "秘密の質問が設定されていません。先に認証設定で設定してください".into()
            }
            (Self::NoSecretQuestion, Lang::En) => "No secret question is set yet: set one first".into(),
            (Self::TimeOutOfOrder, Lang::Ja) => {
                "発呼時刻・通話開始時刻・終話時刻の順になるように指定してください".into()
            }
            (Self::TimeOutOfOrder, Lang::En) => "Times must run in order: attempt, answer, end".into(),
            (Self::OutOfRange { min, max }, Lang::Ja) => format!("{min}〜{max}の範囲で指定してください"),
            (Self::OutOfRange { min, max }, Lang::En) => format!("Give a value from {min} to {max}"),
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Invalid {}

/// The checks a form can make before sending, with the server's own codes and messages.
/// The shape of a name (a person's, a company's, a token's) for the OpenAPI schema, equal
/// to what the server's `DisplayName` accepts: something besides spaces, and no control
/// (C0, C1), invisible (soft hyphen, zero-width, line/paragraph separators, word joiners,
/// byte-order mark) or direction-override characters. utoipa takes only literals: the
/// request types repeat it, and a test holds every name pattern in the document to it.
pub const NAME_PATTERN: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$";

/// Control, direction-override and invisible characters: what no shown text should hold.
pub fn is_unprintable(c: char) -> bool {
    c.is_control() || is_direction_control(c) || is_invisible(c)
}

/// Unicode direction overrides and isolates (U+202A–U+202E, U+2066–U+2069): in a name
/// they make a mail or a list show text in another order than it was typed.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing (soft hyphen, zero-width space/joiners/marks, line and
/// paragraph separators, word joiners, byte-order mark): a name made of them looks empty,
/// and in one they hide what the name says.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{2029}' | '\u{2060}'..='\u{2065}' | '\u{FEFF}'
    )
}

/// The server applies them too (and more that need its data: taken IDs, contracts).
pub mod rules {
    use super::Invalid;

    /// Fewest characters of a new password.
    pub const PASSWORD_MIN: usize = 12;
    /// Most characters of a password.
    pub const PASSWORD_MAX: usize = 128;
    /// Fewest characters of a login ID.
    pub const LOGIN_ID_MIN: usize = 3;

    pub fn required(value: &str) -> Result<(), Invalid> {
        if value.trim().is_empty() {
            Err(Invalid::Required)
        } else {
            Ok(())
        }
    }

    /// SPEC §3.2: ≥12 half-width characters with an upper-case letter, a lower-case letter
    /// and a digit (the login-ID and common-password checks need the server).
    pub fn password_shape(value: &str) -> Result<(), Invalid> {
        if value.is_empty() {
            return Err(Invalid::Required);
        }
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::NotHalfWidth);
        }
        if value.len() > PASSWORD_MAX {
            return Err(Invalid::TooLong { max: PASSWORD_MAX });
        }
        let has = |test: fn(&u8) -> bool| value.bytes().any(|b| test(&b));
        if value.len() < PASSWORD_MIN
            || !has(u8::is_ascii_uppercase)
            || !has(u8::is_ascii_lowercase)
            || !has(u8::is_ascii_digit)
        {
            return Err(Invalid::PasswordNeedsUpperLowerDigit);
        }
        Ok(())
    }

    /// At least 3 half-width characters.
    pub fn login_id_shape(value: &str) -> Result<(), Invalid> {
        let value = value.trim();
        required(value)?;
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::NotHalfWidth);
        }
        if value.len() < LOGIN_ID_MIN {
            return Err(Invalid::TooShort { min: LOGIN_ID_MIN });
        }
        Ok(())
    }

    /// One `@` between a non-empty name and a dotted domain, half-width.
    pub fn email_shape(value: &str) -> Result<(), Invalid> {
        let value = value.trim();
        required(value)?;
        let format = Invalid::Format {
            expected: "name@example.co.jp",
        };
        let (local, domain) = value.split_once('@').ok_or(format.clone())?;
        let valid = value.is_ascii()
            && !local.is_empty()
            && !domain.contains('@')
            && domain.split('.').count() >= 2
            && domain.split('.').all(|label| !label.is_empty())
            && !value.contains(char::is_whitespace);
        if valid { Ok(()) } else { Err(format) }
    }

    /// お客様番号: `N` and 9 digits (a lower-case `n` and surrounding spaces are accepted).
    pub fn customer_number_shape(value: &str) -> Result<(), Invalid> {
        let value = value.trim();
        required(value)?;
        let valid = value.len() == 10
            && value.starts_with(['N', 'n'])
            && value[1..].bytes().all(|b| b.is_ascii_digit());
        if valid {
            Ok(())
        } else {
            Err(Invalid::Format {
                expected: "N + 9 digits",
            })
        }
    }

    /// The confirmation equals the value.
    pub fn same(value: &str, confirmation: &str) -> Result<(), Invalid> {
        if value == confirmation {
            Ok(())
        } else {
            Err(Invalid::Mismatch)
        }
    }

    /// Addresses separated by commas (the seed's メール CC), at most `max`: the first entry
    /// that is no address is named (the seed's site silently sent no mail at all instead).
    pub fn address_list_shape(value: &str, max: usize) -> Result<(), Invalid> {
        let mut count = 0;
        for part in value.split(',').map(str::trim).filter(|part| !part.is_empty()) {
            email_shape(part).map_err(|_| Invalid::BadAddress {
                address: part.chars().take(100).collect(),
            })?;
            count += 1;
        }
        if count > max {
            return Err(Invalid::TooMany { max });
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn address_lists() {
            assert_eq!(address_list_shape("", 10), Ok(()));
            assert_eq!(address_list_shape(" a@example.jp , b@example.co.jp,", 10), Ok(()));
            assert_eq!(
                address_list_shape("a@example.jp; b@example.jp", 10),
                Err(Invalid::BadAddress {
                    address: "a@example.jp; b@example.jp".into()
                })
            );
            assert_eq!(
                address_list_shape("a@example.jp,田中", 10),
                Err(Invalid::BadAddress {
                    address: "田中".into()
                })
            );
            assert_eq!(
                address_list_shape("a@example.jp,b@example.jp", 1),
                Err(Invalid::TooMany { max: 1 })
            );
        }

        #[test]
        fn shapes() {
            assert_eq!(required("  "), Err(Invalid::Required));
            assert_eq!(
                password_shape("short1A"),
                Err(Invalid::PasswordNeedsUpperLowerDigit)
            );
            assert_eq!(
                password_shape("パスワードパスワード1Aa"),
                Err(Invalid::NotHalfWidth)
            );
            assert!(password_shape("Correct-Horse-42").is_ok());
            assert_eq!(login_id_shape("ab"), Err(Invalid::TooShort { min: 3 }));
            assert!(email_shape("taro@example.co.jp").is_ok());
            assert!(email_shape("taro@example").is_err());
            assert_eq!(same("a", "b"), Err(Invalid::Mismatch));
        }
    }
}
