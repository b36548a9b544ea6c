//! PBX sites (拠点) and their extensions (内線番号, SPEC §8.1, seed 003 §3–4): the rules of
//! every field, shared by the server (which refuses) and the SPA (which checks first), and
//! the bodies of the site and extension endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ExtensionId, OrganizationId, SiteId};
use crate::validation::Invalid;

/// Half-width letters and digits only, `min..=max` of them.
fn alphanumeric(value: &str, min: usize, max: usize) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Invalid::Format {
            expected: "letters and digits",
        });
    }
    if value.len() < min {
        return Err(Invalid::TooShort { min });
    }
    if value.len() > max {
        return Err(Invalid::TooLong { max });
    }
    Ok(())
}

/// 内線番号: 2–15 half-width digits, the first 2–9 (0 and 1 start outside and special
/// numbers).
pub fn extension_number_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::Format { expected: "digits" });
    }
    if value.starts_with(['0', '1']) {
        return Err(Invalid::Format {
            expected: "a first digit of 2 to 9",
        });
    }
    if value.len() < 2 {
        return Err(Invalid::TooShort { min: 2 });
    }
    if value.len() > 15 {
        return Err(Invalid::TooLong { max: 15 });
    }
    Ok(())
}

/// SIP ユーザー名: 1–32 letters and digits.
pub fn sip_user_shape(value: &str) -> Result<(), Invalid> {
    alphanumeric(value, 1, 32)
}

/// SIP パスワード: 1–16 letters and digits.
pub fn sip_password_shape(value: &str) -> Result<(), Invalid> {
    alphanumeric(value, 1, 16)
}

/// Web ユーザー名: 1–16 letters and digits.
pub fn web_user_shape(value: &str) -> Result<(), Invalid> {
    alphanumeric(value, 1, 16)
}

/// Web パスワード: exactly 8 letters and digits, not the web user name.
pub fn web_password_shape(value: &str, web_user: &str) -> Result<(), Invalid> {
    alphanumeric(value, 8, 8)?;
    if value == web_user {
        return Err(Invalid::EqualsUserName);
    }
    Ok(())
}

/// 拠点番号 and gateway ids: 1–15 half-width digits.
pub fn site_number_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) || value.len() > 15 {
        return Err(Invalid::Format {
            expected: "1 to 15 digits",
        });
    }
    Ok(())
}

/// パーク保留特番: 1–4 of `0-9 * #`.
pub fn park_hold_code_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    let valid = value.len() <= 4
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#');
    if valid {
        Ok(())
    } else {
        Err(Invalid::Format {
            expected: "1 to 4 of 0-9 * #",
        })
    }
}

/// The site's domain name: dotted labels of letters, digits and hyphens.
pub fn domain_name_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if value.len() <= 253 && value.contains('.') && value.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(Invalid::Format {
            expected: "a domain name (pbx.example.co.jp)",
        })
    }
}

/// Seconds before an unanswered call is forwarded: from, to.
pub const NO_ANSWER_SECONDS: (i32, i32) = (5, 60);

/// A forwarding destination: 2–20 half-width digits (an extension or an outside number).
pub fn forward_number_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if (2..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Invalid::Format {
            expected: "2 to 20 digits",
        })
    }
}

/// An extension's call forwarding (set by its user on the phone; readable and writable
/// here): each destination absent = that forwarding off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Forwarding {
    /// 無条件転送: every call.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{2,20}$"))]
    pub always: Option<String>,
    /// 話中転送: when the extension is busy.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{2,20}$"))]
    pub busy: Option<String>,
    /// 無応答転送: when nobody answers within `no_answer_seconds`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{2,20}$"))]
    pub no_answer: Option<String>,
    /// Seconds before an unanswered call is forwarded (5–60; 20 when unset).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(minimum = 5, maximum = 60))]
    pub no_answer_seconds: Option<i32>,
    /// 圏外転送: when the phone is out of coverage.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{2,20}$"))]
    pub unreachable: Option<String>,
}

/// A site to create (provider staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SiteRequest {
    pub organization_id: OrganizationId,
    /// The site's name as the customer knows it (本社, 大阪支店).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 4, max_length = 253, example = "pbx01.demo-corp.example.jp")
    )]
    pub domain_name: String,
    /// 拠点番号: 1–15 digits.
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{1,15}$"))]
    pub site_number: String,
    /// Gateway ids (digits), checked against feature codes.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 20))]
    pub gateway_ids: Vec<String>,
    /// パーク保留特番: 1–4 of `0-9 * #`.
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9*#]{1,4}$"))]
    pub park_hold_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: SiteId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub name: String,
    pub domain_name: String,
    pub site_number: String,
    pub gateway_ids: Vec<String>,
    pub park_hold_code: String,
    pub extension_count: i64,
    pub created_at: DateTime<Utc>,
}

