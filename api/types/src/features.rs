//! Feature codes (特番) and push-tone settings of a PBX site (SPEC §8.3, seed 003 §5.2,
//! §5.4, §5.5): the rule of each code, the conflict rule between numbers the PBX dials
//! (no code equal to, or a prefix of, another), and the bodies of the settings endpoints.
//! The SPA explains conflicts live with the same [`conflicts_among`] the server refuses
//! with.

use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::validation::Invalid;

crate::text_enum! {
    /// 転送先接続後の保留特番入力時: what the hold code does once the transfer target answered.
    pub enum HoldAfterTransfer {
        /// 切断: the target is cut off and the caller comes back.
        Disconnect = "disconnect",
        /// 非切断 (the default): the code does nothing then.
        StayConnected = "stay_connected",
    }
}

crate::text_enum! {
    /// プッシュ音消去設定 (per site): whether the far end hears the tones dialled on hold.
    pub enum PushToneErase {
        /// 消去する: the tones are erased (automated answering systems then hear nothing;
        /// the push-tone send code sends them for one call).
        Erase = "erase",
        /// 消去しない (the default).
        Keep = "keep",
    }
}

crate::text_enum! {
    /// A number the PBX dials that a feature code must not overlap.
    pub enum CodeItem {
        /// 保留特番.
        HoldCode = "hold_code",
        /// ダイヤル確定特番.
        DialConfirmCode = "dial_confirm_code",
        /// プッシュ音送出特番.
        PushToneSendCode = "push_tone_send_code",
        /// パーク保留特番 (set with the site).
        ParkHoldCode = "park_hold_code",
        /// 拠点番号.
        SiteNumber = "site_number",
        /// GW識別番号.
        GatewayId = "gateway_id",
        /// 内線番号.
        Extension = "extension",
    }
}

/// 保留特番: 1–4 of `0-9 * #` (fewer than 2 is allowed, with a warning: a single key is
/// easily pressed by the noise around, seed 003 §5.2).
pub fn hold_code_shape(value: &str) -> Result<(), Invalid> {
    keys(value, 4)
}

/// ダイヤル確定特番 and プッシュ音送出特番: 1–3 of `0-9 * #`, the first `*` or `#`.
pub fn special_code_shape(value: &str) -> Result<(), Invalid> {
    keys(value, 3)?;
    if value.starts_with(['*', '#']) {
        Ok(())
    } else {
        Err(Invalid::Format {
            expected: "a first key of * or #",
        })
    }
}

fn keys(value: &str, max: usize) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'*' || b == b'#')
    {
        return Err(Invalid::Format { expected: "0-9 * #" });
    }
    if value.len() > max {
        return Err(Invalid::TooLong { max });
    }
    Ok(())
}

/// Whether the PBX could not tell the two apart: equal, or one begins the other
/// (seed 003 §5.4: hold `#7` with dial-confirm `#71`).
pub fn overlaps(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && (a.starts_with(b) || b.starts_with(a))
}

/// A code that overlaps another number the PBX dials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CodeConflict {
    /// The refused field (`hold_code`, `dial_confirm_code`, `push_tone_send_code`, or an
    /// extension's `number`).
    pub field: String,
    /// Its value.
    pub value: String,
    /// What it overlaps.
    pub item: CodeItem,
    /// The overlapped number.
    pub item_value: String,
    /// Both, for a person, in the requested language.
    pub message: String,
}

