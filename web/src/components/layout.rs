use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};

use crate::api;
use crate::auth::use_auth;
use crate::i18n::use_i18n;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let sign_out = move |_| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let _ = api::sign_out(auth, lang).await;
            auth.clear(None);
        });
    };
    view! {
        <header class="site-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"窓"</span>
                <span class="brand-name">{move || i18n.texts().brand}</span>
                <span class="brand-tagline">{move || i18n.texts().tagline}</span>
            </A>
            <nav class="site-nav" aria-label="main">
                <A href="/" exact=true>{move || i18n.texts().nav_home}</A>
                <Show when=move || auth.signed_in()>
                    <A href="/me">{move || i18n.pick("マイページ", "My page")}</A>
                    <A href="/admin/accounts">{move || i18n.pick("アカウント管理", "Accounts")}</A>
                    <A href="/admin/audit">{move || i18n.pick("操作履歴", "Audit log")}</A>
                </Show>
                <A href="/status">{move || i18n.texts().nav_status}</A>
                <a href="/api/docs/" rel="external">{move || i18n.texts().nav_api_docs}</a>
            </nav>
            <Show
                when=move || auth.signed_in()
                fallback=move || {
                    view! {
                        <A href="/login" attr:class="button" attr:data-testid="nav-login">
                            {move || i18n.pick("ログイン", "Sign in")}
                        </A>
                        <A href="/register" attr:class="button button-primary">
                            {move || i18n.pick("新規ユーザー登録", "Register")}
                        </A>
                    }
                }
            >
                <button type="button" class="button" data-testid="sign-out" on:click=sign_out>
                    {move || i18n.pick("ログアウト", "Sign out")}
                </button>
            </Show>
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

/// Shows its children to a signed-in user; everyone else goes to the sign-in page.
#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    view! {
        <Show when=move || auth.signed_in() fallback=|| view! { <Redirect path="/login" /> }>
            {children()}
        </Show>
    }
}
