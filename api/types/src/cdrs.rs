//! Call-detail records (通信履歴, SPEC §8.4, seed 003 §6.3–6.5): the fields of a record, the
//! cause codes with the seed's descriptions, the secret question that guards reading
//! them, and the bodies of the ingestion, browse and download endpoints.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::validation::Invalid;

/// Records in one downloaded file (1ファイルで保存できるレコード数: 4万レコード).
pub const RECORDS_PER_FILE: i64 = 40_000;
/// Days of records kept (保存できるファイル数: 92日分).
pub const RETENTION_DAYS: i64 = 92;
/// Characters of the secret question and of its answer (各入力欄は30文字以内).
pub const SECRET_MAX_CHARS: usize = 30;
/// Records in one ingestion batch.
pub const BATCH_MAX: usize = 10_000;

/// The question or its answer: 1–30 characters, not only spaces, nothing unprintable.
pub fn secret_text_shape(value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::Required);
    }
    if value.chars().count() > SECRET_MAX_CHARS {
        return Err(Invalid::TooLong {
            max: SECRET_MAX_CHARS,
        });
    }
    if value.chars().any(crate::validation::is_unprintable) {
        return Err(Invalid::Format {
            expected: "no control or invisible characters",
        });
    }
    Ok(())
}

/// The seed's cause codes (TTC JT-Q850) and their descriptions, Japanese then English.
pub const CAUSE_CODES: &[(&str, &str, &str)] = &[
    (
        "001",
        "相手番号が存在しない/ダイヤル番号誤り",
        "Unallocated number / misdialled",
    ),
    (
        "016",
        "通話後の切断(正常切断)/発信後、相手応答前の切断(正常切断)/各ガイダンス聴取後、網からの切断(正常切断)",
        "Normal clearing (after the call, before an answer, or after a guidance)",
    ),
    (
        "017",
        "音声側が通話中(iPhoneでお休みモードまたは着信拒否設定を行っている)",
        "User busy (or an iPhone in Do Not Disturb / rejecting calls)",
    ),
    (
        "018",
        "相手ユーザー応答なし(着信タイムアウト)",
        "No user responding (ringing timed out)",
    ),
    (
        "021",
        "圏外転送先無応答",
        "Call rejected: the out-of-coverage forwarding target did not answer",
    ),
    (
        "034",
        "転送先番号として誤って外線番号を設定している携帯内線に着信/申込頂いたVoIP-GW/SIP-GWの同時接続数CH超過",
        "No circuit available: an outside number set as forwarding target, or the gateway's channels exceeded",
    ),
    (
        "041",
        "申込頂いたアクセス回線を利用できるCH数超過",
        "Temporary failure: the access line's channels exceeded",
    ),
    (
        "042",
        "一時的なリソース枯渇(iPhoneでお休みモードまたは着信拒否設定を行っている)",
        "Switching equipment congestion (or an iPhone in Do Not Disturb / rejecting calls)",
    ),
    (
        "047",
        "着信者圏外(発信者がガイダンス聴取中に切断)",
        "Callee out of coverage (the caller hung up during the guidance)",
    ),
    (
        "063",
        "(ピックアップ、コールパーク応答の要求に対して)呼が存在しない/着携帯内線が海外ローミングアウト中/着信者が公共モード(ドライブモード)/携帯内線に着信後160秒応答なし/端末の着信拒否設定(Android及びフィーチャーフォン)",
        "Service not available: no call to pick up, roaming abroad, public (drive) mode, 160 s without an answer, or the phone rejects calls",
    ),
];

/// The description of a cause code, or `None` for a code the seed does not list (kept and
/// shown as it is).
pub fn cause_description(code: &str, lang: Lang) -> Option<&'static str> {
    CAUSE_CODES
        .iter()
        .find(|(known, _, _)| *known == code)
        .map(|(_, ja, en)| lang.pick(ja, en))
}