/// The overlaps of `codes` among themselves and with `fixed` (park-hold code, site number,
/// gateway ids, extensions): (code, its value, what it overlaps, that value). A pair of
/// codes is reported on both, so that each field shows what it collides with.
pub fn conflicts_among<'a>(
    codes: &[(CodeItem, &'a str)],
    fixed: &[(CodeItem, &'a str)],
) -> Vec<(CodeItem, &'a str, CodeItem, &'a str)> {
    let mut found = Vec::new();
    for (index, &(item, value)) in codes.iter().enumerate() {
        for (other_index, &(other, other_value)) in codes.iter().enumerate() {
            if index != other_index && overlaps(value, other_value) {
                found.push((item, value, other, other_value));
            }
        }
        for &(other, other_value) in fixed {
            if overlaps(value, other_value) {
                found.push((item, value, other, other_value));
            }
        }
    }
    found
}

/// A site's feature codes and push-tone settings, with the numbers they are checked
/// against (read-only here: provider staff set them with the site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FeatureCodes {
    /// 保留特番 (absent: none).
    pub hold_code: Option<String>,
    pub hold_after_transfer: HoldAfterTransfer,
    /// ダイヤル確定特番 (absent: none).
    pub dial_confirm_code: Option<String>,
    /// プッシュ音送出特番 (absent: none).
    pub push_tone_send_code: Option<String>,
    pub push_tone_erase: PushToneErase,
    /// パーク保留特番.
    pub park_hold_code: String,
    /// 拠点番号.
    pub site_number: String,
    /// GW識別番号.
    pub gateway_ids: Vec<String>,
    /// Advice that does not refuse the settings (`short_hold_code`: a 1-key hold code).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<FieldError>,
}

/// A change of the feature codes: an absent field stays, an empty code deletes the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeatureCodesUpdate {
    /// 1–4 of `0-9 * #`, or empty to delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9*#]{0,4}$"))]
    pub hold_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_after_transfer: Option<HoldAfterTransfer>,
    /// 1–3 of `0-9 * #` starting `*` or `#`, or empty to delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^([*#][0-9*#]{0,2})?$"))]
    pub dial_confirm_code: Option<String>,
    /// 1–3 of `0-9 * #` starting `*` or `#`, or empty to delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(pattern = "^([*#][0-9*#]{0,2})?$"))]
    pub push_tone_send_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_tone_erase: Option<PushToneErase>,
}

/// What a change of the feature codes would meet, without saving it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CodeCheck {
    /// Every overlap (empty: the change would be accepted).
    pub conflicts: Vec<CodeConflict>,
    pub warnings: Vec<FieldError>,
}

/// One extension's forwarding in the overview (留守番・各種転送設定確認).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ForwardingEntry {
    pub extension_id: crate::ids::ExtensionId,
    pub number: String,
    pub mobile_number: Option<String>,
    pub forwarding: crate::extensions::Forwarding,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ForwardingPage {
    pub items: Vec<ForwardingEntry>,
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn code_rules() {
        for good in ["#", "#7", "*8#", "1234", "99"] {
            assert_eq!(hold_code_shape(good), Ok(()), "{good}");
        }
        assert_eq!(hold_code_shape("12345"), Err(Invalid::TooLong { max: 4 }));
        assert!(matches!(hold_code_shape("1a"), Err(Invalid::Format { .. })));
        assert_eq!(hold_code_shape("＃7"), Err(Invalid::NotHalfWidth));
        for good in ["#", "#71", "*9", "**#"] {
            assert_eq!(special_code_shape(good), Ok(()), "{good}");
        }
        assert!(matches!(special_code_shape("71"), Err(Invalid::Format { .. })));
        assert_eq!(special_code_shape("#712"), Err(Invalid::TooLong { max: 3 }));
        assert_eq!(special_code_shape(""), Err(Invalid::Required));
    }

    #[test]
    fn the_seed_example_and_every_overlap_kind() {
        // Seed 003 §5.4: hold #7 and dial-confirm #71 collide on #7.
        let found = conflicts_among(
            &[(CodeItem::HoldCode, "#7"), (CodeItem::DialConfirmCode, "#71")],
            &[],
        );
        assert_eq!(
            found,
            vec![
                (CodeItem::HoldCode, "#7", CodeItem::DialConfirmCode, "#71"),
                (CodeItem::DialConfirmCode, "#71", CodeItem::HoldCode, "#7"),
            ]
        );
        let fixed = [
            (CodeItem::ParkHoldCode, "*8"),
            (CodeItem::SiteNumber, "0012"),
            (CodeItem::GatewayId, "81"),
            (CodeItem::Extension, "2001"),
        ];
        let against = |code: &'static str| {
            conflicts_among(&[(CodeItem::HoldCode, code)], &fixed)
                .into_iter()
                .map(|(_, _, item, value)| (item, value))
                .collect::<Vec<_>>()
        };
        assert_eq!(against("*8"), vec![(CodeItem::ParkHoldCode, "*8")], "equal");
        assert_eq!(
            against("*81"),
            vec![(CodeItem::ParkHoldCode, "*8")],
            "has it as prefix"
        );
        assert_eq!(
            against("001"),
            vec![(CodeItem::SiteNumber, "0012")],
            "is its prefix"
        );
        assert_eq!(against("8"), vec![(CodeItem::GatewayId, "81")]);
        assert_eq!(against("2001"), vec![(CodeItem::Extension, "2001")]);
        assert!(against("#9").is_empty());
    }

    proptest! {
        /// Overlap is symmetric and exactly "one starts the other".
        #[test]
        fn overlap_is_symmetric(a in "[0-9*#]{1,4}", b in "[0-9*#]{1,4}") {
            prop_assert_eq!(overlaps(&a, &b), overlaps(&b, &a));
            prop_assert_eq!(overlaps(&a, &b), a.starts_with(&b) || b.starts_with(&a));
        }
    }
}
