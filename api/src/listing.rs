//! What every list endpoint shares: the page window and the text search.

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

/// The searched text, trimmed; `None` when there is nothing to search for.
pub fn search_text(q: Option<&str>) -> Option<&str> {
    q.map(str::trim).filter(|q| !q.is_empty())
}

/// A `LIKE` pattern (escape character `\`) that finds `text` anywhere, lower-cased: compare
/// it with lower-cased columns.
pub fn contains_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
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
    fn patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_A\\"), "%50\\%\\_a\\\\%");
        assert_eq!(search_text(Some("  ")), None);
        assert_eq!(search_text(Some(" 窓口 ")), Some("窓口"));
    }
}
