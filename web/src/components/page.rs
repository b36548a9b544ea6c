use leptos::prelude::*;

use crate::i18n::{Text, use_i18n};

/// A page's heading, which also names the browser tab (`<title>`). After navigation the
/// focus moves to it (see `RouteEffects`), so that screen readers announce the new page.
#[component]
pub fn PageHeading(text: Text) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        document().set_title(&format!(
            "{} | {}",
            i18n.t(text),
            i18n.t(crate::i18n::catalogue::nav::BRAND)
        ));
    });
    view! { <h1 tabindex="-1">{move || i18n.t(text)}</h1> }
}
