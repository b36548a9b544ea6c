//! The two languages of Madoguchi: Japanese (the default) and English.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// BCP 47 tag: `ja` or `en` (for `<html lang>`, `Accept-Language`, stored preferences).
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language of a tag we wrote; `None` for anything else.
    pub fn parse(tag: &str) -> Option<Self> {
        match tag {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The stored tag's language; Japanese for anything unknown.
    pub fn from_tag(tag: &str) -> Self {
        Self::parse(tag).unwrap_or_default()
    }

    /// Picks the text in this language.
    pub const fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
