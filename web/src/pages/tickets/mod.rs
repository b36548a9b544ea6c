//! お問い合わせ（チケットシステム）(SPEC §6, seed 004 ⑤, seed 001): the tickets the user
//! sees — the open ones or all, filtered and searched (Japanese substrings too); filing a
//! new one (product first, then the form, files uploaded resumably); one ticket with its
//! history, the reply box, status changes and, for staff, assignment, internal notes and
//! incident progress with an estimated recovery time.

mod detail;
mod new;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use madoguchi_types::ids::{AccountId, ContractId, OrganizationId};
use madoguchi_types::policy::Permission;
use madoguchi_types::tickets::{TicketCategory, TicketKind, TicketStatus, TicketSummary};

pub use detail::TicketPage;
pub use new::NewTicketPage;

use super::contracts::options_of;
use super::format_time;
use crate::api::{self, tickets::Assigned, tickets::TicketQuery};
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, LoadingRows, OrganizationPicker, PageHeading, Pager,
    RequirePermission, SelectField, ticket_category_label, ticket_kind_label, ticket_status_label,
};
use crate::i18n::{catalogue::tickets as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn TicketsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Tickets><TicketList /></RequirePermission> }
}

/// The status as a badge: open ones stand out, finished ones are muted.
#[component]
pub(crate) fn StatusBadge(status: TicketStatus) -> impl IntoView {
    let class = match status {
        TicketStatus::New | TicketStatus::WaitingForCustomer => "badge badge-warn",
        TicketStatus::Open | TicketStatus::InProgress => "badge badge-info",
        TicketStatus::Resolved => "badge badge-ok",
        TicketStatus::Closed => "badge badge-muted",
    };
    view! { <span class=class data-testid="ticket-status">{tr(ticket_status_label(status))}</span> }
}

