//! モバイル回線 (SPEC §7, seed 002): the search (number, user name with 完全一致 / 前方一致 /
//! 部分一致, 現用 / 削除 / all), a change of a user name or of the international-call
//! restriction, deletion after the minimum usage period (the first day it is allowed is
//! shown), and the registration of up to 15 lines on one screen, confirmed with the
//! seed's billing notice.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::contracts::{ContractStatus, Service};
use madoguchi_types::ids::ContractId;
use madoguchi_types::mobile::{
    LINES_PER_REQUEST, LineState, MobileLine, MobileLineUpdate, MobileLinesRequest, NameMatch, NewMobileLine,
    mobile_number_shape, normalize_mobile_number, user_name_shape,
};
use madoguchi_types::policy::Permission;

use crate::api::{self, ApiError, contracts::ContractQuery, mobile::LineQuery};
use crate::auth::use_auth;
use crate::components::{
    ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, PageHeading, Pager,
    RequirePermission, SelectField, choices, focus_by_id, use_toasts,
};
use crate::i18n::{Lang, catalogue::mobile as text, tr, use_i18n};

const PER_PAGE: i64 = 50;

#[component]
pub fn MobilePage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Pbx><MobileLines /></RequirePermission> }
}

/// Today in Japan (the server's business day), from the browser's clock.
fn japan_today() -> NaiveDate {
    let now = DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    (now + chrono::Duration::hours(9)).date_naive()
}

#[component]
fn MobileLines() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (number, name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let name_match = RwSignal::new(NameMatch::Partial.to_string());
    let state = RwSignal::new(LineState::Current.to_string());
    let applied = RwSignal::new(LineQuery::default());
    let page = RwSignal::new(1_i64);
    let version = RwSignal::new(0_u32);
    let reload = move || version.update(|v| *v += 1);
    let errors = FieldErrors::new();
    let lines = LocalResource::new(move || {
        version.track();
        let query = LineQuery {
            page: page.get(),
            per_page: PER_PAGE,
            ..applied.get()
        };
        let lang = i18n.lang();
        async move { api::mobile::lines(auth, lang, &query).await }
    });
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        page.set(1);
        applied.set(LineQuery {
            number: number.get_untracked(),
            name: name.get_untracked(),
            name_match: name_match.get_untracked().parse().unwrap_or(NameMatch::Partial),
            state: state.get_untracked().parse().unwrap_or(LineState::Current),
            ..LineQuery::default()
        });
    };
    let total = Signal::derive(move || lines.get().and_then(Result::ok).map_or(0, |page| page.total));
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="muted">{tr(text::INTRO)}</p>
            <form class="filters" on:submit=search role="search" data-testid="line-search">
                <Field scope="search" label=text::NUMBER name="number" value=number errors inputmode="numeric" hint=text::NUMBER_HINT />
                <Field scope="search" label=text::USER_NAME name="name" value=name errors />
                <SelectField scope="search" label=text::MATCH name="name_match" value=name_match errors
                    options=choices(&[("exact", text::MATCH_EXACT), ("prefix", text::MATCH_PREFIX), ("partial", text::MATCH_PARTIAL)]) />
                <SelectField scope="search" label=text::STATE name="state" value=state errors
                    options=choices(&[("current", text::STATE_CURRENT), ("deleted", text::STATE_DELETED), ("all", text::STATE_ALL)]) />
                <button type="submit" class="button button-primary">{tr(text::SEARCH)}</button>
            </form>
            <p class="muted" aria-live="polite" data-testid="line-count">{move || text::found(i18n.lang(), total.get())}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match lines.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <LineTable list=found.items changed=reload /> }.into_any(),
                        Err(ApiError::Problem(problem)) if !problem.errors.is_empty() => {
                            errors.server_said(ApiError::Problem(problem));
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <RegisterLines registered=reload />
        </section>
    }
}

