//! Japanese (default) and English. Every text the app shows is in [`catalogue`], both
//! languages side by side. The chosen language is kept in local storage, sent to the API as
//! `Accept-Language` (so error messages follow it), and saved to the account when signed in
//! (so mails follow it too).

pub mod catalogue;

use leptos::prelude::*;
pub use madoguchi_types::Lang;

const STORAGE_KEY: &str = "madoguchi.lang";

/// One text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub ja: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn new(ja: &'static str, en: &'static str) -> Self {
        Self { ja, en }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
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
            .and_then(|tag| Lang::parse(&tag))
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

    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    pub fn lang_untracked(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// A text in the current language (tracked: views re-render on a switch).
    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.lang.get())
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
    }

    pub fn other(&self) -> Lang {
        match self.lang.get_untracked() {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive text for a view: `{tr(catalogue::nav::HOME)}`.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || i18n.t(text)
}

fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
