//! Mobile lines of a Business Mobile contract (SPEC §7, seed 002): registered up to 15 at a
//! time, not deletable in their first 30 days (billing starts on registration), searched
//! by number or user name. Lines with the Office Link option form the pool of numbers PBX
//! extensions are assigned to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ContractId, MobileLineId};
use crate::validation::Invalid;

/// Lines per registration request (one screen page of the seed's site).
pub const LINES_PER_REQUEST: usize = 15;
/// Characters of a user name (全角最大20文字).
pub const USER_NAME_MAX: usize = 20;
/// The minimum usage period: a line is deletable this many days after its registration.
pub const MINIMUM_DAYS: i64 = 30;

/// A mobile number as people type it, as it is stored: full-width digits made half-width,
/// hyphens (half- and full-width, the long vowel mark an IME gives) and spaces dropped.
pub fn normalize_mobile_number(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '-' | '－' | 'ー' | '‐' | '−' => None,
            c if c.is_whitespace() => None,
            c => Some(c),
        })
        .collect()
}

/// 090/080/070 and 8 more digits (seed 002 ②), after [`normalize_mobile_number`].
pub fn mobile_number_shape(value: &str) -> Result<(), Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    let valid = value.len() == 11
        && value.bytes().all(|b| b.is_ascii_digit())
        && ["090", "080", "070"]
            .iter()
            .any(|prefix| value.starts_with(prefix));
    if valid {
        Ok(())
    } else {
        Err(Invalid::Format {
            expected: "090/080/070 + 8 digits",
        })
    }
}

/// Something besides spaces, at most [`USER_NAME_MAX`] characters (full-width count one).
pub fn user_name_shape(value: &str) -> Result<(), Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if value.chars().count() > USER_NAME_MAX {
        return Err(Invalid::TooLong { max: USER_NAME_MAX });
    }
    if value.chars().any(crate::validation::is_unprintable) {
        return Err(Invalid::Format {
            expected: "no control or invisible characters",
        });
    }
    Ok(())
}

crate::text_enum! {
    /// Which lines a search shows (seed 002 ③ 絞込み).
    pub enum LineState {
        /// 現用利用者: not deleted.
        Current = "current",
        /// 削除利用者.
        Deleted = "deleted",
        All = "all",
    }
}

crate::text_enum! {
    /// How a user-name search matches (seed 002 ② 検索方法).
    pub enum NameMatch {
        /// 完全一致.
        Exact = "exact",
        /// 前方一致.
        Prefix = "prefix",
        /// 部分一致.
        Partial = "partial",
    }
}

/// One line to register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewMobileLine {
    /// 利用者名: up to 20 characters (a department first helps, the seed says).
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 1, max_length = 20, example = "営業部 山田")
    )]
    pub user_name: String,
    /// 登録電話番号: 090/080/070 and 8 digits; hyphens, spaces and full-width digits are
    /// taken as typed and stored as 11 half-width digits.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 11, max_length = 20, example = "090-1234-5678")
    )]
    pub mobile_number: String,
    /// 国際発信規制: international calls barred (default: allowed).
    #[serde(default)]
    pub international_restricted: bool,
    /// The Office Link option: the number joins the pool PBX extensions are assigned to.
    #[serde(default)]
    pub office_link: bool,
}

/// Lines to register on one Business Mobile contract: all or none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MobileLinesRequest {
    pub contract_id: ContractId,
    #[cfg_attr(feature = "schema", schema(min_items = 1, max_items = 15))]
    pub lines: Vec<NewMobileLine>,
}

/// A change of a line (the user name is overwritten directly, seed 002 ①). The number,
/// contract and Office Link option do not change: other fields are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MobileLineUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub international_restricted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MobileLine {
    pub id: MobileLineId,
    pub contract_id: ContractId,
    pub contract_number: String,
    pub user_name: String,
    pub mobile_number: String,
    pub international_restricted: bool,
    pub office_link: bool,
    /// Billing starts on this day (Japan time).
    pub registered_on: NaiveDate,
    /// The first day it may be deleted (registration + 30 days).
    pub deletable_from: NaiveDate,
    pub deleted_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MobileLinePage {
    pub items: Vec<MobileLine>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_taken_as_typed() {
        assert_eq!(normalize_mobile_number("090-1234-5678"), "09012345678");
        assert_eq!(
            normalize_mobile_number("０９０－１２３４－５６７８"),
            "09012345678"
        );
        assert_eq!(normalize_mobile_number(" 090 1234 5678 "), "09012345678");
        assert_eq!(normalize_mobile_number("090ー1234ー5678"), "09012345678");
        assert_eq!(
            mobile_number_shape(&normalize_mobile_number("０９０１２３４５６７８")),
            Ok(())
        );
    }

    #[test]
    fn mobile_numbers() {
        for good in ["09012345678", "08000000000", "07099999999", " 09012345678 "] {
            assert_eq!(mobile_number_shape(good), Ok(()), "{good}");
        }
        assert_eq!(mobile_number_shape(""), Err(Invalid::Required));
        assert_eq!(
            mobile_number_shape("０９０１２３４５６７８"),
            Err(Invalid::NotHalfWidth)
        );
        for bad in [
            "090-1234-5678",
            "0312345678",
            "06012345678",
            "0901234567",
            "090123456789",
            "9012345678",
        ] {
            assert!(
                matches!(mobile_number_shape(bad), Err(Invalid::Format { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn user_names() {
        assert_eq!(user_name_shape("営業部　山田太郎"), Ok(()));
        assert_eq!(user_name_shape(&"山".repeat(20)), Ok(()));
        assert_eq!(
            user_name_shape(&"山".repeat(21)),
            Err(Invalid::TooLong { max: 20 })
        );
        assert_eq!(user_name_shape("  "), Err(Invalid::Required));
        for hidden in [
            "a\u{7}b",
            "a\u{202e}",
            "\u{2066}x\u{2069}",
            "\u{feff}bom",
            "a\u{200b}",
        ] {
            assert!(
                matches!(user_name_shape(hidden), Err(Invalid::Format { .. })),
                "{hidden:?}"
            );
        }
    }
}
