//! Searching text by any substring, Japanese included (knowledge articles, tickets):
//! turning a search into lookups in the backend's trigram index, and a hit into a snippet.

use madoguchi_types::DatabaseBackend;

use crate::domain::Invalid;
use crate::error::ApiError;
use crate::listing::SEARCH_MAX;

/// Most terms in one search.
pub const MAX_TERMS: usize = 5;

/// Characters a term needs for the trigram index.
const INDEXED_TERM: usize = 3;

/// The whitespace-separated terms of `q` (every one must match), or none.
pub fn terms(q: Option<&str>) -> Result<Vec<String>, ApiError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(Vec::new());
    };
    if q.chars().count() > SEARCH_MAX {
        return Err(ApiError::invalid("q", Invalid::TooLong { max: SEARCH_MAX }));
    }
    if q.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "q",
            Invalid::Format {
                expected: "text without control characters",
            },
        ));
    }
    // Full-width spaces separate terms as typed on a Japanese keyboard.
    let terms: Vec<String> = q
        .split(char::is_whitespace)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if terms.len() > MAX_TERMS {
        return Err(ApiError::invalid("q", Invalid::TooMany { max: MAX_TERMS }));
    }
    Ok(terms)
}

/// A `LIKE` pattern (escape `\`) finding `term` anywhere.
fn contains(term: &str) -> String {
    format!(
        "%{}%",
        term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
    )
}

/// An FTS5 phrase: with the trigram tokenizer, a substring match.
fn fts_phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// A searchable text: the expression the PostgreSQL trigram (GIN) index is on, and the
/// SQLite FTS5 trigram table that mirrors it.
pub struct TextIndex {
    /// Exactly the indexed expression of the PostgreSQL migration.
    pub text: &'static str,
    /// The FTS5 table (its rowid is the row's id).
    pub fts: &'static str,
    /// The row's id column.
    pub id: &'static str,
}

pub const KNOWLEDGE: TextIndex = TextIndex {
    text: "(knowledge_articles.title || ' ' || knowledge_articles.body)",
    fts: "knowledge_search",
    id: "knowledge_articles.id",
};

pub const TICKETS: TextIndex = TextIndex {
    text: "(tickets.subject || ' ' || tickets.body)",
    fts: "ticket_search",
    id: "tickets.id",
};

/// The condition "the indexed text contains `term`" as SQL around one bound text,
/// `(before, bound, after)`, answered by the backend's trigram index when the term is long
/// enough. Case-insensitive on both backends.
pub fn term_condition(
    backend: DatabaseBackend,
    index: &TextIndex,
    term: &str,
) -> (String, String, &'static str) {
    let indexed = term.chars().count() >= INDEXED_TERM;
    match backend {
        DatabaseBackend::Postgres => (format!("{} ILIKE ", index.text), contains(term), " ESCAPE '\\'"),
        DatabaseBackend::Sqlite if indexed => (
            format!(
                "{} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ",
                index.id,
                fts = index.fts
            ),
            fts_phrase(term),
            ")",
        ),
        // One or two characters: no trigram to look up. SQLite's LIKE folds ASCII case only;
        // the trigram tokenizer folds all, so longer terms are fully case-insensitive.
        DatabaseBackend::Sqlite => (format!("{} LIKE ", index.text), contains(term), " ESCAPE '\\'"),
    }
}

/// Plain text around the first match of a term in `body` (its start without one): the
/// Markdown markers that would show as noise removed, about 120 characters.
pub fn snippet(body: &str, terms: &[String]) -> String {
    let plain: Vec<char> = body
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !matches!(c, '#' | '*' | '`' | '>' | '|'))
        .collect();
    let folded: Vec<char> = plain
        .iter()
        .map(|c| c.to_lowercase().next().unwrap_or(*c))
        .collect();
    let first = terms
        .iter()
        .filter_map(|term| {
            let needle: Vec<char> = term
                .chars()
                .map(|c| c.to_lowercase().next().unwrap_or(c))
                .collect();
            (!needle.is_empty())
                .then(|| {
                    folded
                        .windows(needle.len())
                        .position(|window| window == needle.as_slice())
                })
                .flatten()
        })
        .min();
    let start = first.map_or(0, |at| at.saturating_sub(40));
    let end = (start + 120).min(plain.len());
    let mut text: String = plain[start..end].iter().collect();
    text = text
        .split(' ')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if start > 0 {
        text.insert(0, '…');
    }
    if end < plain.len() {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_on_any_space_and_are_limited() {
        assert_eq!(
            terms(Some(" 再起動\u{3000}EX4300 ")).expect("valid"),
            ["再起動", "EX4300"]
        );
        assert!(terms(Some("  ")).expect("valid").is_empty());
        assert!(terms(Some("a b c d e f")).is_err());
        assert!(terms(Some("a\u{0}b")).is_err());
    }

    #[test]
    fn phrases_and_patterns_are_escaped() {
        assert_eq!(fts_phrase(r#"say "hi""#), r#""say ""hi""""#);
        assert_eq!(contains("100%_a\\b"), "%100\\%\\_a\\\\b%");
    }

    #[test]
    fn snippets_show_the_first_match() {
        let body = format!("{}\n## 手順\n装置を**再起動**してください。", "前置き".repeat(30));
        let snippet = snippet(&body, &["再起動".to_owned()]);
        assert!(snippet.starts_with('…'), "{snippet}");
        assert!(snippet.contains("装置を再起動してください"), "{snippet}");
        assert_eq!(super::snippet("短い本文", &[]), "短い本文");
    }
}
