//! お客様管理 (staff): the customers by customer number, with a search, their accounts and
//! active contracts, renaming on an explicit save, and adding a new customer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::organizations::{NewOrganizationRequest, Organization, OrganizationUpdate};
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::rules;

use crate::api;
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, PageHeading, Pager,
    RequirePermission, SubmitButton, use_toasts,
};
use crate::i18n::{catalogue::organizations as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ProviderOperations><OrganizationsContent /></RequirePermission> }
}

#[component]
fn OrganizationsContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let q = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let version = RwSignal::new(0_u32);
    let organizations = LocalResource::new(move || {
        version.track();
        let (q, page, lang) = (applied.get(), page.get(), i18n.lang());
        async move { api::organizations::organizations(auth, lang, &q, page, PER_PAGE).await }
    });
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(q.get_untracked());
    };
    let total = Signal::derive(move || {
        organizations
            .get()
            .and_then(|result| result.ok())
            .map_or(0, |page| page.total)
    });
    let changed = move || version.update(|v| *v += 1);
    let filter_errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <form class="filters" on:submit=search data-testid="organization-filters" role="search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors=filter_errors hint=text::SEARCH_HINT />
                <button type="submit" class="button">{tr(text::APPLY)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingRows rows=5 /> }>
                {move || Suspend::new(async move {
                    match organizations.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <OrganizationTable list=found.items changed /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <NewOrganizationForm created=changed />
        </section>
    }
}

#[component]
fn OrganizationTable<F>(list: Vec<Organization>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    view! {
        <table class="table responsive" data-testid="organizations">
            <thead><tr>
                <th>{tr(text::CUSTOMER_NUMBER)}</th>
                <th>{tr(text::NAME)}</th>
                <th class="numeric">{tr(text::ACCOUNTS)}</th>
                <th class="numeric">{tr(text::ACTIVE_CONTRACTS)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|organization| view! { <OrganizationRow organization changed /> }).collect_view()}
            </tbody>
        </table>
    }
}

/// One customer; its name is edited in place and saved only by the save button.
#[component]
fn OrganizationRow<F>(organization: Organization, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let editing = RwSignal::new(false);
    let name = RwSignal::new(organization.name.clone());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let id = organization.id;
    let number = organization.customer_number.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("name", rules::required(&name.get_untracked()));
        if errors.blocked() {
            return;
        }
        let update = OrganizationUpdate {
            name: name.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::organizations::rename_organization(auth, lang, id, &update).await {
                Ok(renamed) => {
                    toasts.success(text::renamed(lang, &renamed.name));
                    editing.set(false);
                    changed();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let shown_name = organization.name.clone();
    view! {
        <tr data-testid=format!("organization-{number}")>
            <td data-label=move || i18n.t(text::CUSTOMER_NUMBER)>{number.clone()}</td>
            <td data-label=move || i18n.t(text::NAME)>
                <Show when=move || editing.get() fallback=move || shown_name.clone()>
                    <form class="inline-form" on:submit=save novalidate>
                        <Field scope="rename" label=text::NEW_NAME name="name" value=name errors required=true />
                        <FormError errors />
                        <SubmitButton label=text::SAVE busy=busy.into() primary=true />
                        <button type="button" class="button" on:click=move |_| editing.set(false)>{tr(text::CANCEL)}</button>
                    </form>
                </Show>
            </td>
            <td class="numeric" data-label=move || i18n.t(text::ACCOUNTS)>{organization.accounts}</td>
            <td class="numeric" data-label=move || i18n.t(text::ACTIVE_CONTRACTS)>{organization.active_contracts}</td>
            <td class="actions">
                <Show when=move || !editing.get()>
                    <button type="button" class="button" data-testid="rename" on:click=move |_| editing.set(true)>
                        {tr(text::RENAME)}
                    </button>
                </Show>
            </td>
        </tr>
    }
}

#[component]
fn NewOrganizationForm<F>(created: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (customer_number, name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check(
            "customer_number",
            rules::customer_number_shape(&customer_number.get_untracked()),
        );
        errors.check("name", rules::required(&name.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = NewOrganizationRequest {
            customer_number: customer_number.get_untracked().trim().to_owned(),
            name: name.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::organizations::create_organization(auth, lang, &request).await {
                Ok(organization) => {
                    toasts.success(text::created(
                        lang,
                        &organization.customer_number,
                        &organization.name,
                    ));
                    customer_number.set(String::new());
                    name.set(String::new());
                    created();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="new-organization">
            <h2>{tr(text::ADD_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <Field label=text::CUSTOMER_NUMBER name="customer_number" value=customer_number errors required=true hint=text::CUSTOMER_NUMBER_HINT />
                <Field label=text::NAME name="name" value=name errors required=true />
                <FormError errors />
                <SubmitButton label=text::ADD busy=busy.into() primary=true />
            </form>
        </div>
    }
}
