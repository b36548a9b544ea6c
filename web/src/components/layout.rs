use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"窓"</span>
                <span class="brand-name">{move || i18n.texts().brand}</span>
                <span class="brand-tagline">{move || i18n.texts().tagline}</span>
            </A>
            <nav class="site-nav" aria-label="main">
                <A href="/" exact=true>{move || i18n.texts().nav_home}</A>
                <A href="/status">{move || i18n.texts().nav_status}</A>
                <a href="/api/docs/" rel="external">{move || i18n.texts().nav_api_docs}</a>
            </nav>
            <button
                type="button"
                class="lang-switch"
                data-testid="lang-switch"
                on:click=move |_| i18n.toggle()
            >
                {move || i18n.texts().switch_language}
            </button>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! { <footer class="site-footer">{move || i18n.texts().footer}</footer> }
}
