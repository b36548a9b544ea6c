use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{move || i18n.texts().not_found_title}</h1>
            <p class="lead">{move || i18n.texts().not_found_lead}</p>
            <A href="/">{move || i18n.texts().back_home}</A>
        </section>
    }
}
