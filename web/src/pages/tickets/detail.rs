//! One ticket (seed 004「サポートチケットの参照及び返信」, seed 001 障害の進捗状況): its facts,
//! its history, the reply box (「返信」 opens it, 「返信」 sends), closing and reopening;
//! for staff the workflow and assignee, internal notes and incident progress. Changes
//! carry the version read: when someone else changed the ticket first, the page says so
//! and shows the latest version instead of overwriting it.

use chrono::{DateTime, NaiveDateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use madoguchi_types::ids::TicketId;
use madoguchi_types::policy::Permission;
use madoguchi_types::tickets::{
    ProgressRequest, ReplyRequest, Ticket, TicketAttachment, TicketChange, TicketChannel, TicketEvent,
    TicketEventKind, TicketKind, TicketPerson, TicketStatus,
};
use madoguchi_types::validation::{Invalid, rules};

use super::StatusBadge;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{
    CheckField, EmptyState, ErrorPanel, FieldErrors, FormError, LoadingRows, PageHeading, RequirePermission,
    SelectField, SubmitButton, TextAreaField, UploadList, Uploader, file_size, focus_by_id,
    ticket_category_label, ticket_channel_label, ticket_kind_label, ticket_status_label, use_toasts,
};
use crate::i18n::{Lang, catalogue::tickets as text, tr, use_i18n};
use crate::pages::documents::save_as;
use crate::pages::format_time;

#[component]
pub fn TicketPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Tickets><TicketView /></RequirePermission> }
}

/// Reloads the ticket (after a change of this page or a stale one).
#[derive(Clone, Copy)]
struct Reload(RwSignal<u32>);

impl Reload {
    fn run(self) {
        self.0.update(|version| *version += 1);
    }
}