#[component]
fn LineTable<F>(list: Vec<MobileLine>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let today = japan_today();
    view! {
        <table class="table responsive" data-testid="lines">
            <thead><tr>
                <th>{tr(text::USER_NAME)}</th>
                <th>{tr(text::NUMBER)}</th>
                <th>{tr(text::INTERNATIONAL)}</th>
                <th>{tr(text::OFFICE_LINK)}</th>
                <th>{tr(text::CONTRACT)}</th>
                <th>{tr(text::REGISTERED_ON)}</th>
                <th>{tr(text::ACTIONS)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|line| {
                    let testid = format!("line-{}", line.mobile_number);
                    let yes_no = |flag: bool| if flag { text::YES } else { text::NO };
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::USER_NAME)>{line.user_name.clone()}</td>
                            <td data-label=move || i18n.t(text::NUMBER)>{line.mobile_number.clone()}</td>
                            <td data-label=move || i18n.t(text::INTERNATIONAL)>{tr(yes_no(line.international_restricted))}</td>
                            <td data-label=move || i18n.t(text::OFFICE_LINK)>{tr(yes_no(line.office_link))}</td>
                            <td data-label=move || i18n.t(text::CONTRACT)>{line.contract_number.clone()}</td>
                            <td data-label=move || i18n.t(text::REGISTERED_ON)>{line.registered_on.to_string()}</td>
                            <td class="actions" data-label=move || i18n.t(text::ACTIONS)>
                                <LineActions line today changed />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 変更 (user name, restriction) and 削除 — or why it cannot be deleted yet.
#[component]
fn LineActions<F>(line: MobileLine, today: NaiveDate, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let id = line.id;
    if let Some(deleted_on) = line.deleted_on {
        return view! { <span class="muted small">{move || text::deleted_on(i18n.lang(), deleted_on)}</span> }.into_any();
    }
    let editing = RwSignal::new(false);
    let name = RwSignal::new(line.user_name.clone());
    let restricted = RwSignal::new(line.international_restricted);
    let error = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let lang = i18n.lang_untracked();
        if let Err(reason) = user_name_shape(&name.get_untracked()) {
            error.set(Some(reason.message(lang)));
            return;
        }
        let update = MobileLineUpdate {
            user_name: Some(name.get_untracked()),
            international_restricted: Some(restricted.get_untracked()),
        };
        spawn_local(async move {
            match api::mobile::change(auth, lang, id, &update).await {
                Ok(line) => {
                    toasts.success(text::changed(lang, &line.mobile_number));
                    changed();
                }
                Err(failure) => error.set(Some(
                    failure.field("user_name").unwrap_or_else(|| failure.to_string()),
                )),
            }
        });
    };
    let number = line.mobile_number.clone();
    let remove = Callback::new(move |()| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::mobile::delete(auth, lang, id).await {
                Ok(()) => changed(),
                Err(ApiError::Problem(problem)) => toasts.failure(problem.detail.unwrap_or(problem.title)),
                Err(failure) => toasts.failure(failure.to_string()),
            }
        });
    });
    let deletable_from = line.deletable_from;
    let input_id = format!("rename-{id}");
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <button type="button" class="button" data-testid="edit-line" on:click=move |_| editing.set(true)>{tr(text::EDIT)}</button>
        }>
            <form class="inline-edit" on:submit=save>
                <label class="sr-only" for=input_id.clone()>{tr(text::USER_NAME)}</label>
                <input id=input_id.clone() data-testid="rename" prop:value=move || name.get() on:input=move |event| name.set(event_target_value(&event)) />
                <label class="check"><input type="checkbox" prop:checked=move || restricted.get() on:change=move |event| restricted.set(event_target_checked(&event)) />{tr(text::INTERNATIONAL)}</label>
                <button type="submit" class="button button-primary">{tr(text::SAVE)}</button>
                <button type="button" class="button" on:click=move |_| editing.set(false)>{tr(text::BACK)}</button>
                <span class="field-error" aria-live="polite">{move || error.get()}</span>
            </form>
        </Show>
        {if today < deletable_from {
            view! { <span class="small muted" data-testid="deletable-from">{move || text::deletable_from(i18n.lang(), deletable_from)}</span> }.into_any()
        } else {
            view! {
                <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE).to_owned()) title=text::DELETE_TITLE
                    message=Signal::derive(move || text::delete_message(i18n.lang(), &number)) confirm=text::DELETE
                    on_confirm=remove testid="delete-line" />
            }.into_any()
        }}
    }
    .into_any()
}

/// One row of the registration grid.
#[derive(Clone, Copy)]
struct GridRow {
    name: RwSignal<String>,
    number: RwSignal<String>,
    restricted: RwSignal<bool>,
    office_link: RwSignal<bool>,
}

impl GridRow {
    fn new() -> Self {
        Self {
            name: RwSignal::new(String::new()),
            number: RwSignal::new(String::new()),
            restricted: RwSignal::new(false),
            office_link: RwSignal::new(false),
        }
    }

    fn blank(&self) -> bool {
        self.name.get_untracked().trim().is_empty() && self.number.get_untracked().trim().is_empty()
    }
}

