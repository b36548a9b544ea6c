//! Values that validate on construction ("parse, don't validate"). Once a value has one of
//! these types nobody checks it again. Construction fails with an [`Invalid`] reason; the
//! handler adds the field name.

use std::fmt;

pub use madoguchi_types::validation::Invalid;

/// Declares a validated string newtype with `parse`, `as_str`, `Display` and `AsRef<str>`.
macro_rules! string_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

fn required(raw: &str) -> Result<&str, Invalid> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        Err(Invalid::Required)
    } else {
        Ok(trimmed)
    }
}

string_newtype!(
    /// Customer number: `N` followed by 9 digits (seed 002).
    CustomerNumber
);

impl CustomerNumber {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        madoguchi_types::validation::rules::customer_number_shape(raw)?;
        Ok(Self(raw.trim().to_ascii_uppercase()))
    }
}

string_newtype!(
    /// Contract number, e.g. `ABC1234567`: 4–20 upper-case letters and digits.
    ContractNumber
);

impl ContractNumber {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = required(raw)?.to_ascii_uppercase();
        if !value.is_ascii() {
            return Err(Invalid::NotHalfWidth);
        }
        let valid =
            (4..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if valid {
            Ok(Self(value))
        } else {
            Err(Invalid::Format {
                expected: "4-20 letters and digits",
            })
        }
    }
}

string_newtype!(
    /// An email address, lower-cased: one `@`, a dotted domain, no spaces, ≤254 characters.
    EmailAddress
);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = required(raw)?.to_ascii_lowercase();
        if value.len() > 254 {
            return Err(Invalid::TooLong { max: 254 });
        }
        let format = Invalid::Format {
            expected: "name@example.co.jp",
        };
        if !value.is_ascii() {
            return Err(format);
        }
        let (local, domain) = value.split_once('@').ok_or(format.clone())?;
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"@,;:<>()[]\\\"".contains(&b));
        // The address must also be one our mailer can send to, by the same parser.
        if domain_ok && local_ok && value.parse::<lettre::Address>().is_ok() {
            Ok(Self(value))
        } else {
            Err(format)
        }
    }

    /// For the mailer; valid by construction.
    pub fn to_address(&self) -> Option<lettre::Address> {
        self.0.parse().ok()
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }
}

/// SPEC §3.1 / seed 004 FAQ: the contact email must be in the maintenance email's domain.
/// Equal domains match; so do a domain and a subdomain of it (only one side has the extra
/// label); two different subdomains of one domain do not.
pub fn domains_compatible(contact: &EmailAddress, maintenance: &EmailAddress) -> bool {
    let (a, b) = (contact.domain(), maintenance.domain());
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

string_newtype!(
    /// Login ID: at least 3 half-width characters (an email address is recommended), case-
    /// insensitive, stored lower-case.
    LoginId
);

impl LoginId {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = required(raw)?;
        if !value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Invalid::NotHalfWidth);
        }
        if value.len() < Self::MIN_LEN {
            return Err(Invalid::TooShort { min: Self::MIN_LEN });
        }
        if value.len() > Self::MAX_LEN {
            return Err(Invalid::TooLong { max: Self::MAX_LEN });
        }
        Ok(Self(value.to_ascii_lowercase()))
    }
}

string_newtype!(
    /// A person's or a company's name as typed: trimmed, 1–100 characters.
    DisplayName
);

impl DisplayName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = required(raw)?;
        if value.chars().count() > Self::MAX_LEN {
            return Err(Invalid::TooLong { max: Self::MAX_LEN });
        }
        // The same rule as `validation::NAME_PATTERN` in the published schema.
        if value.chars().any(is_unprintable) {
            return Err(Invalid::Format {
                expected: "no control characters",
            });
        }
        Ok(Self(value.to_owned()))
    }
}

/// A date the portal deals in (contract periods, issue dates, filters): years 1900–2199.
/// chrono also reads `+12345-01-01`; SQLite would store it as text that no longer compares
/// as a date, and PostgreSQL refuses it.
pub fn business_date(date: chrono::NaiveDate) -> Result<chrono::NaiveDate, Invalid> {
    use chrono::Datelike;
    if (1900..=2199).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Invalid::Format {
            expected: "a date between 1900 and 2199",
        })
    }
}

