//! What every list endpoint shares: the page window and the text search.

use crate::domain::Invalid;
use crate::error::ApiError;

/// The last page anyone can ask for (past the end answers an empty page).
pub const MAX_PAGE: i64 = 1_000_000;

/// Rows to skip and to return for a 1-based `page` of `per_page` rows (clamped to
/// `1..=max_per_page`, `default_per_page` when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: i64,
    pub offset: i64,
}

impl Window {
    pub fn new(page: Option<i64>, per_page: Option<i64>, default_per_page: i64, max_per_page: i64) -> Self {
        let limit = per_page.unwrap_or(default_per_page).clamp(1, max_per_page);
        let offset = (page.unwrap_or(1).clamp(1, MAX_PAGE) - 1) * limit;
        Self { limit, offset }
    }
}

/// Most characters of a search (`q`).
pub const SEARCH_MAX: usize = 100;

/// The `LIKE` pattern (escape character `\`) for a search `q`, or `None` when there is
/// nothing to search for. Refuses more than [`SEARCH_MAX`] characters and control
/// characters (PostgreSQL cannot hold a NUL in text; SQLite would stop reading at it).
/// Compare with `lower(column).like(lower(pattern))`: the same `lower()` on both sides
/// keeps every stored text findable by itself on both backends (SQLite lowers only ASCII).
pub fn search_pattern(q: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
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
    Ok(Some(contains_pattern(q)))
}

/// A `LIKE` pattern (escape character `\`) that finds `text` anywhere.
fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(text))
}

/// `text` with the `LIKE` wildcards escaped (escape character `\`): append `%` for a
/// prefix search.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

diesel::define_sql_function!(
    /// SQL `lower()`, the same on both backends for the text we search.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_clamp_what_they_are_given() {
        assert_eq!(Window::new(None, None, 50, 200), Window { limit: 50, offset: 0 });
        assert_eq!(
            Window::new(Some(3), Some(10), 50, 200),
            Window {
                limit: 10,
                offset: 20
            }
        );
        assert_eq!(
            Window::new(Some(0), Some(0), 50, 200),
            Window { limit: 1, offset: 0 }
        );
        assert_eq!(
            Window::new(Some(i64::MAX), Some(i64::MAX), 50, 200),
            Window {
                limit: 200,
                offset: (MAX_PAGE - 1) * 200
            }
        );
    }

    #[test]
    fn searches_escape_wildcards_and_refuse_control_characters() {
        let pattern = |q: &str| search_pattern(Some(q)).ok().flatten();
        assert_eq!(pattern("50%_A\\"), Some("%50\\%\\_A\\\\%".to_owned()));
        assert_eq!(pattern(" 窓口 "), Some("%窓口%".to_owned()));
        assert_eq!(search_pattern(Some("  ")).ok(), Some(None));
        assert_eq!(search_pattern(None).ok(), Some(None));
        assert!(search_pattern(Some("a\0b")).is_err());
        assert!(search_pattern(Some(&"あ".repeat(SEARCH_MAX))).is_ok());
        assert!(search_pattern(Some(&"あ".repeat(SEARCH_MAX + 1))).is_err());
    }
}
