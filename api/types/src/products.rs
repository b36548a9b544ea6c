//! The product support catalog (SPEC §5, seed 004 §④ 製品サポート情報): makers → product
//! series → the series' page of downloads, documents, standard shipping versions and
//! end-of-support dates. A customer sees the series covered by equipment on the contracts
//! it sees; staff maintain the catalog.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{MakerId, ProductEntryId, SeriesId};

crate::text_enum! {
    /// The four sections of a series' page.
    pub enum EntryKind {
        /// ダウンロード: firmware, boot loaders (a file or a link).
        Download = "download",
        /// ドキュメント: manuals, release notes (a file or a link).
        Document = "document",
        /// 標準出荷バージョン
        ShippingVersion = "shipping_version",
        /// サポート終了情報: EoE / EoL dates.
        EndOfSupport = "end_of_support",
    }
}

/// Most model prefixes on one series.
pub const MAX_MODEL_PREFIXES: usize = 50;
/// Longest note of an entry or description of a series.
pub const NOTE_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SeriesSummary {
    pub id: SeriesId,
    /// 製品シリーズ名 (EXシリーズ)
    pub name: String,
    pub description: String,
}

/// A maker with the series the caller sees (staff: all of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Maker {
    pub id: MakerId,
    /// メーカー名
    pub name: String,
    pub series: Vec<SeriesSummary>,
}

/// 製品リスト: the makers and series the caller sees, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub makers: Vec<Maker>,
}

/// One line of a series' page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProductEntry {
    pub id: ProductEntryId,
    pub kind: EntryKind,
    pub title: String,
    /// The firmware's, document's or shipping version.
    pub version: String,
    pub note: String,
    pub published_on: Option<NaiveDate>,
    /// End of engineering (end_of_support entries).
    pub eoe_on: Option<NaiveDate>,
    /// End of life (end_of_support entries).
    pub eol_on: Option<NaiveDate>,
    /// A download or document kept elsewhere (the maker's site).
    pub link_url: Option<String>,
    /// A stored download or document: its name and size; fetched from
    /// `/products/entries/{id}/file` (signed in).
    pub file_name: Option<String>,
    pub size_bytes: Option<i64>,
    /// SHA-256 of the stored file, lower-case hex (to check a firmware image).
    pub sha256: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A series' page: its entries, kind by kind, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Series {
    pub id: SeriesId,
    pub maker_id: MakerId,
    pub maker_name: String,
    pub name: String,
    pub description: String,
    /// The model prefixes the series covers (staff only; empty for customers).
    pub model_prefixes: Vec<String>,
    pub entries: Vec<ProductEntry>,
}

/// A new maker, or its new name (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct MakerRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// A new series, or its replacement (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SeriesRequest {
    pub maker_id: MakerId,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 2000))]
    pub description: String,
    /// Equipment whose model starts with one of these (case-insensitive) puts the series
    /// in its contract holders' catalog: `EX` covers `EX4300-48T`.
    #[cfg_attr(feature = "schema", schema(min_items = 1, max_items = 50))]
    pub model_prefixes: Vec<String>,
}