/// 利用者の新規登録: 15 rows, blank ones skipped; every bad cell says why, the server's
/// answer included; then the billing notice to confirm.
#[component]
fn RegisterLines<F>(registered: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let rows: Vec<GridRow> = (0..LINES_PER_REQUEST).map(|_| GridRow::new()).collect();
    let rows = StoredValue::new(rows);
    let contract = RwSignal::new(String::new());
    // (row, field) → message.
    let cell_errors = RwSignal::new(HashMap::<(usize, &'static str), String>::new());
    let errors = FieldErrors::new();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let contracts = LocalResource::new(move || {
        let lang = i18n.lang();
        let query = ContractQuery {
            service: Some(Service::BusinessMobile),
            status: Some(ContractStatus::Active),
            page: 1,
            per_page: 100,
            ..ContractQuery::default()
        };
        async move { api::contracts::contracts(auth, lang, &query).await }
    });
    let contract_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::CHOOSE_CONTRACT.get(lang).to_owned()))
            .chain(contracts.get().and_then(Result::ok).into_iter().flat_map(|page| {
                page.items.into_iter().map(|contract| {
                    (
                        contract.id.to_string(),
                        format!("{} ({})", contract.contract_number, contract.organization.name),
                    )
                })
            }))
            .collect()
    });
    // The rows to send: not blank, with their grid positions.
    let filled = move || {
        rows.with_value(|rows| {
            rows.iter()
                .enumerate()
                .filter(|(_, row)| !row.blank())
                .map(|(index, row)| (index, *row))
                .collect::<Vec<_>>()
        })
    };
    let check = move |lang: Lang| {
        errors.clear();
        let mut found = HashMap::new();
        // The first row of each number, to name it when another row repeats it.
        let mut first_row: HashMap<String, usize> = HashMap::new();
        for (index, row) in filled() {
            if let Err(reason) = user_name_shape(&row.name.get_untracked()) {
                found.insert((index, "user_name"), reason.message(lang));
            }
            let number = normalize_mobile_number(&row.number.get_untracked());
            if let Err(reason) = mobile_number_shape(&number) {
                found.insert((index, "mobile_number"), reason.message(lang));
            } else if let Some(first) = first_row.get(&number) {
                found.insert((index, "mobile_number"), text::same_as_row(lang, first + 1));
            } else {
                first_row.insert(number, index);
            }
        }
        let ok = found.is_empty();
        cell_errors.set(found);
        errors.check(
            "contract_id",
            contract
                .get_untracked()
                .parse::<i64>()
                .map(|_| ())
                .map_err(|_| madoguchi_types::validation::Invalid::Required),
        );
        if filled().is_empty() {
            errors.check("lines", Err(madoguchi_types::validation::Invalid::Required));
        }
        ok && !errors.blocked()
    };
    let ask = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if check(i18n.lang_untracked()) {
            confirming.set(true);
            focus_by_id("confirm-register");
        } else {
            crate::components::focus_first_error();
        }
    };
    let send = move |_| {
        let lang = i18n.lang_untracked();
        let sent = filled();
        let Ok(contract_id) = contract.get_untracked().parse::<i64>() else {
            return;
        };
        let request = MobileLinesRequest {
            contract_id: ContractId(contract_id),
            lines: sent
                .iter()
                .map(|(_, row)| NewMobileLine {
                    user_name: row.name.get_untracked(),
                    mobile_number: normalize_mobile_number(&row.number.get_untracked()),
                    international_restricted: row.restricted.get_untracked(),
                    office_link: row.office_link.get_untracked(),
                })
                .collect(),
        };
        confirming.set(false);
        busy.set(true);
        spawn_local(async move {
            match api::mobile::register(auth, lang, &request).await {
                Ok(lines) => {
                    toasts.success(text::registered(lang, lines.len()));
                    rows.with_value(|rows| {
                        for row in rows {
                            row.name.set(String::new());
                            row.number.set(String::new());
                            row.restricted.set(false);
                            row.office_link.set(false);
                        }
                    });
                    cell_errors.set(HashMap::new());
                    registered();
                }
                Err(ApiError::Problem(problem)) => {
                    // `lines[k].field` is the k-th row sent: back to its grid position.
                    let mut found = HashMap::new();
                    for error in &problem.errors {
                        let place = error
                            .field
                            .strip_prefix("lines[")
                            .and_then(|rest| rest.split_once("]."))
                            .and_then(|(k, field)| Some((sent.get(k.parse::<usize>().ok()?)?.0, field)));
                        match place {
                            Some((index, "user_name")) => {
                                found.insert((index, "user_name"), error.message.clone());
                            }
                            Some((index, "mobile_number")) => {
                                found.insert((index, "mobile_number"), error.message.clone());
                            }
                            _ => {}
                        }
                    }
                    cell_errors.set(found);
                    errors.server_said(ApiError::Problem(problem));
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let cell = move |index: usize, field: &'static str| {
        let id = format!("grid-{field}-{index}");
        let error_id = format!("grid-error-{field}-{index}");
        let message = move || cell_errors.with(|found| found.get(&(index, field)).cloned());
        (id, error_id, message)
    };
    // The only contract is the one to register on.
    Effect::new(move |_| {
        if let Some(Ok(page)) = contracts.get()
            && let [only] = page.items.as_slice()
            && contract.get_untracked().is_empty()
        {
            contract.set(only.id.to_string());
        }
    });
    let no_contract = move || {
        contracts
            .get()
            .and_then(Result::ok)
            .is_some_and(|page| page.items.is_empty())
    };
    view! {
        <div class="card wide" data-testid="register-lines">
            <h2>{tr(text::REGISTER_TITLE)}</h2>
            <Show when=no_contract>
                <p class="alert alert-info" data-testid="no-mobile-contract">{tr(text::NO_CONTRACT)}</p>
            </Show>
            <p class="muted small">{tr(text::REGISTER_HINT)}</p>
            <form class="form wide-form" on:submit=ask novalidate hidden=no_contract>
                <SelectField label=text::CONTRACT name="contract_id" value=contract options=contract_options errors required=true />
                <div class="grid-scroll">
                    <table class="table line-grid">
                        <thead><tr>
                            <th scope="col">"#"</th>
                            <th scope="col">{tr(text::USER_NAME)}</th>
                            <th scope="col">{tr(text::NUMBER)}</th>
                            <th scope="col">{tr(text::INTERNATIONAL)}</th>
                            <th scope="col">{tr(text::OFFICE_LINK)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.with_value(|rows| rows.iter().copied().enumerate().map(|(index, row)| {
                                let (name_id, name_error, name_message) = cell(index, "user_name");
                                let (number_id, number_error, number_message) = cell(index, "mobile_number");
                                let (name_error_ref, number_error_ref) = (name_error.clone(), number_error.clone());
                                let position = index + 1;
                                view! {
                                    <tr data-testid=format!("grid-row-{position}")>
                                        <td>{position}</td>
                                        <td>
                                            <label class="sr-only" for=name_id.clone()>{move || text::cell_label(i18n.lang(), position, text::USER_NAME)}</label>
                                            <input id=name_id data-testid="grid-user_name" maxlength="20"
                                                aria-invalid=move || name_message().is_some().then_some("true")
                                                aria-describedby=name_error_ref
                                                prop:value=move || row.name.get() on:input=move |event| row.name.set(event_target_value(&event)) />
                                            <span class="field-error" id=name_error>{name_message}</span>
                                        </td>
                                        <td>
                                            <label class="sr-only" for=number_id.clone()>{move || text::cell_label(i18n.lang(), position, text::NUMBER)}</label>
                                            <input id=number_id data-testid="grid-mobile_number" inputmode="numeric" maxlength="13"
                                                aria-invalid=move || number_message().is_some().then_some("true")
                                                aria-describedby=number_error_ref
                                                prop:value=move || row.number.get() on:input=move |event| row.number.set(event_target_value(&event)) />
                                            <span class="field-error" id=number_error>{number_message}</span>
                                        </td>
                                        <td>
                                            <input type="checkbox" aria-label=move || text::cell_label(i18n.lang(), position, text::INTERNATIONAL)
                                                prop:checked=move || row.restricted.get() on:change=move |event| row.restricted.set(event_target_checked(&event)) />
                                        </td>
                                        <td>
                                            <input type="checkbox" aria-label=move || text::cell_label(i18n.lang(), position, text::OFFICE_LINK)
                                                prop:checked=move || row.office_link.get() on:change=move |event| row.office_link.set(event_target_checked(&event)) />
                                        </td>
                                    </tr>
                                }
                            }).collect_view())}
                        </tbody>
                    </table>
                </div>
                <FormError errors />
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="submit" class="button button-primary" data-testid="register" disabled=move || busy.get()>{tr(text::REGISTER)}</button>
                }>
                    <div class="alert alert-info" role="alertdialog" aria-labelledby="billing-notice" data-testid="billing-notice">
                        <p id="billing-notice">{tr(text::BILLING_NOTICE)}</p>
                        <p class="actions">
                            <button type="button" id="confirm-register" class="button button-primary" data-testid="confirm-register" on:click=send>{tr(text::CONFIRM_REGISTER)}</button>
                            <button type="button" class="button" on:click=move |_| confirming.set(false)>{tr(text::BACK)}</button>
                        </p>
                    </div>
                </Show>
            </form>
        </div>
    }
}
