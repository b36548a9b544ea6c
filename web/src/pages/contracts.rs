//! 契約情報一覧 (SPEC §4): the contracts the user may see, soonest end first, with filters
//! (service, status, ending soon, text) and paging; one contract with its maintenance
//! emails, covered equipment and projects. Staff add contracts and change them here too.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use madoguchi_types::contracts::{
    Contract, ContractEmail, ContractStatus, ContractSummary, ContractUpdate, EmailHolder, Equipment,
    NewContractRequest, Service,
};
use madoguchi_types::ids::{ContractId, OrganizationId};
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::{Invalid, rules};

use crate::api::{self, contracts::ContractQuery};
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, OrganizationPicker, PageHeading,
    Pager, RequirePermission, SelectField, SubmitButton, TextAreaField, contract_status_label, holder_label,
    service_label, use_toasts,
};
use crate::i18n::{Lang, catalogue::contracts as text, tr, use_i18n};
use crate::pages::documents::ContractDocuments;

const PER_PAGE: i64 = 20;
/// Ends within this many days: shown as a warning.
const SOON_DAYS: i64 = 90;

#[component]
pub fn ContractsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Contracts><ContractsContent /></RequirePermission> }
}

#[component]
pub fn ContractDetailPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Contracts><ContractDetail /></RequirePermission> }
}

/// `(value, label)` options of an enum select with "all" first.
pub(crate) fn options_of<T: Copy + ToString + Send + Sync + 'static>(
    values: &'static [T],
    label: fn(T) -> crate::i18n::Text,
    all: bool,
) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.lang();
        all.then(|| (String::new(), text::ANY.get(lang).to_owned()))
            .into_iter()
            .chain(
                values
                    .iter()
                    .map(|value| (value.to_string(), label(*value).get(lang).to_owned())),
            )
            .collect()
    })
}

