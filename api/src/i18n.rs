//! The two languages of Madoguchi (the `Lang` of `madoguchi-types`), and the language a
//! request asks for.

use actix_web::HttpMessage;
use actix_web::http::header::{AcceptLanguage, Preference, Quality};
pub use madoguchi_types::Lang;

/// The best of our two languages for the request's `Accept-Language` (RFC 9110 §12.5.4,
/// parsed by actix's typed header); Japanese when the client names neither or sends
/// nothing parsable.
pub fn of_request(message: &impl HttpMessage) -> Lang {
    message
        .get_header::<AcceptLanguage>()
        .map(|header| best_of(&header))
        .unwrap_or_default()
}

fn best_of(header: &AcceptLanguage) -> Lang {
    let mut ranked: Vec<_> = header
        .0
        .iter()
        .filter(|item| item.quality > Quality::ZERO)
        .collect();
    // Stable: equal qualities keep the client's order.
    ranked.sort_by_key(|item| std::cmp::Reverse(item.quality));
    ranked
        .into_iter()
        .find_map(|item| match &item.item {
            Preference::Specific(tag) => Lang::parse(&tag.primary_language().to_ascii_lowercase()),
            Preference::Any => None,
        })
        .unwrap_or_default()
}

/// The request's language as an extractor (never fails): `RequestLang(lang): RequestLang`.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

impl actix_web::FromRequest for RequestLang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self(of_request(req))))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn lang(header: &str) -> Lang {
        of_request(
            &TestRequest::default()
                .insert_header(("Accept-Language", header))
                .to_http_request(),
        )
    }

    #[test]
    fn picks_by_quality_and_defaults_to_japanese() {
        assert_eq!(lang("en-US,en;q=0.9"), Lang::En);
        assert_eq!(lang("ja,en;q=0.8"), Lang::Ja);
        assert_eq!(lang("en;q=0.5, ja;q=0.9"), Lang::Ja);
        assert_eq!(lang("fr-FR, en;q=0.3"), Lang::En);
        assert_eq!(lang("fr-FR"), Lang::Ja);
        assert_eq!(lang("en;q=0"), Lang::Ja);
        assert_eq!(lang("*"), Lang::Ja);
        assert_eq!(of_request(&TestRequest::default().to_http_request()), Lang::Ja);
    }
}
