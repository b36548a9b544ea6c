//! The two languages of Madoguchi: Japanese (default) and English.

use actix_web::http::header::{ACCEPT_LANGUAGE, HeaderMap};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// The best of our two languages for an `Accept-Language` header (RFC 9110 §12.5.4);
    /// Japanese when the client names neither.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(Lang, f32)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .filter_map(|param| param.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let lang = match primary {
                "ja" => Lang::Ja,
                "en" => Lang::En,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(_, q)| quality > q) {
                best = Some((lang, quality));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }

    pub fn from_headers(headers: &HeaderMap) -> Self {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .map(Self::from_accept_language)
            .unwrap_or_default()
    }

    /// `ja` or `en`, as stored on accounts.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The stored tag's language; Japanese for anything unknown.
    pub fn from_tag(tag: &str) -> Self {
        if tag == "en" { Lang::En } else { Lang::Ja }
    }

    /// Picks the text in this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// The request's language as an extractor (never fails).
impl actix_web::FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self::from_headers(req.headers())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_quality_and_defaults_to_japanese() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("ja,en;q=0.8"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("en;q=0.5, ja;q=0.9"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.3"), Lang::En);
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("en;q=0"), Lang::Ja);
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
    }
}