#[component]
fn TicketList() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let query = use_query_map();
    // `?contract_id=` from a contract's page narrows the list to that contract.
    let contract = move || {
        query.with(|query| {
            query
                .get("contract_id")
                .and_then(|id| id.parse::<i64>().ok())
                .map(ContractId)
        })
    };
    let all = RwSignal::new(false);
    let (q, status, kind, category, product) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (from, to, sort, organization, assignee) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let applied = RwSignal::new(TicketQuery::default());
    let page = RwSignal::new(1_i64);
    let me = move || {
        auth.profile
            .with_untracked(|profile| profile.as_ref().map(|p| p.id))
    };
    let errors = FieldErrors::new();
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        errors.clear();
        let assigned = match assignee.get_untracked().as_str() {
            "me" => me().map_or(Assigned::Anyone, Assigned::To),
            "nobody" => Assigned::Nobody,
            other => other
                .parse::<i64>()
                .map_or(Assigned::Anyone, |id| Assigned::To(AccountId(id))),
        };
        applied.set(TicketQuery {
            q: q.get_untracked(),
            status: status.get_untracked().parse().ok(),
            kind: kind.get_untracked().parse().ok(),
            category: category.get_untracked().parse().ok(),
            product: product.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            sort: sort.get_untracked(),
            organization: organization
                .get_untracked()
                .parse::<i64>()
                .ok()
                .map(OrganizationId),
            assigned,
            ..TicketQuery::default()
        });
    };
    let tickets = LocalResource::new(move || {
        let query = TicketQuery {
            all: all.get(),
            contract: contract(),
            page: page.get(),
            per_page: PER_PAGE,
            ..applied.get()
        };
        let lang = i18n.lang();
        async move { api::tickets::tickets(auth, lang, &query).await }
    });
    let total = Signal::derive(move || tickets.get().and_then(Result::ok).map(|page| page.total));
    let pager_total = Signal::derive(move || total.get().unwrap_or(0));
    let products = LocalResource::new(move || {
        let lang = i18n.lang();
        async move {
            if staff {
                Ok(Vec::new())
            } else {
                api::tickets::products(auth, lang, None).await
            }
        }
    });
    let product_options = Signal::derive(move || {
        let lang = i18n.lang();
        let mut names: Vec<String> = products
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|product| product.product)
            .collect();
        names.dedup();
        std::iter::once((String::new(), text::ANY.get(lang).to_owned()))
            .chain(names.into_iter().map(|name| (name.clone(), name)))
            .chain(std::iter::once((
                madoguchi_types::tickets::OTHER_PRODUCT.to_owned(),
                text::CATEGORY_OTHER.get(lang).to_owned(),
            )))
            .collect()
    });
    let sort_options = Signal::derive(move || {
        let lang = i18n.lang();
        [
            ("", text::SORT_UPDATED_DESC),
            ("updated_asc", text::SORT_UPDATED_ASC),
            ("created_desc", text::SORT_CREATED_DESC),
            ("created_asc", text::SORT_CREATED_ASC),
        ]
        .into_iter()
        .map(|(value, label)| (value.to_owned(), label.get(lang).to_owned()))
        .collect()
    });
    let assignees = LocalResource::new(move || {
        let lang = i18n.lang();
        async move {
            if staff {
                api::tickets::assignees(auth, lang).await
            } else {
                Ok(Vec::new())
            }
        }
    });
    let assignee_options = Signal::derive(move || {
        let lang = i18n.lang();
        [
            ("", text::ANY),
            ("me", text::ASSIGNED_ME),
            ("nobody", text::UNASSIGNED),
        ]
        .into_iter()
        .map(|(value, label)| (value.to_owned(), label.get(lang).to_owned()))
        .chain(
            assignees
                .get()
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|person| person.account_id.map(|id| (id.to_string(), person.name))),
        )
        .collect()
    });
    let tab = move |value: bool, label, testid: &'static str| {
        view! {
            <button type="button" role="tab" class="tab" aria-selected=move || (all.get() == value).to_string()
                data-testid=testid on:click=move |_| { page.set(1); all.set(value); }>
                {tr(label)}
            </button>
        }
    };
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="muted">{tr(text::INTRO)}</p>
            <p class="actions">
                <A href="/tickets/new" attr:class="button button-primary" attr:data-testid="new-ticket">
                    {move || if staff { i18n.t(text::RECORD) } else { i18n.t(text::NEW) }}
                </A>
            </p>
            <div class="tabs" role="tablist" aria-label=move || i18n.t(text::TABS)>
                {tab(false, text::TAB_OPEN, "tab-open")}
                {tab(true, text::TAB_ALL, "tab-all")}
            </div>
            <form class="filters" on:submit=search role="search" data-testid="ticket-filters">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors hint=text::SEARCH_HINT />
                <SelectField scope="filter" label=text::STATUS name="status" value=status options=options_of(TicketStatus::ALL, ticket_status_label, true) errors />
                <SelectField scope="filter" label=text::KIND name="kind" value=kind options=options_of(TicketKind::ALL, ticket_kind_label, true) errors />
                <SelectField scope="filter" label=text::CATEGORY name="category" value=category options=options_of(TicketCategory::ALL, ticket_category_label, true) errors />
                {(!staff).then(|| view! {
                    <SelectField scope="filter" label=text::PRODUCT name="product" value=product options=product_options errors />
                })}
                <Field scope="filter" label=text::FROM name="from" value=from errors kind="date" />
                <Field scope="filter" label=text::TO name="to" value=to errors kind="date" />
                <SelectField scope="filter" label=text::SORT name="sort" value=sort options=sort_options errors />
                {staff.then(|| view! {
                    <SelectField scope="filter" label=text::ASSIGNEE name="assignee" value=assignee options=assignee_options errors />
                    <div class="filter-organization"><OrganizationPicker selected=organization errors optional=true /></div>
                })}
                <button type="submit" class="button button-primary">{tr(text::APPLY)}</button>
            </form>
            <p class="muted" aria-live="polite" data-testid="ticket-count">
                {move || total.get().map(|total| text::found(i18n.lang(), total))}
            </p>
            <Transition fallback=|| view! { <LoadingRows rows=5 /> }>
                {move || Suspend::new(async move {
                    match tickets.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <TicketTable list=found.items staff /> }.into_any(),
                        // A refused filter is shown at its field.
                        Err(error) if !error.fields().is_empty() => {
                            errors.server_said(error);
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total=pager_total per_page=PER_PAGE />
        </section>
    }
}

#[component]
pub(crate) fn TicketTable(list: Vec<TicketSummary>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="tickets">
            <thead><tr>
                <th>{tr(text::NUMBER)}</th>
                <th>{tr(text::SUBJECT)}</th>
                {staff.then(|| view! { <th>{tr(text::CUSTOMER)}</th> })}
                <th>{tr(text::PRODUCT)}</th>
                <th>{tr(text::STATUS)}</th>
                {staff.then(|| view! { <th>{tr(text::ASSIGNEE)}</th> })}
                <th>{tr(text::UPDATED)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|ticket| {
                    let incident = ticket.kind == TicketKind::Incident;
                    let recovery = ticket.estimated_recovery_at.filter(|_| ticket.status.is_open());
                    let assignee = ticket.assignee.map(|person| person.name);
                    let testid = format!("ticket-{}", ticket.number);
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::NUMBER)>
                                <A href=format!("/tickets/{}", ticket.id)>{ticket.number.clone()}</A>
                            </td>
                            <td data-label=move || i18n.t(text::SUBJECT)>
                                // One grid cell on a phone: the parts stay together.
                                <div>
                                    {incident.then(|| view! { <span class="badge badge-warn">{tr(text::KIND_INCIDENT)}</span>" " })}
                                    {ticket.subject.clone()}
                                    {recovery.map(|time| view! {
                                        <div class="small muted">{move || text::recovery(i18n.lang(), &format_time(time))}</div>
                                    })}
                                </div>
                            </td>
                            {staff.then(|| view! { <td data-label=move || i18n.t(text::CUSTOMER)>{ticket.organization_name.clone()}</td> })}
                            <td data-label=move || i18n.t(text::PRODUCT)>{ticket.product.clone()}</td>
                            <td data-label=move || i18n.t(text::STATUS)><StatusBadge status=ticket.status /></td>
                            {staff.then(|| view! {
                                <td data-label=move || i18n.t(text::ASSIGNEE)>
                                    {assignee.clone().unwrap_or_else(|| "—".to_owned())}
                                </td>
                            })}
                            <td data-label=move || i18n.t(text::UPDATED)>{format_time(ticket.updated_at)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// ホーム: the caller's open tickets, most recently updated first.
#[component]
pub fn OpenTickets() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let tickets = LocalResource::new(move || {
        let lang = i18n.lang();
        let query = TicketQuery {
            page: 1,
            per_page: 5,
            ..TicketQuery::default()
        };
        async move { api::tickets::tickets(auth, lang, &query).await }
    });
    view! {
        <section data-testid="open-tickets">
            <h2>{tr(text::OPEN_TITLE)}</h2>
            <Transition fallback=|| view! { <LoadingRows rows=2 /> }>
                {move || Suspend::new(async move {
                    match tickets.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_OPEN /> }.into_any(),
                        Ok(found) => view! {
                            <TicketTable list=found.items staff />
                            <p><A href="/tickets">{tr(text::ALL_TICKETS)}</A></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <p><A href="/tickets/new" attr:class="button">{tr(text::NEW)}</A></p>
        </section>
    }
}