/// An extension to create. The SIP user name and password default to the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ExtensionRequest {
    #[cfg_attr(feature = "schema", schema(pattern = "^[2-9][0-9]{1,14}$", example = "2001"))]
    pub number: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,32}$"))]
    pub sip_user: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,16}$"))]
    pub sip_password: Option<String>,
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,16}$"))]
    pub web_user: String,
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{8}$"))]
    pub web_password: String,
    /// A number of the site's pool (Office Link lines not yet assigned).
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 11, max_length = 20, example = "090-1234-5678")
    )]
    pub mobile_number: Option<String>,
}

/// A change of an extension's profile: what is absent stays; the number does not change
/// (other fields are refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtensionUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,32}$"))]
    pub sip_user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,16}$"))]
    pub sip_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{1,16}$"))]
    pub web_user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^[A-Za-z0-9]{8}$"))]
    pub web_password: Option<String>,
}

/// An extension's profile. The passwords are never in it (they are stored encrypted and
/// given back only by the CSV export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Extension {
    pub id: ExtensionId,
    pub site_id: SiteId,
    pub number: String,
    pub sip_user: String,
    pub web_user: String,
    /// The assigned mobile number, if any.
    pub mobile_number: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ExtensionPage {
    pub items: Vec<Extension>,
    pub total: i64,
}

crate::text_enum! {
    /// What a CSV file does to a site's extensions (seed 003 §3.2, §4.2).
    pub enum CsvAction {
        /// 一括登録: 10 columns `extension, mobile, reserved1, sip_id, sip_password,
        /// reserved2, reserved3, web_user, web_password, reserved4`, or 2 `extension, mobile`.
        Register = "register",
        /// 一括削除: 3 columns `extension, mobile, reserved1`.
        Delete = "delete",
    }
}

crate::text_enum! {
    /// The character encoding a CSV file was read in.
    pub enum CsvEncoding {
        /// Shift_JIS (CP932), what the seed asks for.
        ShiftJis = "shift_jis",
        /// UTF-8 without a byte-order mark (taken when the bytes can be nothing else).
        Utf8 = "utf-8",
        /// UTF-8 with a byte-order mark.
        Utf8Bom = "utf-8-bom",
        /// Plain ASCII: the same in every encoding accepted.
        Ascii = "ascii",
    }
}

crate::text_enum! {
    /// The encoding of an export.
    pub enum ExportEncoding {
        /// Shift_JIS (CP932), what the seed's tools read.
        ShiftJis = "shift_jis",
        /// UTF-8 with a byte-order mark (so that spreadsheets read it as UTF-8).
        Utf8 = "utf-8",
    }
}

crate::text_enum! {
    /// What happens to forwarding settings when an extension changes hands.
    pub enum ForwardingChoice {
        /// The extension keeps its forwarding (the seed's default, §6.1 note).
        Keep = "keep",
        /// Every forwarding of the extensions involved is turned off.
        Clear = "clear",
    }
}

/// One refused row of a CSV file (or the file itself: `line` 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CsvRowError {
    /// The line of the file (1 = first); 0 for the file as a whole.
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub line: u64,
    /// The spreadsheet column (A–J) of the refused value; absent for a row-level reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The column's name (`extension`, `mobile`, `sip_id`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The refused value as read (at most 40 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The reason: `duplicate` (the seed's 233), `not_in_pool`, `leading_zero_lost`,
    /// `not_half_width`, `column_count`, `reserved`, `not_on_site`, `mobile_mismatch`,
    /// `in_groups`, or a field rule's code (`required`, `format`, `too_long`…).
    pub code: String,
    /// The reason in the caller's language (the seed's wording where it has one).
    pub message: String,
}

/// What a CSV file did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub action: CsvAction,
    pub encoding: CsvEncoding,
    pub dry_run: bool,
    /// Rows read (every one valid).
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub rows: i64,
    /// Extensions registered or deleted (0 on a dry run).
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub applied: i64,
    /// Of a bulk delete with `force`: the group memberships removed with the extensions.
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub memberships_removed: i64,
}

/// 譲渡 (seed 003 §6.1): the extension moves to another mobile number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// A current Office Link number of the organization. Another extension holding it
    /// loses it (or is deleted, with `delete_previous`).
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 11, max_length = 20, example = "090-1234-5678")
    )]
    pub mobile_number: String,
    #[serde(default = "keep")]
    pub forwarding: ForwardingChoice,
    /// Delete the extension that held the number (the seed's step ②), instead of leaving
    /// it without a number. Refused while it is in a group.
    #[serde(default)]
    pub delete_previous: bool,
}

