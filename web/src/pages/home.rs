//! ホーム: for visitors what the portal is; for a signed-in user what they can do here.

use leptos::prelude::*;
use leptos_router::components::A;
use madoguchi_types::policy::Permission;

use crate::auth::use_auth;
use crate::components::PageHeading;
use crate::i18n::{catalogue::home, tr, use_i18n};

#[component]
pub fn HomePage() -> impl IntoView {
    let auth = use_auth();
    move || {
        if auth.signed_in() {
            view! { <SignedInHome /> }.into_any()
        } else {
            view! { <Welcome /> }.into_any()
        }
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <PageHeading text=home::TITLE />
            <p class="lead">{tr(home::LEAD)}</p>
            <p class="actions">
                <A href="/login" attr:class="button button-primary">{tr(home::SIGN_IN)}</A>
                <A href="/register" attr:class="button">{tr(home::REGISTER)}</A>
            </p>
        </section>
        <section>
            <h2>{tr(home::AREAS_TITLE)}</h2>
            <ul class="cards">
                {move || home::AREAS.iter().map(|(title, description)| view! {
                    <li class="card"><h3>{i18n.t(*title)}</h3><p class="muted">{i18n.t(*description)}</p></li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn SignedInHome() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let name = move || {
        auth.profile
            .with(|profile| profile.as_ref().map(|p| p.full_name.clone()).unwrap_or_default())
    };
    let organization = move || {
        auth.profile.with(|profile| {
            profile
                .as_ref()
                .and_then(|p| p.organization.as_ref())
                .map(|o| format!("{} ({})", o.name, o.customer_number))
        })
    };
    view! {
        <section class="hero">
            <PageHeading text=home::SIGNED_IN_TITLE />
            <p class="lead" data-testid="greeting">{move || home::greeting(i18n.lang(), &name())}</p>
            {move || match organization() {
                Some(organization) => view! { <p class="muted" data-testid="home-organization">{organization}</p> }.into_any(),
                None => view! { <p class="muted" data-testid="home-staff">{tr(home::STAFF_NOTE)}</p> }.into_any(),
            }}
        </section>
        <Show when=move || auth.can(Permission::Tickets)>
            <super::tickets::OpenTickets />
        </Show>
        <super::home_lists::HomeLists />
        <section>
            <h2>{tr(home::WHAT_YOU_CAN_DO)}</h2>
            <ul class="cards">
                <li class="card"><h3><A href="/me">{tr(home::CARD_MY_PAGE)}</A></h3><p class="muted">{tr(home::CARD_MY_PAGE_TEXT)}</p></li>
                <Show when=move || auth.can(Permission::AddAccounts)>
                    <li class="card"><h3><A href="/admin/accounts">{tr(home::CARD_ACCOUNTS)}</A></h3><p class="muted">{tr(home::CARD_ACCOUNTS_TEXT)}</p></li>
                </Show>
                <Show when=move || auth.can(Permission::AuditLog)>
                    <li class="card"><h3><A href="/admin/audit">{tr(home::CARD_AUDIT)}</A></h3><p class="muted">{tr(home::CARD_AUDIT_TEXT)}</p></li>
                </Show>
                <li class="card"><h3><A href="/status">{tr(home::CARD_STATUS)}</A></h3><p class="muted">{tr(home::CARD_STATUS_TEXT)}</p></li>
            </ul>
        </section>
    }
}
