//! The knowledge base (seed 001 ナレッジ, the Solution DataBase): articles by category and
//! product series, searchable by any substring (Japanese included). An article bound to a
//! series is seen by whoever sees the series in the catalog; a public one by every customer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ArticleId, AttachmentId, SeriesId};

crate::text_enum! {
    /// Seed 001: Q&A, トラブル事例, Bug情報, パッチ情報, 製品情報, セキュリティ脆弱性.
    pub enum ArticleCategory {
        Qa = "qa",
        TroubleCase = "trouble_case",
        Bug = "bug",
        Patch = "patch",
        ProductInfo = "product_info",
        SecurityAdvisory = "security_advisory",
    }
}

/// Longest article body (Markdown), in characters.
pub const BODY_MAX: usize = 50_000;

/// A search hit or list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub category: ArticleCategory,
    pub series_id: Option<SeriesId>,
    pub series_name: Option<String>,
    pub public: bool,
    pub title: String,
    /// Plain text around the first match of the search (the body's start without one).
    pub snippet: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ArticlePage {
    pub items: Vec<ArticleSummary>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Article {
    pub id: ArticleId,
    pub category: ArticleCategory,
    pub series_id: Option<SeriesId>,
    pub series_name: Option<String>,
    pub public: bool,
    pub title: String,
    /// Markdown. Clients render it without raw HTML.
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new article, or its replacement (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ArticleRequest {
    pub category: ArticleCategory,
    /// The series whose customers see it; none: staff only unless public.
    pub series_id: Option<SeriesId>,
    /// Seen by every customer, whatever its series.
    #[serde(default)]
    pub public: bool,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 50000))]
    pub body: String,
}