fn keep() -> ForwardingChoice {
    ForwardingChoice::Keep
}

/// The outcome of a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TransferOutcome {
    /// The extension with its new number.
    pub extension: Extension,
    /// The extension that held the number, now without one (absent: none, or deleted).
    pub released: Option<Extension>,
    /// The number of the extension deleted with `delete_previous`.
    pub deleted_number: Option<String>,
}

/// 交換 (seed 003 §6.2): two extensions of a site exchange their mobile numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SwapRequest {
    pub first: ExtensionId,
    pub second: ExtensionId,
    #[serde(default = "keep")]
    pub forwarding: ForwardingChoice,
}

/// Both extensions after a swap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SwapOutcome {
    pub first: Extension,
    pub second: Extension,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn extension_numbers() {
        for good in ["20", "2001", "999999999999999", "300"] {
            assert_eq!(extension_number_shape(good), Ok(()), "{good}");
        }
        assert_eq!(extension_number_shape(""), Err(Invalid::Required));
        assert_eq!(extension_number_shape("２００１"), Err(Invalid::NotHalfWidth));
        assert_eq!(extension_number_shape("2"), Err(Invalid::TooShort { min: 2 }));
        assert_eq!(
            extension_number_shape("2000000000000000"),
            Err(Invalid::TooLong { max: 15 })
        );
        for bad in ["0120", "1001", "20a1", "20 1"] {
            assert!(
                matches!(extension_number_shape(bad), Err(Invalid::Format { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn profile_fields() {
        assert_eq!(sip_user_shape(&"a".repeat(32)), Ok(()));
        assert_eq!(sip_user_shape(&"a".repeat(33)), Err(Invalid::TooLong { max: 32 }));
        assert_eq!(
            sip_password_shape(&"9".repeat(17)),
            Err(Invalid::TooLong { max: 16 })
        );
        assert!(matches!(web_user_shape("tanaka_1"), Err(Invalid::Format { .. })));
        assert_eq!(web_password_shape("Abcd1234", "tanaka"), Ok(()));
        assert_eq!(
            web_password_shape("Abcd123", "tanaka"),
            Err(Invalid::TooShort { min: 8 })
        );
        assert_eq!(
            web_password_shape("Abcd12345", "tanaka"),
            Err(Invalid::TooLong { max: 8 })
        );
        assert_eq!(
            web_password_shape("tanaka01", "tanaka01"),
            Err(Invalid::EqualsUserName)
        );
        assert_eq!(
            web_password_shape("ｔａｎａｋａ01", "x"),
            Err(Invalid::NotHalfWidth)
        );
        assert_eq!(park_hold_code_shape("*8#"), Ok(()));
        assert!(park_hold_code_shape("*8#12").is_err());
        assert_eq!(domain_name_shape("pbx01.demo-corp.example.jp"), Ok(()));
        assert!(domain_name_shape("-pbx.example.jp").is_err());
        assert!(domain_name_shape("localhost").is_err());
        assert_eq!(site_number_shape("0012"), Ok(()));
    }

    proptest! {
        /// Exactly the numbers of the rule pass: 2–15 digits, the first 2–9.
        #[test]
        fn extension_numbers_match_their_rule(value in "\\PC{0,20}") {
            let rule = (2..=15).contains(&value.len())
                && value.bytes().all(|b| b.is_ascii_digit())
                && !value.starts_with(['0', '1']);
            prop_assert_eq!(extension_number_shape(&value).is_ok(), rule);
        }

        #[test]
        fn every_valid_extension_number_passes(value in "[2-9][0-9]{1,14}") {
            prop_assert_eq!(extension_number_shape(&value), Ok(()));
        }

        /// A web password passes exactly when it is 8 letters or digits unlike the user.
        #[test]
        fn web_passwords_match_their_rule(value in "[A-Za-z0-9_ あ]{0,10}", user in "[A-Za-z0-9]{1,16}") {
            let rule = value.len() == 8 && value.bytes().all(|b| b.is_ascii_alphanumeric()) && value != user;
            prop_assert_eq!(web_password_shape(&value, &user).is_ok(), rule);
        }

        #[test]
        fn sip_users_never_panic_and_pass_only_alphanumerics(value in "\\PC{0,40}") {
            if sip_user_shape(&value).is_ok() {
                prop_assert!((1..=32).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()));
            }
        }
    }
}
