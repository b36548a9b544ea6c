//! Pages that need a session or a permission. A signed-out visitor goes to the sign-in
//! page and comes back to where they were (`?next=`); the page of a permission the caller
//! lacks says so instead of showing a form that cannot work.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::use_location;
use leptos_router::location::Url;
use madoguchi_types::policy::Permission;

use crate::auth::{SessionState, use_auth};
use crate::components::Spinner;
use crate::i18n::{catalogue::kit, tr};

/// `/login?next=<here>`.
pub fn login_with_next() -> String {
    let location = use_location();
    let mut here = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    if !search.is_empty() {
        here.push('?');
        here.push_str(&search);
    }
    format!("/login?next={}", Url::escape(&here))
}

/// Only paths of this app: `next` must not lead elsewhere (an open redirect).
pub fn safe_next(next: Option<String>) -> String {
    next.filter(|next| next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\"))
        .unwrap_or_else(|| "/".to_owned())
}

#[component]
pub fn RequireSignIn(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let children = StoredValue::new(children);
    move || match auth.state() {
        SessionState::Checking => view! { <div class="page-loading"><Spinner /></div> }.into_any(),
        SessionState::SignedOut => {
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            view! { <Redirect path=login_with_next() options /> }.into_any()
        }
        SessionState::SignedIn => children.read_value()().into_any(),
    }
}

#[component]
pub fn RequirePermission(permission: Permission, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let children = StoredValue::new(children);
    view! {
        <RequireSignIn>
            {move || if auth.can(permission) {
                children.read_value()().into_any()
            } else {
                view! {
                    <section class="narrow" data-testid="not-allowed">
                        <h1 tabindex="-1">{tr(kit::NOT_ALLOWED_TITLE)}</h1>
                        <p>{tr(kit::NOT_ALLOWED_LEAD)}</p>
                        <p><A href="/">{tr(kit::BACK_HOME)}</A></p>
                    </section>
                }.into_any()
            }}
        </RequireSignIn>
    }
}
