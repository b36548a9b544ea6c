use leptos::prelude::*;

use crate::i18n::{catalogue::kit, use_i18n};

/// Copies `value` to the clipboard and says so.
#[component]
pub fn CopyButton(value: String) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&value);
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(3));
    };
    view! {
        <button type="button" class="button" on:click=copy data-testid="copy">
            {move || if copied.get() { i18n.t(kit::COPIED) } else { i18n.t(kit::COPY) }}
        </button>
    }
}