/// Free text of several lines (a comment): trimmed, at most `max` characters, line breaks
/// and tabs kept, other control, direction-override and invisible characters refused (a
/// NUL cannot even be stored in PostgreSQL). `Ok(None)` when empty.
pub fn comment(raw: &str, max: usize) -> Result<Option<String>, Invalid> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.chars().count() > max {
        return Err(Invalid::TooLong { max });
    }
    let forbidden = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_direction_control(c) || is_invisible(c)
    };
    if value.chars().any(forbidden) {
        return Err(Invalid::Format {
            expected: "no control characters",
        });
    }
    Ok(Some(value.to_owned()))
}

/// Required free text of several lines: as [`comment`], but empty is
/// [`Invalid::Required`].
pub fn required_text(raw: &str, max: usize) -> Result<String, Invalid> {
    comment(raw, max)?.ok_or(Invalid::Required)
}

pub use madoguchi_types::validation::{is_direction_control, is_invisible, is_unprintable};

/// A new password that meets the policy (SPEC §3.2): ≥12 half-width characters with an
/// upper-case letter, a lower-case letter and a digit, and not the login ID.
/// Deliberately not `Display`: it must never be formatted into a log.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str, login_id: &LoginId) -> Result<Self, Invalid> {
        // The shape rule is shared with the SPA, which checks it before sending.
        madoguchi_types::validation::rules::password_shape(raw)?;
        if raw.eq_ignore_ascii_case(login_id.as_str()) {
            return Err(Invalid::PasswordEqualsLoginId);
        }
        // The list is lower-case; "Password1234" is as guessable as "password1234".
        if passwords::analyzer::is_common_password(raw)
            || passwords::analyzer::is_common_password(raw.to_lowercase())
        {
            return Err(Invalid::PasswordTooCommon);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_refuse_control_and_direction_characters() {
        assert!(DisplayName::parse("山田 太郎").is_ok());
        for forged in [
            "山田\n太郎",
            "invoice\u{202e}fdp.exe",
            "a\u{2066}b",
            "tab\there",
            "\u{200B}",
            "\u{FEFF}株式会社",
            "a\u{2028}b",
        ] {
            assert!(
                matches!(DisplayName::parse(forged), Err(Invalid::Format { .. })),
                "{forged:?}"
            );
        }
    }

    /// The published schema's pattern and the server accept exactly the same names: a
    /// client that follows the schema is never refused, and what the server refuses breaks
    /// the schema. Every character of the planes names are written in, between letters.
    #[test]
    fn the_schema_pattern_for_names_is_the_server_rule() {
        let schema =
            serde_json::json!({"type": "string", "pattern": madoguchi_types::validation::NAME_PATTERN});
        let validator = jsonschema::validator_for(&schema).expect("the pattern compiles");
        let characters = (0..=0x3100_u32).chain(0xFE00..=0xFFFF).filter_map(char::from_u32);
        for c in characters {
            let name = format!("a{c}b");
            assert_eq!(
                validator.is_valid(&serde_json::json!(name)),
                DisplayName::parse(&name).is_ok(),
                "U+{:04X}",
                u32::from(c)
            );
        }
        for blank in ["", " ", "\u{3000}", "\u{200B}"] {
            assert!(!validator.is_valid(&serde_json::json!(blank)), "{blank:?}");
            assert!(DisplayName::parse(blank).is_err(), "{blank:?}");
        }
    }

    #[test]
    fn customer_number_is_n_and_nine_digits() {
        assert_eq!(
            CustomerNumber::parse(" n123456789 ").map(String::from),
            Ok("N123456789".into())
        );
        assert!(CustomerNumber::parse("N12345678").is_err());
        assert!(CustomerNumber::parse("X123456789").is_err());
        assert!(CustomerNumber::parse("N12345678a").is_err());
        assert_eq!(CustomerNumber::parse(""), Err(Invalid::Required));
    }

    #[test]
    fn contract_number_is_upper_cased_half_width() {
        assert_eq!(
            ContractNumber::parse("abc1234567").map(String::from),
            Ok("ABC1234567".into())
        );
        assert_eq!(ContractNumber::parse("ＡＢＣ１２３"), Err(Invalid::NotHalfWidth));
        assert!(ContractNumber::parse("AB").is_err());
    }

    #[test]
    fn business_dates_and_comments() {
        let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert!(business_date(date(2026, 4, 1)).is_ok());
        assert!(business_date(date(12345, 1, 1)).is_err());
        assert!(business_date(date(-200, 1, 1)).is_err());
        assert_eq!(
            comment("  台数を\n変更  ", 10),
            Ok(Some("台数を\n変更".to_owned()))
        );
        assert_eq!(comment(" ", 10), Ok(None));
        assert!(comment("a\u{0}b", 10).is_err());
        assert!(comment("a\u{202e}b", 10).is_err());
        assert_eq!(comment("あいう", 2), Err(Invalid::TooLong { max: 2 }));
    }

    #[test]
    fn email_is_lower_cased_and_checked() {
        let email = EmailAddress::parse("Taro.Yamada@Example.CO.JP").expect("valid");
        assert_eq!(email.as_str(), "taro.yamada@example.co.jp");
        assert_eq!(email.domain(), "example.co.jp");
        for bad in [
            "taro",
            "taro@",
            "@example.com",
            "taro@example",
            "ta ro@example.com",
            "a@b@c.jp",
            "太郎@example.jp",
            "a@-x.jp",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn contact_and_maintenance_domains() {
        let email = |raw: &str| EmailAddress::parse(raw).expect("valid");
        let compatible = |a: &str, b: &str| domains_compatible(&email(a), &email(b));
        assert!(compatible("a@example.co.jp", "b@example.co.jp"));
        assert!(compatible("a@tokyo.example.co.jp", "b@example.co.jp"));
        assert!(compatible("a@example.co.jp", "b@osaka.example.co.jp"));
        assert!(!compatible("a@tokyo.example.co.jp", "b@osaka.example.co.jp"));
        assert!(!compatible("a@example.com", "b@example.co.jp"));
        assert!(!compatible("a@badexample.co.jp", "b@example.co.jp"));
    }

    #[test]
    fn login_id_needs_three_half_width_characters() {
        assert_eq!(LoginId::parse("Abc").map(String::from), Ok("abc".into()));
        assert_eq!(LoginId::parse("ab"), Err(Invalid::TooShort { min: 3 }));
        assert_eq!(LoginId::parse("やまだ"), Err(Invalid::NotHalfWidth));
        assert_eq!(LoginId::parse("a b c"), Err(Invalid::NotHalfWidth));
    }

    #[test]
    fn password_policy() {
        let login = LoginId::parse("yamada@example.co.jp").expect("valid");
        assert!(NewPassword::parse("Correct-Horse-42", &login).is_ok());
        assert_eq!(
            NewPassword::parse("short1A", &login).err(),
            Some(Invalid::PasswordNeedsUpperLowerDigit)
        );
        assert_eq!(
            NewPassword::parse("alllowercase123", &login).err(),
            Some(Invalid::PasswordNeedsUpperLowerDigit)
        );
        assert_eq!(
            NewPassword::parse("NoDigitsAtAllHere", &login).err(),
            Some(Invalid::PasswordNeedsUpperLowerDigit)
        );
        let same = LoginId::parse("Tanaka2026abc").expect("valid");
        assert_eq!(
            NewPassword::parse("Tanaka2026abc", &same).err(),
            Some(Invalid::PasswordEqualsLoginId)
        );
        assert!(!format!("{:?}", NewPassword::parse("Correct-Horse-42", &login)).contains("Horse"));
        assert_eq!(
            NewPassword::parse("Password1234", &login).err(),
            Some(Invalid::PasswordTooCommon)
        );
    }
}
