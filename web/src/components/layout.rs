//! The frame of every page: skip link, header (a menu button under ~640 px), footer, and
//! what happens on every navigation (focus the new page's heading, close the menu).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use madoguchi_types::accounts::ProfileUpdate;
use madoguchi_types::policy::Permission;
use wasm_bindgen::JsCast;

use crate::api;
use crate::auth::use_auth;
use crate::i18n::{catalogue::nav, tr, use_i18n};

#[component]
pub fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">{tr(nav::SKIP)}</a> }
}

/// Whether the phone menu is open.
#[derive(Clone, Copy)]
pub struct MenuOpen(RwSignal<bool>);

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let open = RwSignal::new(false);
    provide_context(MenuOpen(open));
    let sign_out = move |_| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let _ = api::auth::sign_out(auth, lang).await;
            auth.end(None);
        });
    };
    let switch_language = move |_| {
        let lang = i18n.other();
        i18n.set(lang);
        // Signed in: the account keeps the choice, so that mails follow it too.
        if auth.signed_in_untracked() {
            spawn_local(async move {
                let update = ProfileUpdate {
                    preferred_lang: Some(lang.tag().to_owned()),
                    ..Default::default()
                };
                if let Ok(profile) = api::accounts::update_profile(auth, lang, &update).await {
                    auth.profile.set(Some(profile));
                }
            });
        }
    };
    view! {
        <header class="site-header" class:menu-open=move || open.get()>
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"窓"</span>
                <span class="brand-name">{tr(nav::BRAND)}</span>
                <span class="brand-tagline">{tr(nav::TAGLINE)}</span>
            </A>
            <button type="button" class="menu-button" aria-controls="site-menu"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|open| *open = !*open)
                data-testid="menu-button">
                <span aria-hidden="true">"☰"</span>
                <span class="sr-only-narrow">{tr(nav::MENU)}</span>
            </button>
            <div class="site-menu" id="site-menu">
                <nav class="site-nav" aria-label=tr(nav::MAIN)>
                    <A href="/" exact=true>{tr(nav::HOME)}</A>
                    <Show when=move || auth.signed_in()>
                        <A href="/me">{tr(nav::MY_PAGE)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::Tickets)>
                        <A href="/tickets" attr:data-testid="nav-tickets">{tr(nav::TICKETS)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::Contracts)>
                        <A href="/contracts" attr:data-testid="nav-contracts">{tr(nav::CONTRACTS)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::Documents)>
                        <A href="/documents" attr:data-testid="nav-documents">{tr(nav::DOCUMENTS)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::Pbx)>
                        <A href="/mobile" attr:data-testid="nav-mobile">{tr(nav::MOBILE)}</A>
                        <A href="/pbx" attr:data-testid="nav-pbx">{tr(nav::PBX)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::Analytics)>
                        <A href="/analytics" attr:data-testid="nav-analytics">{tr(nav::ANALYTICS)}</A>
                    </Show>
                    <Show when=move || auth.signed_in()>
                        <A href="/products" attr:data-testid="nav-products">{tr(nav::PRODUCTS)}</A>
                        <A href="/knowledge" attr:data-testid="nav-knowledge">{tr(nav::KNOWLEDGE)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::AddAccounts)>
                        <A href="/admin/accounts" attr:data-testid="nav-accounts">{tr(nav::ACCOUNTS)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::ProviderOperations)>
                        <A href="/admin/organizations" attr:data-testid="nav-organizations">{tr(nav::ORGANIZATIONS)}</A>
                        <A href="/admin/projects" attr:data-testid="nav-projects">{tr(nav::PROJECTS)}</A>
                    </Show>
                    <Show when=move || auth.can(Permission::AuditLog)>
                        <A href="/admin/audit" attr:data-testid="nav-audit">{tr(nav::AUDIT)}</A>
                    </Show>
                    <A href="/status">{tr(nav::STATUS)}</A>
                    <a href="/api/docs/" rel="external">{tr(nav::API_DOCS)}</a>
                </nav>
                <div class="site-actions">
                    <Show
                        when=move || auth.signed_in()
                        fallback=move || view! {
                            <A href="/login" attr:class="button" attr:data-testid="nav-login">{tr(nav::SIGN_IN)}</A>
                            <A href="/register" attr:class="button button-primary">{tr(nav::REGISTER)}</A>
                        }
                    >
                        <span class="who" data-testid="who">{move || auth.profile.with(|profile| profile.as_ref().map(|p| p.full_name.clone()))}</span>
                        <button type="button" class="button" data-testid="sign-out" on:click=sign_out>{tr(nav::SIGN_OUT)}</button>
                    </Show>
                    <button type="button" class="lang-switch" data-testid="lang-switch" on:click=switch_language
                        lang=move || i18n.other().tag()>
                        {tr(nav::SWITCH_LANGUAGE)}
                    </button>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! { <footer class="site-footer">{tr(nav::FOOTER)}</footer> }
}

/// On every navigation after the first page: close the phone menu and move the focus to
/// the new page's heading.
#[component]
pub fn RouteEffects() -> impl IntoView {
    let location = use_location();
    let menu = use_context::<MenuOpen>();
    Effect::watch(
        move || location.pathname.get(),
        move |_, _, _| {
            if let Some(MenuOpen(open)) = menu {
                open.set(false);
            }
            request_animation_frame(|| {
                let heading = document()
                    .query_selector("main h1")
                    .ok()
                    .flatten()
                    .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(heading) = heading {
                    let _ = heading.focus();
                }
            });
        },
        false,
    );
}
