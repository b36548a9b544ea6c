//! CXサポート (SPEC §9, seed 000): the report catalogue of the subscription's plan — the
//! standard plan's reports shown locked on the free plan, with what the upgrade unlocks —,
//! the filter bar (period, AN, groups, weekdays, hours), each report as the server's chart
//! with its table underneath, and the editor of the groups of numbers (standard plan).

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::analytics::{
    CatalogueEntry, DownloadFormat, NumberGroupRequest, NumberKind, Plan, PlanFeature, RenderedFile, Report,
    ReportKind, Subscription,
};
use madoguchi_types::ids::SubscriptionId;
use madoguchi_types::jobs::{Job, JobState};
use madoguchi_types::policy::Permission;

use crate::api::{self, ApiError, analytics::Filter};
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, LoadingRows, PageHeading, RequirePermission, SelectField,
    use_toasts,
};
use crate::i18n::{Lang, catalogue::analytics as text, tr, use_i18n};

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Analytics><Analytics /></RequirePermission> }
}

#[component]
fn Analytics() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let list = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::analytics::subscriptions(auth, lang).await }
    });
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(list)) = list.get()
            && let Some(first) = list.items.first()
            && chosen.get_untracked().is_empty()
        {
            chosen.set(first.id.to_string());
        }
    });
    let options = Signal::derive(move || {
        list.get()
            .and_then(Result::ok)
            .map(|list| {
                list.items
                    .iter()
                    .map(|item| {
                        (
                            item.id.to_string(),
                            format!(
                                "{} — {} ({})",
                                item.opid,
                                item.organization_name,
                                item.plan.label(i18n.lang())
                            ),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let errors = FieldErrors::new();
    // A plan change shows at once in the picker, the catalogue and the dashboard.
    let refresh = Callback::new(move |()| list.refetch());
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="muted">{tr(text::INTRO)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) if list.items.is_empty() => view! { <EmptyState text=text::NO_SUBSCRIPTION /> }.into_any(),
                        Ok(list) => {
                            let items = StoredValue::new(list.items);
                            view! {
                                <Show when=move || items.with_value(|items| items.len() > 1)>
                                    <div class="filters" data-testid="subscription-picker">
                                        <SelectField label=text::SUBSCRIPTION name="subscription" value=chosen options errors />
                                    </div>
                                </Show>
                                {move || {
                                    let id = chosen.get();
                                    items
                                        .with_value(|items| items.iter().find(|item| item.id.to_string() == id).cloned())
                                        .map(|subscription| view! { <Dashboard subscription changed=refresh /> })
                                }}
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Dashboard(subscription: Subscription, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let id = subscription.id;
    let standard = subscription.plan == Plan::Standard;
    let plan_card = subscription.clone();
    // Child IDs: for the subscription's administrators, on a plan that has them.
    let child_ids =
        subscription.plan.unlocks(PlanFeature::ChildIds) && auth.can(Permission::AdministerAccounts);
    let own_data =
        subscription.plan.unlocks(PlanFeature::OwnData) && auth.can(Permission::AdministerAccounts);
    let kind = RwSignal::new(ReportKind::RecentTraffic);
    let applied = RwSignal::new(Filter::default());
    let catalogue = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::analytics::catalogue(auth, lang, id).await }
    });
    let groups_version = RwSignal::new(0_u32);
    let groups = LocalResource::new(move || {
        let (lang, _) = (i18n.lang(), groups_version.get());
        async move {
            if standard {
                api::analytics::groups(auth, lang, id)
                    .await
                    .map(|list| list.items)
            } else {
                Ok(Vec::new())
            }
        }
    });
    let ans: Vec<String> = subscription
        .numbers
        .iter()
        .filter(|number| number.kind == NumberKind::An)
        .map(|number| number.number.clone())
        .collect();
    let dns: Vec<String> = subscription
        .numbers
        .iter()
        .filter(|number| number.kind == NumberKind::Dn)
        .map(|number| number.number.clone())
        .collect();
    view! {
        <p class="muted small" data-testid="subscription-summary">
            {move || format!("OPID {} · {} {} · {}", subscription.opid, i18n.t(text::ANALYTICS_ID), subscription.analytics_id, subscription.plan.label(i18n.lang()))}
        </p>
        <div class="analytics">
            <nav class="card report-menu" aria-label=move || i18n.t(text::CATALOGUE) data-testid="catalogue">
                <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                    {move || Suspend::new(async move {
                        match catalogue.await {
                            Ok(catalogue) => view! { <Catalogue entries=catalogue.items kind /> }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
            <div class="report-area">
                <FilterBar ans=ans.clone() groups standard applied />
                <ReportView subscription=id kind applied />
            </div>
        </div>
        <Show when=move || standard>
            <GroupEditor subscription=id ans=ans.clone() dns=dns.clone() groups version=groups_version />
        </Show>
        <super::analytics_signup::PlanCard subscription=plan_card changed />
        <Show when=move || own_data>
            <super::analytics_own_data::OwnDataCard subscription=id stored=Callback::new(move |()| applied.update(|_| ())) />
        </Show>
        <Show when=move || child_ids>
            <super::analytics_child_ids::ChildIdCard subscription=id />
        </Show>
    }
}

/// The reports, 基本データ then 詳細データ; a locked one says which plan shows it.
#[component]
fn Catalogue(entries: Vec<CatalogueEntry>, kind: RwSignal<ReportKind>) -> impl IntoView {
    let i18n = use_i18n();
    let locked = entries.iter().any(|entry| !entry.available);
    let section = move |plan: Plan, heading: crate::i18n::Text| {
        let items: Vec<CatalogueEntry> = entries
            .iter()
            .filter(|entry| entry.plan == plan)
            .cloned()
            .collect();
        view! {
            <h2 class="small-heading">{tr(heading)}</h2>
            <ul class="report-list">
                {items.into_iter().map(|entry| {
                    let report = entry.report;
                    let current = move || kind.get() == report;
                    view! {
                        <li>
                            <button type="button" class="report-link" data-testid=format!("report-{}", report.as_str())
                                aria-pressed=move || current().to_string() disabled=!entry.available
                                on:click=move |_| kind.set(report)>
                                {entry.title.clone()}
                                {(!entry.available).then(|| view! {
                                    <span class="lock">" 🔒 "<span class="small">{move || i18n.t(text::STANDARD_ONLY)}</span></span>
                                })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };
    view! {
        {section(Plan::Free, text::BASIC)}
        {section(Plan::Standard, text::DETAILED)}
        {locked.then(|| view! { <p class="muted small" data-testid="upgrade-note">{tr(text::UPGRADE)}</p> })}
    }
}

const WEEKDAYS: [(u8, crate::i18n::Text); 7] = [
    (1, text::MON),
    (2, text::TUE),
    (3, text::WED),
    (4, text::THU),
    (5, text::FRI),
    (6, text::SAT),
    (7, text::SUN),
];

#[component]
fn FilterBar(
    ans: Vec<String>,
    groups: LocalResource<Result<Vec<madoguchi_types::analytics::NumberGroup>, api::ApiError>>,
    standard: bool,
    applied: RwSignal<Filter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (from, to, an) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (an_group, dn_group) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (hour_from, hour_to) = (RwSignal::new("0".to_owned()), RwSignal::new("24".to_owned()));
    let weekdays = RwSignal::new(vec![1_u8, 2, 3, 4, 5, 6, 7]);
    let errors = FieldErrors::new();
    let an_options = Signal::derive(move || {
        std::iter::once((String::new(), i18n.t(text::ALL_NUMBERS).to_owned()))
            .chain(ans.iter().map(|number| (number.clone(), number.clone())))
            .collect()
    });
    let group_options = move |kind: NumberKind| {
        Signal::derive(move || {
            std::iter::once((String::new(), i18n.t(text::NO_GROUP).to_owned()))
                .chain(
                    groups
                        .get()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|group| group.kind == kind)
                        .map(|group| (group.id.to_string(), group.name)),
                )
                .collect()
        })
    };
    let hours = |range: std::ops::RangeInclusive<u8>| {
        Signal::derive(move || {
            range
                .clone()
                .map(|hour| (hour.to_string(), format!("{hour}:00")))
                .collect()
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        applied.set(Filter {
            from: from.get_untracked(),
            to: to.get_untracked(),
            an: an.get_untracked(),
            an_group: an_group.get_untracked(),
            dn_group: dn_group.get_untracked(),
            weekdays: weekdays.get_untracked(),
            hour_from: hour_from.get_untracked(),
            hour_to: hour_to.get_untracked(),
        });
    };
    view! {
        <form class="card filters analytics-filters" on:submit=submit novalidate data-testid="report-filters">
            <Field scope="report" label=text::FROM name="from" value=from errors kind="date" />
            <Field scope="report" label=text::TO name="to" value=to errors kind="date" />
            <SelectField scope="report" label=text::AN name="an" value=an options=an_options errors />
            {standard.then(|| view! {
                <SelectField scope="report" label=text::AN_GROUP name="an_group" value=an_group options=group_options(NumberKind::An) errors />
                <SelectField scope="report" label=text::DN_GROUP name="dn_group" value=dn_group options=group_options(NumberKind::Dn) errors />
            })}
            <SelectField scope="report" label=text::HOUR_FROM name="hour_from" value=hour_from options=hours(0..=23) errors />
            <SelectField scope="report" label=text::HOUR_TO name="hour_to" value=hour_to options=hours(1..=24) errors />
            <fieldset class="weekdays" data-testid="weekdays">
                <legend>{tr(text::WEEKDAYS)}</legend>
                {WEEKDAYS.iter().map(|(day, label)| {
                    let (day, label) = (*day, *label);
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" data-testid=format!("weekday-{day}")
                                prop:checked=move || weekdays.with(|days| days.contains(&day))
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    weekdays.update(|days| {
                                        days.retain(|other| *other != day);
                                        if on { days.push(day); days.sort_unstable(); }
                                    });
                                } />
                            {tr(label)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="button primary" data-testid="apply-filters">{tr(text::APPLY)}</button>
        </form>
    }
}

#[component]
fn ReportView(
    subscription: SubscriptionId,
    kind: RwSignal<ReportKind>,
    applied: RwSignal<Filter>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let report = LocalResource::new(move || {
        let (lang, kind, filter) = (i18n.lang(), kind.get(), applied.get());
        async move { api::analytics::report(auth, lang, subscription, kind, &filter).await }
    });
    let chart = LocalResource::new(move || {
        let (lang, kind, filter) = (i18n.lang(), kind.get(), applied.get());
        async move { api::analytics::chart(auth, lang, subscription, kind, &filter).await }
    });
    // The period the report covers (the defaults filled in), for the saved file's name.
    let period = Signal::derive(move || {
        report
            .get()
            .and_then(Result::ok)
            .map(|report| (report.filter.from.to_string(), report.filter.to.to_string()))
    });
    view! {
        <div class="card" data-testid="report">
            <Transition fallback=|| view! { <LoadingRows rows=8 /> }>
                {move || Suspend::new(async move {
                    match (report.await, chart.await) {
                        (Ok(report), Ok(svg)) => view! { <ReportBody report svg /> }.into_any(),
                        (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <DownloadMenu subscription kind applied period />
        </div>
    }
}

/// The report as a file — image, PDF or PowerPoint — with the filters shown: the server
/// draws it (a second or so), the browser saves it. A large deck is drawn by a job whose
/// progress shows until the file is ready.
#[component]
fn DownloadMenu(
    subscription: SubscriptionId,
    kind: RwSignal<ReportKind>,
    applied: RwSignal<Filter>,
    period: Signal<Option<(String, String)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let busy = RwSignal::new(None::<DownloadFormat>);
    // A job's steps: (done, total), while a job draws the file.
    let steps = RwSignal::new(None::<(i64, i64)>);
    let fetch = move |format: DownloadFormat| {
        if busy.get_untracked().is_some() {
            return;
        }
        busy.set(Some(format));
        let (lang, kind, filter, period) = (
            i18n.lang_untracked(),
            kind.get_untracked(),
            applied.get_untracked(),
            period.get_untracked(),
        );
        let name = match period {
            Some((from, to)) => format!("{}_{from}_{to}.{}", kind.as_str(), format.extension()),
            None => format!("{}.{}", kind.as_str(), format.extension()),
        };
        spawn_local(async move {
            let saved = match api::analytics::download(auth, lang, subscription, kind, format, &filter).await
            {
                Ok(api::analytics::Download::File(url)) => Ok((url, name)),
                Ok(api::analytics::Download::Drawing(job)) => follow_drawing(auth, lang, *job, steps).await,
                Err(error) => Err(error),
            };
            match saved {
                Ok((url, name)) => crate::pages::documents::save_as(&url, &name),
                Err(error) => toasts.failure(error.to_string()),
            }
            steps.set(None);
            busy.set(None);
        });
    };
    let button = move |format: DownloadFormat, label: crate::i18n::Text| {
        view! {
            <button type="button" class="button" data-testid=format!("download-{}", format.as_str())
                disabled=move || busy.get().is_some()
                aria-busy=move || (busy.get() == Some(format)).to_string()
                on:click=move |_| fetch(format)>{tr(label)}</button>
        }
    };
    view! {
        <div class="download-menu" role="group" aria-labelledby="download-menu-label" data-testid="download-menu">
            <span id="download-menu-label" class="muted small">{tr(text::DOWNLOADS)}</span>
            {button(DownloadFormat::Png, text::DOWNLOAD_IMAGE)}
            {button(DownloadFormat::Pdf, text::DOWNLOAD_PDF)}
            {button(DownloadFormat::Pptx, text::DOWNLOAD_PPTX)}
            {move || busy.get().map(|_| match steps.get() {
                // A job: its steps so far (drawn, stored).
                Some((done, total)) => view! {
                    <span class="rendering" role="status" data-testid="rendering" data-job="true">
                        <progress max=total value=done aria-label=move || i18n.t(text::RENDERING)></progress>
                        " " {move || text::rendering_steps(i18n.lang(), done, total)}
                    </span>
                }.into_any(),
                None => view! {
                    <span class="rendering" role="status" data-testid="rendering">
                        <progress aria-label=move || i18n.t(text::RENDERING)></progress>
                        " " {tr(text::RENDERING)}
                    </span>
                }.into_any(),
            })}
        </div>
    }
}

/// Follows a drawing job, showing its steps, then fetches the file it drew: its object
/// URL and name.
async fn follow_drawing(
    auth: crate::auth::Auth,
    lang: Lang,
    mut job: Job,
    steps: RwSignal<Option<(i64, i64)>>,
) -> Result<(String, String), ApiError> {
    loop {
        let total = job.progress.total.unwrap_or(2).max(1);
        steps.set(Some((job.progress.done.min(total), total)));
        match job.state {
            JobState::Done => {
                let file = job
                    .result
                    .and_then(|result| serde_json::from_value::<RenderedFile>(result).ok())
                    .ok_or(ApiError::Unexpected { status: 200 })?;
                let url = api::analytics::drawn_url(auth, lang, job.id).await?;
                return Ok((url, file.file_name));
            }
            JobState::Failed => {
                return Err(job
                    .problem
                    .map(|problem| ApiError::Problem(Box::new(problem)))
                    .unwrap_or(ApiError::Unexpected { status: 200 }));
            }
            JobState::Queued | JobState::Running => {}
        }
        crate::auth::sleep_ms(300).await;
        job = api::job(auth, lang, job.id).await?;
    }
}

fn figure(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

#[component]
fn ReportBody(report: Report, svg: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let period = match lang {
        Lang::Ja => format!("{} 〜 {}", report.filter.from, report.filter.to),
        Lang::En => format!("{} to {}", report.filter.from, report.filter.to),
    };
    let sizing = report.lines.clone().map(|lines| {
        let busiest = lines.busiest_hour.map(|hour| hour.format("%Y-%m-%d %H:00").to_string()).unwrap_or_default();
        let sentence = match lang {
            Lang::Ja => format!(
                "最繁時 {busiest} の呼量 {:.2} アーラン、呼損率 {:.1}% 以下に必要な回線数は {} 回線です（呼損率 {:.2}%）。",
                lines.erlangs,
                lines.target_blocking * 100.0,
                lines.lines,
                lines.blocking * 100.0
            ),
            Lang::En => format!(
                "Busiest hour {busiest}: {:.2} erlangs. {} lines keep blocking at or under {:.1}% ({:.2}%).",
                lines.erlangs,
                lines.lines,
                lines.target_blocking * 100.0,
                lines.blocking * 100.0
            ),
        };
        view! { <p class="alert alert-info" data-testid="line-sizing">{sentence}</p> }
    });
    view! {
        <h2 data-testid="report-title">{report.title.clone()}</h2>
        <p class="muted small" data-testid="report-period">{period}</p>
        {sizing}
        <figure class="report-chart" data-testid="report-chart" inner_html=svg></figure>
        <div class="table-scroll">
            <table class="table" data-testid="report-table">
                <caption class="sr-only">{report.title.clone()}</caption>
                <thead><tr>
                    <th scope="col">{move || i18n.t(text::ITEM)}</th>
                    {report.columns.iter().map(|column| view! { <th scope="col" class="number">{column.label.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {report.rows.iter().map(|row| view! {
                        <tr data-key=row.key.clone()>
                            <th scope="row">{row.label.clone()}</th>
                            {row.values.iter().map(|value| view! { <td class="number">{figure(*value)}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr>
                    <th scope="row">{move || i18n.t(text::TOTAL)}</th>
                    {report.totals.iter().map(|value| view! { <td class="number" data-testid="total">{figure(*value)}</td> }).collect_view()}
                </tr></tfoot>
            </table>
        </div>
    }
}

/// FD/ND番号グループ and 着信先番号グループ: make one from the subscription's numbers, edit
/// one (its name and numbers; the kind stays), or delete one.
#[component]
fn GroupEditor(
    subscription: SubscriptionId,
    ans: Vec<String>,
    dns: Vec<String>,
    groups: LocalResource<Result<Vec<madoguchi_types::analytics::NumberGroup>, api::ApiError>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (kind, name) = (RwSignal::new("an".to_owned()), RwSignal::new(String::new()));
    let picked = RwSignal::new(Vec::<String>::new());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    // The group being edited; `None` while the form makes a new one.
    let editing = RwSignal::new(None::<madoguchi_types::ids::NumberGroupId>);
    let reset = move || {
        editing.set(None);
        name.set(String::new());
        picked.set(Vec::new());
        errors.clear();
    };
    let kinds = Signal::derive(move || {
        vec![
            ("an".to_owned(), i18n.t(text::AN_GROUPS).to_owned()),
            ("dn".to_owned(), i18n.t(text::DN_GROUPS).to_owned()),
        ]
    });
    let (ans, dns) = (StoredValue::new(ans), StoredValue::new(dns));
    let numbers = move || {
        if kind.get() == "dn" {
            dns.get_value()
        } else {
            ans.get_value()
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let request = NumberGroupRequest {
            kind: if kind.get_untracked() == "dn" {
                NumberKind::Dn
            } else {
                NumberKind::An
            },
            name: name.get_untracked().trim().to_owned(),
            numbers: picked.get_untracked(),
        };
        if !errors.check(
            "name",
            madoguchi_types::analytics::group_name_shape(&request.name),
        ) {
            return;
        }
        busy.set(true);
        let lang = i18n.lang();
        let group = editing.get_untracked();
        spawn_local(async move {
            let saved = match group {
                Some(group) => api::analytics::update_group(auth, lang, group, &request).await,
                None => api::analytics::create_group(auth, lang, subscription, &request).await,
            };
            match saved {
                Ok(saved) => {
                    let done = if group.is_some() {
                        text::GROUP_SAVED
                    } else {
                        text::GROUP_CREATED
                    };
                    toasts.success(format!("{}: {}", i18n.t(done), saved.name));
                    reset();
                    version.update(|version| *version += 1);
                }
                Err(failure) => errors.server_said(failure),
            }
            busy.set(false);
        });
    };
    let delete = move |group: madoguchi_types::ids::NumberGroupId| {
        let lang = i18n.lang();
        spawn_local(async move {
            match api::analytics::delete_group(auth, lang, group).await {
                Ok(()) => version.update(|version| *version += 1),
                Err(failure) => toasts.failure(failure.explanation()),
            }
        });
    };
    view! {
        <div class="card" data-testid="groups">
            <h2>{tr(text::GROUPS_TITLE)}</h2>
            <p class="muted small">{tr(text::GROUPS_HINT)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=2 /> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState text=text::NO_GROUPS /> }.into_any(),
                        Ok(list) => view! {
                            <ul class="group-list">
                                {list.into_iter().map(|group| {
                                    let id = group.id;
                                    let label = if group.kind == NumberKind::An { text::AN_GROUPS } else { text::DN_GROUPS };
                                    let edit = {
                                        let group = group.clone();
                                        move |_| {
                                            errors.clear();
                                            editing.set(Some(group.id));
                                            kind.set(if group.kind == NumberKind::Dn { "dn" } else { "an" }.to_owned());
                                            name.set(group.name.clone());
                                            picked.set(group.numbers.clone());
                                        }
                                    };
                                    view! {
                                        <li data-testid=format!("group-{}", group.name)>
                                            <strong>{group.name.clone()}</strong>" "
                                            <span class="muted small">{move || i18n.t(label)}": "{group.numbers.join(", ")}</span>" "
                                            <button type="button" class="button small" on:click=edit data-testid="edit-group"
                                                aria-label=format!("{} {}", i18n.t(text::EDIT_GROUP), group.name)>{tr(text::EDIT_GROUP)}</button>" "
                                            <button type="button" class="button small" on:click=move |_| delete(id)
                                                aria-label=format!("{} {}", i18n.t(text::DELETE), group.name)>{tr(text::DELETE)}</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <form class="form" on:submit=submit novalidate data-testid="new-group">
                <Show when=move || editing.get().is_some()>
                    <p class="muted small" data-testid="editing-group"><strong>{tr(text::EDITING_GROUP)}</strong></p>
                </Show>
                // The kind of a group stays what it was made as.
                <Show when=move || editing.get().is_none()>
                    <SelectField scope="group" label=text::GROUP_KIND name="kind" value=kind options=kinds errors />
                </Show>
                <Field scope="group" label=text::GROUP_NAME name="name" value=name errors required=true />
                <fieldset class="numbers">
                    <legend>{tr(text::GROUP_NUMBERS)}</legend>
                    {move || numbers().into_iter().map(|number| {
                        let value = number.clone();
                        view! {
                            <label class="checkbox">
                                <input type="checkbox" data-testid=format!("pick-{number}")
                                    prop:checked={let value = value.clone(); move || picked.with(|list| list.contains(&value))}
                                    on:change=move |event| {
                                        let on = event_target_checked(&event);
                                        picked.update(|list| {
                                            list.retain(|other| *other != value);
                                            if on { list.push(value.clone()); }
                                        });
                                    } />
                                {number.clone()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || busy.get()>
                        {move || i18n.t(if editing.get().is_some() { text::SAVE_GROUP } else { text::CREATE_GROUP })}
                    </button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| reset() data-testid="cancel-edit">{tr(text::CANCEL_EDIT)}</button>
                    </Show>
                </div>
            </form>
        </div>
    }
}
