//! The knowledge base (seed 001 ナレッジ, the Solution DataBase): articles by category and
//! product series with attachments ([`routes`]). A customer sees an article bound to a
//! series it sees in the catalog, and every public article; staff see all.
//!
//! Search finds any substring, Japanese included (Japanese has no spaces to split words
//! at): each term of three or more characters goes through a trigram index — SQLite FTS5
//! with the `trigram` tokenizer, PostgreSQL `pg_trgm` (see the migrations). Shorter terms
//! cannot use a trigram index on either backend and are matched by a scan.

mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
pub use madoguchi_types::ids::{ArticleId, AttachmentId};
pub use madoguchi_types::knowledge::ArticleCategory;

use crate::accounts::AccountId;
use crate::products::SeriesId;
use crate::schema::{knowledge_articles, knowledge_attachments};

pub use routes::routes;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = knowledge_articles)]
pub struct ArticleRow {
    pub id: ArticleId,
    pub category: ArticleCategory,
    pub series_id: Option<SeriesId>,
    pub public: bool,
    pub title: String,
    pub body: String,
    pub created_by: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = knowledge_attachments)]
pub struct AttachmentRow {
    pub id: AttachmentId,
    pub article_id: ArticleId,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub created_at: NaiveDateTime,
}