#[component]
fn TicketView() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let reload = Reload(RwSignal::new(0));
    let ticket = LocalResource::new(move || {
        reload.0.track();
        let (id, lang) = (id(), i18n.lang());
        async move {
            match id {
                Some(id) => api::tickets::ticket(auth, lang, TicketId(id)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // A notice that outlives the reload it causes (a stale change).
    let stale = RwSignal::new(false);
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <A href="/tickets" attr:class="back-link">{tr(text::BACK)}</A>
            {move || stale.get().then(|| view! {
                <p class="alert alert-info" role="status" data-testid="stale-notice">{tr(text::STALE)}</p>
            })}
            <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                {move || Suspend::new(async move {
                    match ticket.await {
                        Ok(Some(ticket)) => view! { <TicketDetail ticket reload stale /> }.into_any(),
                        Ok(None) => view! { <EmptyState text=text::NOT_FOUND /> }.into_any(),
                        Err(ApiError::Problem(problem)) if problem.status == 404 => view! { <EmptyState text=text::NOT_FOUND /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

fn person_name(person: &TicketPerson, lang: Lang) -> String {
    if person.staff {
        format!("{} {}", text::SUPPORT.get(lang), person.name)
    } else {
        person.name.clone()
    }
}

#[component]
fn TicketDetail(ticket: Ticket, reload: Reload, stale: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let summary = ticket.summary.clone();
    let incident = summary.kind == TicketKind::Incident;
    let recovery = summary.estimated_recovery_at;
    let reporter = summary.reporter.clone();
    let channel = ticket.channel;
    let fact =
        |label, value: String| (!value.is_empty()).then(|| view! { <dt>{tr(label)}</dt><dd>{value}</dd> });
    view! {
        <article class="ticket" data-testid="ticket">
            <h2 class="ticket-title">
                <span class="ticket-number" data-testid="ticket-number">{summary.number.clone()}</span>" "
                <span data-testid="ticket-subject">{summary.subject.clone()}</span>
            </h2>
            <p class="meta">
                <StatusBadge status=summary.status />
                <span class=if incident { "badge badge-warn" } else { "badge" }>{tr(ticket_kind_label(summary.kind))}</span>
                <span class="badge">{tr(ticket_category_label(summary.category))}</span>
                {(channel != TicketChannel::Web).then(|| view! {
                    <span class="muted small">{move || text::via(i18n.lang(), i18n.t(ticket_channel_label(channel)))}</span>
                })}
            </p>
            {recovery.filter(|_| summary.status.is_open()).map(|time| view! {
                <p class="alert alert-info recovery" data-testid="recovery">{move || text::recovery(i18n.lang(), &format_time(time))}</p>
            })}
            <dl class="facts">
                {fact(text::PRODUCT, summary.product.clone())}
                {fact(text::MODEL, ticket.model.clone())}
                {fact(text::SERIAL_NUMBER, ticket.serial_number.clone())}
                {fact(text::OS_VERSION, ticket.os_version.clone())}
                {fact(text::CONTRACT_NUMBER, ticket.contract_number.clone())}
                {staff.then(|| fact(text::CUSTOMER, summary.organization_name.clone()))}
                <dt>{tr(text::REPORTER)}</dt><dd>{move || person_name(&reporter, i18n.lang())}</dd>
                {fact(text::CC, ticket.cc.join(", "))}
                <dt>{tr(text::ASSIGNEE)}</dt>
                <dd data-testid="ticket-assignee">{summary.assignee.clone().map_or_else(|| "—".to_owned(), |person| person.name)}</dd>
                <dt>{tr(text::CREATED)}</dt><dd>{format_time(summary.created_at)}</dd>
                <dt>{tr(text::UPDATED)}</dt><dd>{format_time(summary.updated_at)}</dd>
            </dl>
            <div class="ticket-body" data-testid="ticket-body">{ticket.body.clone()}</div>
            <Attachments list=ticket.attachments.iter().filter(|a| a.event_id.is_none()).cloned().collect() />
            <h3>{tr(text::HISTORY)}</h3>
            {ticket.events.is_empty().then(|| view! { <p class="muted">{tr(text::NO_HISTORY)}</p> })}
            <ol class="timeline" data-testid="timeline">
                {ticket.events.iter().cloned().map(|event| view! { <EventItem event /> }).collect_view()}
            </ol>
        </article>
        <ReplyBox id=summary.id staff reload />
        <StatusForm ticket=ticket.clone() staff reload stale />
        {(staff && incident).then(|| view! { <ProgressForm id=summary.id reload /> })}
    }
}

#[component]
fn Attachments(list: Vec<TicketAttachment>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    (!list.is_empty()).then(|| {
        view! {
            <ul class="attachments" data-testid="ticket-attachments" aria-label=move || i18n.t(text::ATTACHMENTS)>
                {list.into_iter().map(|attachment| {
                    let label = format!("{} ({})", attachment.file_name, file_size(attachment.size_bytes));
                    let download = move |_| {
                        let (lang, attachment) = (i18n.lang_untracked(), attachment.clone());
                        spawn_local(async move {
                            match api::tickets::attachment_url(auth, lang, attachment.id).await {
                                Ok(url) => save_as(&url, &attachment.file_name),
                                Err(error) => toasts.failure(error.to_string()),
                            }
                        });
                    };
                    view! {
                        <li><button type="button" class="link-button" data-testid="download-attachment" on:click=download>{label}</button></li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn EventItem(event: TicketEvent) -> impl IntoView {
    let i18n = use_i18n();
    let author = event.author.clone();
    let from_staff = author.as_ref().is_some_and(|person| person.staff);
    let class = match event.kind {
        TicketEventKind::Note => "timeline-item timeline-note",
        TicketEventKind::Progress => "timeline-item timeline-progress",
        TicketEventKind::StatusChange | TicketEventKind::Assignment => "timeline-item timeline-change",
        TicketEventKind::Reply if from_staff => "timeline-item timeline-staff",
        TicketEventKind::Reply => "timeline-item",
    };
    let (from, to) = (event.from_status, event.to_status);
    let assignee = event.assignee.as_ref().map(|person| person.name.clone());
    let channel = event.channel;
    let recovery = event.estimated_recovery_at;
    let change = move || {
        let lang = i18n.lang();
        match event.kind {
            TicketEventKind::StatusChange => Some(text::status_changed(
                lang,
                from.map_or("", |status| ticket_status_label(status).get(lang)),
                to.map_or("", |status| ticket_status_label(status).get(lang)),
            )),
            TicketEventKind::Assignment => Some(text::assigned(lang, assignee.as_deref())),
            _ => None,
        }
    };
    view! {
        <li class=class data-testid=format!("event-{}", event.kind)>
            <p class="meta">
                <strong>{move || author.as_ref().map(|person| person_name(person, i18n.lang()))}</strong>
                {(event.kind == TicketEventKind::Note).then(|| view! { <span class="badge badge-warn">{tr(text::INTERNAL_BADGE)}</span> })}
                {(event.kind == TicketEventKind::Progress).then(|| view! { <span class="badge badge-info">{tr(text::PROGRESS_BADGE)}</span> })}
                {(channel != TicketChannel::Web).then(|| view! {
                    <span class="muted small">{move || text::via(i18n.lang(), i18n.t(ticket_channel_label(channel)))}</span>
                })}
                <span class="muted small">{format_time(event.created_at)}</span>
            </p>
            {change}
            {event.body.clone().map(|body| view! { <div class="ticket-body">{body}</div> })}
            {recovery.map(|time| view! { <p class="recovery"><strong>{move || text::recovery(i18n.lang(), &format_time(time))}</strong></p> })}
            <Attachments list=event.attachments.clone() />
        </li>
    }
}

/// 「返信」 opens the box; 「返信」 in it sends. Staff may leave an internal note instead.
#[component]
fn ReplyBox(id: TicketId, staff: bool, reload: Reload) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let open = RwSignal::new(false);
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    let files = UploadList::new();
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("body", rules::required(&body.get_untracked()));
        if errors.blocked() || files.unfinished() {
            return;
        }
        let request = ReplyRequest {
            body: body.get_untracked(),
            attachments: files.ids(),
            internal: internal.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::tickets::reply(auth, lang, id, &request).await {
                Ok(_) => {
                    toasts.success(
                        if request.internal {
                            text::NOTED
                        } else {
                            text::REPLIED
                        }
                        .get(lang),
                    );
                    files.clear();
                    body.set(String::new());
                    open.set(false);
                    reload.run();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="reply-box">
            <Show when=move || open.get() fallback=move || view! {
                <button type="button" class="button button-primary" data-testid="open-reply"
                    on:click=move |_| { open.set(true); focus_by_id("field-body"); }>{tr(text::REPLY)}</button>
            }>
                <h2>{tr(text::REPLY)}</h2>
                <form class="form" on:submit=submit novalidate data-testid="reply-form">
                    <TextAreaField label=text::REPLY_BODY name="body" value=body errors rows=8 required=true />
                    {staff.then(|| view! { <CheckField scope="reply" label=text::INTERNAL name="internal" checked=internal errors /> })}
                    <Uploader files scope="reply" />
                    <FormError errors />
                    // An internal note says so on its button: it does not go to the customer.
                    {move || {
                        let busy = Signal::derive(move || busy.get() || files.unfinished());
                        if internal.get() {
                            view! { <SubmitButton label=text::SAVE_NOTE busy primary=true /> }.into_any()
                        } else {
                            view! { <SubmitButton label=text::SEND_REPLY busy primary=true /> }.into_any()
                        }
                    }}
                </form>
            </Show>
        </div>
    }
}

/// A change on the version read; a stale one reloads the ticket and says why.
fn send_change(
    id: TicketId,
    version: i64,
    change: TicketChange,
    reload: Reload,
    stale: RwSignal<bool>,
    errors: FieldErrors,
    busy: RwSignal<bool>,
) {
    let (auth, i18n, toasts) = (use_auth(), use_i18n(), use_toasts());
    let lang = i18n.lang_untracked();
    busy.set(true);
    stale.set(false);
    spawn_local(async move {
        match api::tickets::change(auth, lang, id, version, &change).await {
            Ok(_) => {
                toasts.success(text::CHANGED.get(lang));
                reload.run();
            }
            Err(ApiError::Problem(problem)) if problem.status == 412 => {
                stale.set(true);
                reload.run();
            }
            Err(error) => errors.server_said(error),
        }
        busy.set(false);
    });
}

#[component]
fn StatusForm(ticket: Ticket, staff: bool, reload: Reload, stale: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (id, version) = (ticket.summary.id, ticket.version);
    let next = ticket.next_statuses.clone();
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    if !staff {
        // A customer closes, or reopens a resolved or closed ticket.
        return view! {
            <div class="actions ticket-actions" data-testid="customer-actions">
                {next.into_iter().map(|status| {
                    let label = if status == TicketStatus::Closed { text::CLOSE } else { text::REOPEN };
                    view! {
                        <button type="button" class="button" data-testid=format!("to-{status}") disabled=move || busy.get()
                            on:click=move |_| {
                                let change = TicketChange { status: Some(status), assignee_id: None };
                                send_change(id, version, change, reload, stale, errors, busy);
                            }>
                            {tr(label)}
                        </button>
                    }
                }).collect_view()}
                <FormError errors />
            </div>
        }
        .into_any();
    }
    let status = RwSignal::new(String::new());
    let current_assignee = ticket
        .summary
        .assignee
        .as_ref()
        .and_then(|person| person.account_id);
    let assignee = RwSignal::new(current_assignee.map(|id| id.to_string()).unwrap_or_default());
    let assignees = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::tickets::assignees(auth, lang).await }
    });
    let status_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::KEEP.get(lang).to_owned()))
            .chain(next.iter().map(|status| {
                (
                    status.to_string(),
                    ticket_status_label(*status).get(lang).to_owned(),
                )
            }))
            .collect()
    });
    let assignee_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::NOBODY.get(lang).to_owned()))
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
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let chosen = assignee
            .get_untracked()
            .parse::<i64>()
            .ok()
            .map(madoguchi_types::ids::AccountId);
        let change = TicketChange {
            status: status.get_untracked().parse().ok(),
            assignee_id: (chosen != current_assignee).then_some(chosen),
        };
        send_change(id, version, change, reload, stale, errors, busy);
    };
    view! {
        <div class="card wide" data-testid="status-form">
            <h2>{tr(text::CHANGE_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="form-grid">
                    <SelectField scope="change" label=text::NEW_STATUS name="status" value=status options=status_options errors />
                    <SelectField scope="change" label=text::ASSIGNEE name="assignee_id" value=assignee options=assignee_options errors />
                </div>
                <FormError errors />
                <SubmitButton label=text::CHANGE busy=busy.into() />
            </form>
        </div>
    }
    .into_any()
}

/// `2026-12-05T18:30` typed in Japan time, as UTC.
fn japan_time(local: &str) -> Option<DateTime<Utc>> {
    let time = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").ok()?;
    Some((time - chrono::Duration::hours(9)).and_utc())
}

/// Staff: an incident's progress with the estimated recovery time.
#[component]
fn ProgressForm(id: TicketId, reload: Reload) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let body = RwSignal::new(String::new());
    let estimated = RwSignal::new(String::new());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("progress_body", rules::required(&body.get_untracked()));
        let typed = estimated.get_untracked();
        let estimated_recovery_at = japan_time(&typed);
        let past = estimated_recovery_at.is_some_and(|at| at.timestamp_millis() < js_sys::Date::now() as i64);
        if past || (!typed.is_empty() && estimated_recovery_at.is_none()) {
            errors.check(
                "estimated_recovery_at",
                Err(Invalid::Format {
                    expected: "YYYY-MM-DD HH:MM, from now on",
                }),
            );
        }
        if errors.blocked() {
            return;
        }
        let request = ProgressRequest {
            body: body.get_untracked(),
            estimated_recovery_at,
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::tickets::progress(auth, lang, id, &request).await {
                Ok(_) => {
                    toasts.success(text::PROGRESS_POSTED.get(lang));
                    body.set(String::new());
                    reload.run();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let time_error = move || errors.message("estimated_recovery_at");
    view! {
        <div class="card wide" data-testid="progress-form">
            <h2>{tr(text::PROGRESS_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <TextAreaField label=text::PROGRESS_BODY name="progress_body" value=body errors rows=4 required=true />
                <div class="field">
                    <label class="field-label" for="field-estimated">{tr(text::ESTIMATED)}</label>
                    <input id="field-estimated" type="datetime-local" data-testid="field-estimated_recovery_at"
                        aria-invalid=move || time_error().is_some().then_some("true") aria-describedby="error-estimated"
                        prop:value=move || estimated.get() on:input=move |event| estimated.set(event_target_value(&event)) />
                    <span class="field-error" id="error-estimated">{time_error}</span>
                </div>
                <FormError errors />
                <SubmitButton label=text::POST_PROGRESS busy=busy.into() primary=true />
            </form>
        </div>
    }
}