/// One record to ingest. Times are Japan's (the PBX's clock); one given with a zone
/// (`Z`, `+09:00`) is converted to it, and a fraction of a second is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallRecordInput {
    /// The sender's id of the record (1–64 characters): re-sending it adds nothing. Absent:
    /// the record is known by its attempt time, received number, caller and callee.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 64))]
    pub record_id: Option<String>,
    /// A 発呼時刻.
    #[cfg_attr(feature = "schema", schema(example = "2026-12-05T09:30:00"))]
    pub attempted_at: NaiveDateTime,
    /// B 通話開始時刻 (absent: never answered).
    #[serde(default)]
    pub answered_at: Option<NaiveDateTime>,
    /// C 終話時刻.
    #[serde(default)]
    pub ended_at: Option<NaiveDateTime>,
    /// D 呼種別: the call was connected (成立) or not (不成立).
    pub connected: bool,
    /// E 要求サービス.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 40))]
    pub requested_service: String,
    /// F 受信番号.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 32))]
    pub received_number: String,
    /// G 発信者番号.
    #[cfg_attr(feature = "schema", schema(max_length = 32))]
    pub caller: String,
    /// H 着信者番号.
    #[cfg_attr(feature = "schema", schema(max_length = 32))]
    pub callee: String,
    /// I 転送者番号.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 32))]
    pub forwarding_party: String,
    /// J 切断種別.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 40))]
    pub disconnect_type: String,
    /// K 切断者番号.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 32))]
    pub disconnecting_party: String,
    /// L 切断理由: a 3-digit cause code (JT-Q850).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(pattern = "^([0-9]{3})?$"))]
    pub cause_code: String,
}

/// A batch of records for one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallRecordBatch {
    #[cfg_attr(feature = "schema", schema(max_items = 10000))]
    pub records: Vec<CallRecordInput>,
}

/// What a batch did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct IngestReport {
    /// Records in the batch.
    pub received: i64,
    /// Records new to the site.
    pub inserted: i64,
    /// Records the site had already (the same id or natural key).
    pub duplicates: i64,
}

/// A stored record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CallRecord {
    pub attempted_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub connected: bool,
    pub requested_service: String,
    pub received_number: String,
    pub caller: String,
    pub callee: String,
    pub forwarding_party: String,
    pub disconnect_type: String,
    pub disconnecting_party: String,
    pub cause_code: String,
    /// The cause code's description in the requested language; absent for a code the
    /// seed does not list.
    pub cause: Option<String>,
    /// Seconds from the answer to the end (absent: not answered).
    pub duration_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CallRecordPage {
    pub items: Vec<CallRecord>,
    pub total: i64,
}

/// A day with records: its files are `parts` of at most 40,000 records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CallDay {
    pub day: NaiveDate,
    pub records: i64,
    #[cfg_attr(feature = "schema", schema(minimum = 1))]
    pub parts: i64,
}

/// The secret question of a site (its answer is never shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SecretQuestion {
    /// Absent until the site's administrator sets one.
    pub question: Option<String>,
}

/// Set the secret question (a change needs the current answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SecretRequest {
    /// 現在の回答: required when a question is set.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 30))]
    pub current_answer: Option<String>,
    /// 秘密の質問 (1–30 characters).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 30))]
    pub question: String,
    /// 秘密の質問の回答 (1–30 characters).
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 30))]
    pub answer: String,
}

/// An answer to the secret question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GrantRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 30))]
    pub answer: String,
}

/// A short-lived grant to read a site's records: send it as `X-CDR-Grant`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CdrGrant {
    pub grant: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_texts_and_cause_codes() {
        assert_eq!(secret_text_shape("母の旧姓は？"), Ok(()));
        assert_eq!(secret_text_shape(&"あ".repeat(30)), Ok(()));
        assert_eq!(
            secret_text_shape(&"あ".repeat(31)),
            Err(Invalid::TooLong { max: 30 })
        );
        assert_eq!(secret_text_shape("  "), Err(Invalid::Required));
        assert_eq!(
            cause_description("016", Lang::Ja).map(|text| text.starts_with("通話後の切断")),
            Some(true)
        );
        assert_eq!(cause_description("999", Lang::En), None);
        assert_eq!(CAUSE_CODES.len(), 10);
    }
}
