//! 通信履歴 (SPEC §8.4, seed 003 §6.3–6.5): the secret question — set, changed with the
//! current answer, answered for a 15-minute grant kept in memory only — then the days kept
//! with a bar chart of their volume and a download button per file of 40,000 records, and
//! the records themselves with filters and the cause codes described.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::cdrs::{CAUSE_CODES, CallDay, CallRecord, SecretRequest, secret_text_shape};
use madoguchi_types::extensions::ExportEncoding;
use madoguchi_types::ids::SiteId;

use super::pbx::SiteFrame;
use crate::api;
use crate::api::cdrs::Filter;
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, Pager, SelectField, SubmitButton,
    focus_first_error, use_toasts,
};
use crate::i18n::{catalogue::cdrs as text, tr, use_i18n};

const PER_PAGE: i64 = 50;

#[component]
pub fn PbxCdrsPage() -> impl IntoView {
    view! { <SiteFrame title=text::TITLE intro=text::INTRO body=|site| view! { <Cdrs site /> } /> }
}

#[component]
fn Cdrs(site: SiteId) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let version = RwSignal::new(0_u32);
    let grant = RwSignal::new(None::<String>);
    let question = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::cdrs::secret(auth, lang, site).await }
    });
    let changed = move || {
        grant.set(None);
        version.update(|v| *v += 1);
    };
    view! {
        <Transition fallback=|| view! { <LoadingRows rows=2 /> }>
            {move || Suspend::new(async move {
                match question.await {
                    Ok(found) => match found.question {
                        None => view! { <SecretForm site current=None changed /> }.into_any(),
                        Some(question) => {
                            let shown = question.clone();
                            view! {
                                {move || match grant.get() {
                                    Some(token) => view! { <Records site grant=token /> }.into_any(),
                                    None => view! { <Answer site question=shown.clone() grant /> }.into_any(),
                                }}
                                <details class="card wide" data-testid="change-secret">
                                    <summary>{tr(text::CHANGE_TITLE)}</summary>
                                    <SecretForm site current=Some(question.clone()) changed />
                                </details>
                            }.into_any()
                        }
                    },
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Sets the question (認証設定), or changes it with the current answer (認証設定変更).
#[component]
fn SecretForm<F>(site: SiteId, current: Option<String>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let changing = current.is_some();
    let (current_answer, question, answer) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let request = SecretRequest {
            current_answer: changing.then(|| current_answer.get_untracked()),
            question: question.get_untracked().trim().to_owned(),
            answer: answer.get_untracked().trim().to_owned(),
        };
        if changing {
            errors.check(
                "current_answer",
                secret_text_shape(request.current_answer.as_deref().unwrap_or_default()),
            );
        }
        errors.check("question", secret_text_shape(&request.question));
        errors.check("answer", secret_text_shape(&request.answer));
        if errors.blocked() {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::cdrs::set_secret(auth, lang, site, &request).await {
                Ok(_) => {
                    toasts.success(text::secret_saved(lang));
                    changed();
                }
                Err(failure) => {
                    errors.server_said(failure);
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card wide form" on:submit=submit novalidate data-testid=if changing { "secret-change" } else { "secret-setup" }>
            {(!changing).then(|| view! {
                <h2>{tr(text::SETUP_TITLE)}</h2>
                <p class="muted small">{tr(text::SETUP_HINT)}</p>
            })}
            {current.clone().map(|question| view! { <p class="muted">{move || text::current_question(i18n.lang(), &question)}</p> })}
            {changing.then(|| view! {
                <Field scope="secret" label=text::CURRENT_ANSWER name="current_answer" value=current_answer errors required=true kind="password" />
            })}
            <Field scope="secret" label=text::QUESTION name="question" value=question errors required=true hint=text::MAX_30 />
            <Field scope="secret" label=text::ANSWER name="answer" value=answer errors required=true kind="password" hint=text::MAX_30 />
            <p class="muted small">{tr(text::REMEMBER)}</p>
            <FormError errors />
            <SubmitButton label=text::SET busy=busy.into() primary=true />
        </form>
    }
}

/// The question to answer for a grant.
#[component]
fn Answer(site: SiteId, question: String, grant: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let answer = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let given = answer.get_untracked();
        if !errors.check("answer", secret_text_shape(&given)) {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::cdrs::grant(auth, lang, site, &given).await {
                Ok(given) => {
                    answer.set(String::new());
                    grant.set(Some(given.grant));
                }
                Err(failure) => {
                    errors.server_said(failure);
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card wide form" on:submit=submit novalidate data-testid="cdr-answer">
            <h2>{tr(text::ANSWER_TITLE)}</h2>
            <p data-testid="secret-question"><strong>{question}</strong></p>
            <Field scope="grant" label=text::ANSWER name="answer" value=answer errors required=true kind="password" />
            <FormError errors />
            <SubmitButton label=text::AUTHENTICATE busy=busy.into() primary=true />
        </form>
    }
}

#[component]
fn Records(site: SiteId, grant: String) -> impl IntoView {
    let grant = StoredValue::new(grant);
    view! {
        <Days site grant=grant.get_value() />
        <Browse site grant=grant.get_value() />
    }
}

/// The days kept with their volume, and a button per file.
#[component]
fn Days(site: SiteId, grant: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let grant = StoredValue::new(grant);
    let days = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::cdrs::days(auth, lang, site, &grant.get_value()).await }
    });
    let encoding = RwSignal::new(ExportEncoding::ShiftJis.to_string());
    let errors = FieldErrors::new();
    let download = move |day: chrono::NaiveDate, part: i64| {
        let lang = i18n.lang_untracked();
        let encoding = encoding
            .get_untracked()
            .parse()
            .unwrap_or(ExportEncoding::ShiftJis);
        spawn_local(async move {
            match api::cdrs::part_url(auth, lang, (site, &grant.get_value()), (day, part), encoding).await {
                Ok(url) => {
                    super::documents::save_as(&url, &format!("cdr_{}_{part}.csv", day.format("%Y%m%d")))
                }
                Err(failure) => toasts.failure(failure.explanation()),
            }
        });
    };
    view! {
        <div class="card wide" data-testid="cdr-days">
            <h2>{tr(text::DAYS_TITLE)}</h2>
            <p class="muted small">{tr(text::DAYS_HINT)}</p>
            <div class="filters">
                <SelectField scope="days" label=text::ENCODING name="encoding" value=encoding errors
                    options=crate::components::choices(text::ENCODINGS) />
            </div>
            <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                {move || Suspend::new(async move {
                    match days.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState text=text::NO_DAYS /> }.into_any(),
                        Ok(list) => view! {
                            <VolumeChart days=list.clone() />
                            <table class="table responsive" data-testid="day-table">
                                <thead><tr>
                                    <th scope="col">{tr(text::DAY)}</th>
                                    <th scope="col">{tr(text::RECORDS)}</th>
                                    <th scope="col">{tr(text::FILES)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|day| {
                                        let date = day.day;
                                        view! {
                                            <tr data-testid=format!("day-{date}")>
                                                <td data-label=move || i18n.t(text::DAY)>{date.format("%Y/%m/%d").to_string()}</td>
                                                <td data-label=move || i18n.t(text::RECORDS)>{day.records}</td>
                                                <td class="actions" data-label=move || i18n.t(text::FILES)>
                                                    {(1..=day.parts).map(|part| view! {
                                                        <button type="button" class="button" data-testid=format!("download-{part}")
                                                            on:click=move |_| download(date, part)
                                                            aria-label=move || text::download_label(i18n.lang(), date, part)>
                                                            {move || text::part_button(i18n.lang(), part)}
                                                        </button>
                                                    }).collect_view()}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// Records per day as bars, oldest on the left; the table beside it holds the figures.
#[component]
fn VolumeChart(days: Vec<CallDay>) -> impl IntoView {
    let i18n = use_i18n();
    let mut days = days;
    days.reverse();
    let most = days.iter().map(|day| day.records).max().unwrap_or(1).max(1);
    let (width, height) = (640.0_f64, 120.0_f64);
    // At least a month's slots, the newest day on the right: a few days stay slim bars.
    let slot = width / days.len().max(31) as f64;
    let offset = width - slot * days.len() as f64;
    let last = days.len().saturating_sub(1);
    view! {
        <figure class="chart" data-testid="volume-chart">
            <svg viewBox=format!("0 0 {width} {}", height + 20.0) role="img" aria-labelledby="volume-title">
                <title id="volume-title">{move || i18n.t(text::CHART_TITLE)}</title>
                {days.into_iter().enumerate().map(|(index, day)| {
                    let bar = (day.records as f64 / most as f64 * height).max(1.0);
                    let x = offset + index as f64 * slot + slot * 0.1;
                    let label = (index == 0 || index == last).then(|| view! {
                        <text class="tick" x=x + slot * 0.4 y=height + 14.0 text-anchor="middle">{day.day.format("%m/%d").to_string()}</text>
                    });
                    view! {
                        <rect class="bar" x=x y=height - bar width=slot * 0.8 height=bar>
                            <title>{format!("{} {}", day.day.format("%m/%d"), day.records)}</title>
                        </rect>
                        {label}
                    }
                }).collect_view()}
                <line x1="0" y1=height x2=width y2=height class="axis" />
            </svg>
            <figcaption class="muted small">{tr(text::CHART_TITLE)}</figcaption>
        </figure>
    }
}

#[component]
fn Browse(site: SiteId, grant: String) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let grant = StoredValue::new(grant);
    let (from, to, number) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (connected, cause) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let applied = RwSignal::new(Filter::default());
    let page = RwSignal::new(1_i64);
    let errors = FieldErrors::new();
    let list = LocalResource::new(move || {
        let (lang, filter, page) = (i18n.lang(), applied.get(), page.get());
        async move { api::cdrs::records(auth, lang, (site, &grant.get_value()), &filter, page, PER_PAGE).await }
    });
    let total = Signal::derive(move || list.get().and_then(Result::ok).map_or(0, |page| page.total));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(Filter {
            from: from.get_untracked(),
            to: to.get_untracked(),
            number: number.get_untracked(),
            connected: connected.get_untracked(),
            cause: cause.get_untracked(),
        });
    };
    let causes = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::ALL.get(lang).to_owned()))
            .chain(CAUSE_CODES.iter().map(|(code, ja, en)| {
                let description: String = lang.pick(ja, en).chars().take(24).collect();
                ((*code).to_owned(), format!("{code} {description}"))
            }))
            .collect::<Vec<_>>()
    });
    view! {
        <div class="card wide" data-testid="cdr-browse">
            <h2>{tr(text::BROWSE_TITLE)}</h2>
            <form class="filters form-grid" role="search" on:submit=submit data-testid="cdr-filters">
                <Field scope="cdr" label=text::FROM name="from" kind="date" value=from errors />
                <Field scope="cdr" label=text::TO name="to" kind="date" value=to errors />
                <Field scope="cdr" label=text::NUMBER name="number" value=number errors inputmode="tel" />
                <SelectField scope="cdr" label=text::CALL_TYPE name="connected" value=connected errors
                    options=crate::components::choices(text::CALL_TYPES) />
                <SelectField scope="cdr" label=text::CAUSE name="cause" value=cause errors options=causes />
                <button type="submit" class="button button-primary">{tr(text::SEARCH)}</button>
            </form>
            <p class="muted" aria-live="polite" data-testid="cdr-count">{move || text::found(i18n.lang(), total.get())}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE /> }.into_any(),
                        Ok(found) => view! { <RecordTable list=found.items /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
        </div>
    }
}

#[component]
fn RecordTable(list: Vec<CallRecord>) -> impl IntoView {
    let i18n = use_i18n();
    let time = |value: Option<chrono::NaiveDateTime>| {
        value.map_or_else(
            || "-".to_owned(),
            |time| time.format("%Y/%m/%d %H:%M:%S").to_string(),
        )
    };
    view! {
        <table class="table responsive" data-testid="cdr-table">
            <thead><tr>
                <th scope="col">{tr(text::ATTEMPTED)}</th>
                <th scope="col">{tr(text::CALL_TYPE)}</th>
                <th scope="col">{tr(text::CALLER)}</th>
                <th scope="col">{tr(text::CALLEE)}</th>
                <th scope="col">{tr(text::DURATION)}</th>
                <th scope="col">{tr(text::CAUSE)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|record| {
                    let connected = record.connected;
                    let cause = match &record.cause {
                        Some(description) => format!("{} {description}", record.cause_code),
                        None if record.cause_code.is_empty() => "-".to_owned(),
                        None => text::unknown_cause(i18n.lang_untracked(), &record.cause_code),
                    };
                    view! {
                        <tr data-testid="cdr-row">
                            <td data-label=move || i18n.t(text::ATTEMPTED)>{time(Some(record.attempted_at))}</td>
                            <td data-label=move || i18n.t(text::CALL_TYPE)>{move || text::call_type(i18n.lang(), connected)}</td>
                            <td data-label=move || i18n.t(text::CALLER)>{record.caller.clone()}</td>
                            <td data-label=move || i18n.t(text::CALLEE)>{record.callee.clone()}</td>
                            <td data-label=move || i18n.t(text::DURATION)>{record.duration_seconds.map_or_else(|| "-".to_owned(), |seconds| text::seconds(i18n.lang_untracked(), seconds))}</td>
                            <td data-label=move || i18n.t(text::CAUSE) class="small">{cause}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
