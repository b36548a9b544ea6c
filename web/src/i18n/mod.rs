//! Japanese (default) and English UI text. The chosen language is kept in local storage
//! and sent to the API as `Accept-Language`, so error messages follow it too.

use leptos::prelude::*;

mod en;
mod ja;

const STORAGE_KEY: &str = "madoguchi.lang";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    /// BCP 47 tag, for `<html lang>` and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ja => &ja::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

/// Every string the UI shows, once per language.
pub struct Texts {
    pub brand: &'static str,
    pub tagline: &'static str,
    pub nav_home: &'static str,
    pub nav_status: &'static str,
    pub nav_api_docs: &'static str,
    pub switch_language: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_areas_title: &'static str,
    pub home_areas: [(&'static str, &'static str); 5],
    pub status_title: &'static str,
    pub status_lead: &'static str,
    pub status_ok: &'static str,
    pub version_label: &'static str,
    pub database_label: &'static str,
    pub database_reachable: &'static str,
    pub latency_label: &'static str,
    pub server_time_label: &'static str,
    pub refresh: &'static str,
    pub loading: &'static str,
    pub network_error: &'static str,
    pub unexpected_response: &'static str,
    pub request_id_label: &'static str,
    pub not_found_title: &'static str,
    pub not_found_lead: &'static str,
    pub back_home: &'static str,
    pub footer: &'static str,
}

/// The language context: read with [`use_i18n`].
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Restores the saved language (Japanese if none) and provides the context.
    pub fn provide() -> Self {
        let saved = local_storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        let i18n = Self {
            lang: RwSignal::new(saved),
        };
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(STORAGE_KEY, lang.tag());
            }
        });
        provide_context(i18n);
        i18n
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The texts of the current language (tracked: views re-render on a switch).
    pub fn texts(&self) -> &'static Texts {
        self.lang.get().texts()
    }

    /// One of two texts by the current language (tracked), for page-local wording.
    pub fn pick(&self, ja: &'static str, en: &'static str) -> &'static str {
        match self.lang.get() {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    pub fn lang_untracked(&self) -> Lang {
        self.lang.get_untracked()
    }

    pub fn toggle(&self) {
        self.lang.update(|lang| {
            *lang = match lang {
                Lang::Ja => Lang::En,
                Lang::En => Lang::Ja,
            }
        });
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