#[component]
fn ContractsContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let (q, service, status, ending) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let page = RwSignal::new(1_i64);
    let applied = RwSignal::new(ContractQuery::default());
    let version = RwSignal::new(0_u32);
    let contracts = LocalResource::new(move || {
        version.track();
        let query = ContractQuery {
            page: page.get(),
            per_page: PER_PAGE,
            ..applied.get()
        };
        let lang = i18n.lang();
        async move { api::contracts::contracts(auth, lang, &query).await }
    });
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(ContractQuery {
            q: q.get_untracked(),
            service: service.get_untracked().parse().ok(),
            status: status.get_untracked().parse().ok(),
            ending_within_days: ending.get_untracked().parse().ok(),
            ..ContractQuery::default()
        });
    };
    let total = Signal::derive(move || {
        contracts
            .get()
            .and_then(|result| result.ok())
            .map_or(0, |page| page.total)
    });
    let ending_options = Signal::derive(move || {
        let lang = i18n.lang();
        [
            ("", text::ANY),
            ("30", text::WITHIN_30),
            ("90", text::WITHIN_90),
            ("180", text::WITHIN_180),
        ]
        .into_iter()
        .map(|(value, label)| (value.to_owned(), label.get(lang).to_owned()))
        .collect()
    });
    let filter_errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <form class="filters" on:submit=search data-testid="contract-filters" role="search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors=filter_errors hint=text::SEARCH_HINT />
                <SelectField scope="filter" label=text::SERVICE name="service" value=service options=options_of(Service::ALL, service_label, true) errors=filter_errors />
                <SelectField scope="filter" label=text::STATUS name="status" value=status options=options_of(ContractStatus::ALL, contract_status_label, true) errors=filter_errors />
                <SelectField scope="filter" label=text::ENDING name="ending_within_days" value=ending options=ending_options errors=filter_errors />
                <button type="submit" class="button">{tr(text::APPLY)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingRows rows=5 /> }>
                {move || Suspend::new(async move {
                    match contracts.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <ContractTable list=found.items staff /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            {staff.then(|| view! { <NewContractForm created=move || version.update(|v| *v += 1) /> })}
        </section>
    }
}

/// `2026-04-01 〜 2027-03-31`
fn period(contract: &ContractSummary) -> String {
    format!("{} 〜 {}", contract.starts_on, contract.ends_on)
}

/// The days left as a badge: a warning within [`SOON_DAYS`], muted once ended.
#[component]
fn DaysLeft(days: i64, status: ContractStatus) -> impl IntoView {
    let i18n = use_i18n();
    let class = match (status, days) {
        (ContractStatus::Active, d) if (0..=SOON_DAYS).contains(&d) => "badge badge-warn",
        (ContractStatus::Active, d) if d > SOON_DAYS => "badge badge-ok",
        _ => "badge badge-muted",
    };
    view! { <span class=class>{move || text::days_left(i18n.lang(), days)}</span> }
}

#[component]
fn ContractTable(list: Vec<ContractSummary>, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="contracts">
            <thead><tr>
                <th>{tr(text::NUMBER)}</th>
                {staff.then(|| view! { <th>{tr(text::CUSTOMER)}</th> })}
                <th>{tr(text::SERVICE)}</th>
                <th>{tr(text::PERIOD)}</th>
                <th>{tr(text::ENDS_ON)}</th>
                <th>{tr(text::STATUS)}</th>
                <th class="numeric">{tr(text::EQUIPMENT_COUNT)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|contract| {
                    let number = contract.contract_number.clone();
                    let customer = format!("{} {}", contract.organization.customer_number, contract.organization.name);
                    let (service, status) = (contract.service, contract.status);
                    let testid = format!("contract-{number}");
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::NUMBER)>
                                <A href=format!("/contracts/{}", contract.id)>{number}</A>
                            </td>
                            {staff.then(|| view! { <td data-label=move || i18n.t(text::CUSTOMER)>{customer}</td> })}
                            <td data-label=move || i18n.t(text::SERVICE)>{tr(service_label(service))}</td>
                            <td data-label=move || i18n.t(text::PERIOD)>{period(&contract)}</td>
                            <td data-label=move || i18n.t(text::ENDS_ON)><DaysLeft days=contract.days_left status /></td>
                            <td data-label=move || i18n.t(text::STATUS)>{tr(contract_status_label(status))}</td>
                            <td class="numeric" data-label=move || i18n.t(text::EQUIPMENT_COUNT)>{contract.equipment_count}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ContractDetail() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0_u32);
    let contract = LocalResource::new(move || {
        version.track();
        let (id, lang) = (id(), i18n.lang());
        async move {
            match id {
                Some(id) => api::contracts::contract(auth, lang, ContractId(id))
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section>
            <PageHeading text=text::DETAIL_TITLE />
            <A href="/contracts" attr:class="back-link">{tr(text::BACK)}</A>
            <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                {move || Suspend::new(async move {
                    match contract.await {
                        Ok(Some(contract)) => view! { <ContractView contract changed=move || version.update(|v| *v += 1) /> }.into_any(),
                        Ok(None) => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ContractView<F>(contract: Contract, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let auth = use_auth();
    let staff = auth.can(Permission::ProviderOperations);
    let summary = contract.summary.clone();
    let editable = contract.clone();
    view! {
        <div class="card wide" data-testid="contract-detail">
            <h2>{summary.contract_number.clone()}</h2>
            <dl class="facts">
                <dt>{tr(text::CUSTOMER)}</dt>
                <dd>{format!("{} {}", summary.organization.customer_number, summary.organization.name)}</dd>
                <dt>{tr(text::SERVICE)}</dt><dd>{tr(service_label(summary.service))}</dd>
                <dt>{tr(text::PERIOD)}</dt><dd>{period(&summary)}" "<DaysLeft days=summary.days_left status=summary.status /></dd>
                <dt>{tr(text::STATUS)}</dt><dd>{tr(contract_status_label(summary.status))}</dd>
                <dt>{tr(text::PROJECTS)}</dt>
                <dd>{if contract.projects.is_empty() {
                    tr(text::NO_PROJECTS).into_any()
                } else {
                    contract.projects.iter().map(|project| project.name.clone()).collect::<Vec<_>>().join("、").into_any()
                }}</dd>
            </dl>
        </div>
        <h2>{tr(text::EQUIPMENT)}</h2>
        {if contract.equipment.is_empty() {
            view! { <EmptyState text=text::NO_EQUIPMENT /> }.into_any()
        } else {
            view! { <EquipmentTable list=contract.equipment.clone() /> }.into_any()
        }}
        <h2>{tr(text::EMAILS)}</h2>
        {if contract.emails.is_empty() {
            view! { <EmptyState text=text::NO_EMAILS /> }.into_any()
        } else {
            view! { <EmailTable list=contract.emails.clone() /> }.into_any()
        }}
        {auth.can(Permission::Documents).then(|| view! { <ContractDocuments contract=summary.id /> })}
        {staff.then(|| view! { <EditContractForm contract=editable changed /> })}
    }
}

#[component]
fn EquipmentTable(list: Vec<Equipment>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="equipment">
            <thead><tr>
                <th>{tr(text::MAKER)}</th><th>{tr(text::MODEL)}</th><th>{tr(text::SERIAL)}</th><th>{tr(text::OS_VERSION)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|item| view! {
                    <tr>
                        <td data-label=move || i18n.t(text::MAKER)>{item.maker}</td>
                        <td data-label=move || i18n.t(text::MODEL)>{item.model}</td>
                        <td data-label=move || i18n.t(text::SERIAL)>{item.serial_number}</td>
                        <td data-label=move || i18n.t(text::OS_VERSION)>{item.os_version}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn EmailTable(list: Vec<ContractEmail>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="emails">
            <thead><tr><th>{tr(text::HOLDER)}</th><th>{tr(text::EMAIL)}</th></tr></thead>
            <tbody>
                {list.into_iter().map(|entry| view! {
                    <tr>
                        <td data-label=move || i18n.t(text::HOLDER)>{tr(holder_label(entry.holder))}</td>
                        <td data-label=move || i18n.t(text::EMAIL)>{entry.email}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The equipment lines as typed: one piece per line, fields separated by tabs (pasted from
/// a spreadsheet) or commas.
fn parse_equipment(typed: &str) -> Vec<Equipment> {
    typed
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let separator = if line.contains('\t') { '\t' } else { ',' };
            let mut parts = line.split(separator).map(|part| part.trim().to_owned());
            Equipment {
                maker: parts.next().unwrap_or_default(),
                model: parts.next().unwrap_or_default(),
                serial_number: parts.next().unwrap_or_default(),
                os_version: parts.collect::<Vec<_>>().join(", "),
            }
        })
        .collect()
}

fn equipment_lines(list: &[Equipment]) -> String {
    list.iter()
        .map(|item| {
            let mut fields = vec![
                item.maker.as_str(),
                item.model.as_str(),
                item.serial_number.as_str(),
            ];
            if !item.os_version.is_empty() {
                fields.push(item.os_version.as_str());
            }
            fields.join(", ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `equipment[2].model` → `3行目: 機種`.
fn describe_equipment_field(field: &str, lang: Lang) -> String {
    let index = field
        .strip_prefix("equipment[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|index| index.parse::<usize>().ok());
    let column = match field.rsplit('.').next() {
        Some("maker") => text::MAKER.get(lang),
        Some("model") => text::MODEL.get(lang),
        Some("serial_number") => text::SERIAL.get(lang),
        Some("os_version") => text::OS_VERSION.get(lang),
        _ => "",
    };
    match (index, lang) {
        (Some(index), Lang::Ja) => format!("{}行目 {column}", index + 1),
        (Some(index), Lang::En) => format!("{} {} {column}", text::LINE.get(lang), index + 1),
        (None, _) => field.to_owned(),
    }
}

/// The three holders' addresses, comma-separated as typed, in the order sent.
fn emails_of(fields: [(EmailHolder, RwSignal<String>); 3]) -> Vec<ContractEmail> {
    fields
        .iter()
        .flat_map(|(holder, typed)| {
            typed
                .get_untracked()
                .split([',', '、', '\n'])
                .map(str::trim)
                .filter(|email| !email.is_empty())
                .map(|email| ContractEmail {
                    holder: *holder,
                    email: email.to_owned(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The email fields of the staff's forms, one per holder, and the list last sent (the
/// server names a refused address by its place in that list).
#[derive(Clone, Copy)]
struct EmailFields {
    sales_agent: RwSignal<String>,
    operator: RwSignal<String>,
    end_user: RwSignal<String>,
    sent: RwSignal<Vec<ContractEmail>>,
}

impl EmailFields {
    fn new(emails: &[ContractEmail]) -> Self {
        let joined = |holder: EmailHolder| {
            emails
                .iter()
                .filter(|entry| entry.holder == holder)
                .map(|entry| entry.email.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        Self {
            sales_agent: RwSignal::new(joined(EmailHolder::SalesAgent)),
            operator: RwSignal::new(joined(EmailHolder::Operator)),
            end_user: RwSignal::new(joined(EmailHolder::EndUser)),
            sent: RwSignal::new(Vec::new()),
        }
    }

    fn collect(&self) -> Vec<ContractEmail> {
        let emails = emails_of([
            (EmailHolder::SalesAgent, self.sales_agent),
            (EmailHolder::Operator, self.operator),
            (EmailHolder::EndUser, self.end_user),
        ]);
        self.sent.set(emails.clone());
        emails
    }

    /// `emails[3].email` → `運用者 foo@bar`: which address the server refused.
    fn describe(&self, field: &str, lang: Lang) -> String {
        let index = field
            .strip_prefix("emails[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|index| index.parse::<usize>().ok());
        self.sent
            .with(|sent| index.and_then(|index| sent.get(index).cloned()))
            .map_or_else(
                || field.to_owned(),
                |entry| format!("{} {}", holder_label(entry.holder).get(lang), entry.email),
            )
    }
}

fn parse_date(errors: FieldErrors, field: &'static str, typed: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d").ok();
    let result = match (typed.trim().is_empty(), parsed) {
        (true, _) => Err(Invalid::Required),
        (false, None) => Err(Invalid::Format {
            expected: "YYYY-MM-DD",
        }),
        (false, Some(_)) => Ok(()),
    };
    errors.check(field, result);
    parsed
}

#[component]
fn NewContractForm<F>(created: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let organization = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let service = RwSignal::new(Service::ProductMaintenance.to_string());
    let status = RwSignal::new(ContractStatus::Active.to_string());
    let (starts_on, ends_on) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let equipment = RwSignal::new(String::new());
    let emails = EmailFields::new(&[]);
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let organization_id = organization.get_untracked().parse::<i64>().ok();
        errors.check(
            "organization_id",
            organization_id.map(|_| ()).ok_or(Invalid::Required),
        );
        errors.check("contract_number", rules::required(&number.get_untracked()));
        let starts = parse_date(errors, "starts_on", &starts_on.get_untracked());
        let ends = parse_date(errors, "ends_on", &ends_on.get_untracked());
        if let (Some(starts), Some(ends)) = (starts, ends) {
            errors.check(
                "ends_on",
                if ends < starts {
                    Err(Invalid::EndsBeforeStart)
                } else {
                    Ok(())
                },
            );
        }
        if errors.blocked() {
            return;
        }
        let (Some(organization_id), Some(starts_on), Some(ends_on)) = (organization_id, starts, ends) else {
            return;
        };
        let request = NewContractRequest {
            organization_id: OrganizationId(organization_id),
            contract_number: number.get_untracked().trim().to_owned(),
            service: service
                .get_untracked()
                .parse()
                .unwrap_or(Service::ProductMaintenance),
            starts_on,
            ends_on,
            status: status.get_untracked().parse().unwrap_or(ContractStatus::Active),
            emails: emails.collect(),
            equipment: parse_equipment(&equipment.get_untracked()),
        };
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::contracts::create_contract(auth, lang, &request).await {
                Ok(contract) => {
                    toasts.success(text::created(lang, &contract.summary.contract_number));
                    created();
                    navigate(&format!("/contracts/{}", contract.summary.id), Default::default());
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="new-contract">
            <h2>{tr(text::ADD_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <OrganizationPicker selected=organization errors />
                <Field label=text::NUMBER name="contract_number" value=number errors required=true />
                <SelectField label=text::SERVICE name="service" value=service options=options_of(Service::ALL, service_label, false) errors required=true />
                <SelectField label=text::STATUS name="status" value=status options=options_of(ContractStatus::ALL, contract_status_label, false) errors required=true />
                <div class="form-grid">
                    <Field label=text::STARTS_ON name="starts_on" kind="date" value=starts_on errors required=true />
                    <Field label=text::ENDS_ON name="ends_on" kind="date" value=ends_on errors required=true />
                </div>
                <EmailInputs emails errors />
                <TextAreaField label=text::EQUIPMENT_EDIT name="equipment" value=equipment errors hint=text::EQUIPMENT_HINT rows=5 entry=describe_equipment_field />
                <FormError errors />
                <SubmitButton label=text::ADD busy=busy.into() primary=true />
            </form>
        </div>
    }
}

#[component]
fn EmailInputs(emails: EmailFields, errors: FieldErrors) -> impl IntoView {
    let i18n = use_i18n();
    let (sales_agent, operator, end_user) = (emails.sales_agent, emails.operator, emails.end_user);
    let refused = move || {
        let lang = i18n.lang();
        errors
            .in_list("emails")
            .into_iter()
            .map(|(field, message)| format!("{}: {message}", emails.describe(&field, lang)))
            .collect::<Vec<_>>()
    };
    view! {
        <Field label=text::EMAILS_SALES_AGENT name="emails_sales_agent" kind="text" value=sales_agent errors hint=text::EMAILS_HINT />
        <Field label=text::EMAILS_OPERATOR name="emails_operator" kind="text" value=operator errors hint=text::EMAILS_HINT />
        <Field label=text::EMAILS_END_USER name="emails_end_user" kind="text" value=end_user errors hint=text::EMAILS_HINT />
        <div class="field-error" data-testid="error-emails" aria-live="polite">
            {move || refused().into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
        </div>
    }
}

#[component]
fn EditContractForm<F>(contract: Contract, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let summary = contract.summary.clone();
    let id = summary.id;
    let service = RwSignal::new(summary.service.to_string());
    let status = RwSignal::new(summary.status.to_string());
    let starts_on = RwSignal::new(summary.starts_on.to_string());
    let ends_on = RwSignal::new(summary.ends_on.to_string());
    let equipment = RwSignal::new(equipment_lines(&contract.equipment));
    let emails = EmailFields::new(&contract.emails);
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let starts = parse_date(errors, "starts_on", &starts_on.get_untracked());
        let ends = parse_date(errors, "ends_on", &ends_on.get_untracked());
        if let (Some(starts), Some(ends)) = (starts, ends) {
            errors.check(
                "ends_on",
                if ends < starts {
                    Err(Invalid::EndsBeforeStart)
                } else {
                    Ok(())
                },
            );
        }
        if errors.blocked() {
            return;
        }
        let update = ContractUpdate {
            service: service.get_untracked().parse().ok(),
            status: status.get_untracked().parse().ok(),
            starts_on: starts,
            ends_on: ends,
            emails: Some(emails.collect()),
            equipment: Some(parse_equipment(&equipment.get_untracked())),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::contracts::update_contract(auth, lang, id, &update).await {
                Ok(contract) => {
                    toasts.success(text::saved(lang, &contract.summary.contract_number));
                    changed();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="edit-contract">
            <h2>{tr(text::EDIT_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <SelectField scope="edit" label=text::SERVICE name="service" value=service options=options_of(Service::ALL, service_label, false) errors required=true />
                <SelectField scope="edit" label=text::STATUS name="status" value=status options=options_of(ContractStatus::ALL, contract_status_label, false) errors required=true />
                <div class="form-grid">
                    <Field scope="edit" label=text::STARTS_ON name="starts_on" kind="date" value=starts_on errors required=true />
                    <Field scope="edit" label=text::ENDS_ON name="ends_on" kind="date" value=ends_on errors required=true />
                </div>
                <EmailInputs emails errors />
                <TextAreaField label=text::EQUIPMENT_EDIT name="equipment" value=equipment errors hint=text::EQUIPMENT_HINT rows=5 entry=describe_equipment_field />
                <FormError errors />
                <SubmitButton label=text::SAVE busy=busy.into() primary=true />
            </form>
        </div>
    }
}
