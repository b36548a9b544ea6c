//! 案件・顧客案件グループ (staff, seed 001 §3.2–3.3): projects with their contracts and the
//! accounts of their customer project group, which from then on see only their groups'
//! projects. Create, rename, change contracts, add and remove members, delete.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use madoguchi_types::ids::{AccountId, OrganizationId, ProjectId};
use madoguchi_types::policy::Permission;
use madoguchi_types::projects::{NewProjectRequest, Project, ProjectSummary, ProjectUpdate};
use madoguchi_types::validation::{Invalid, rules};

use crate::api::{self, accounts::AccountQuery};
use crate::auth::use_auth;
use crate::components::{
    ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, OrganizationPicker,
    PageHeading, Pager, RequirePermission, SelectField, SubmitButton, role_label, use_toasts,
};
use crate::i18n::{catalogue::projects as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ProviderOperations><ProjectsContent /></RequirePermission> }
}

#[component]
pub fn ProjectDetailPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::ProviderOperations><ProjectDetail /></RequirePermission> }
}

/// `ABC1234567, abc7654321` → the numbers, in order.
fn contract_numbers(typed: &str) -> Vec<String> {
    typed
        .split([',', '、', '\n', ' ', '　'])
        .map(str::trim)
        .filter(|number| !number.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
fn ProjectsContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let q = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let version = RwSignal::new(0_u32);
    let projects = LocalResource::new(move || {
        version.track();
        let (q, page, lang) = (applied.get(), page.get(), i18n.lang());
        async move { api::contracts::projects(auth, lang, &q, page, PER_PAGE).await }
    });
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(q.get_untracked());
    };
    let total = Signal::derive(move || {
        projects
            .get()
            .and_then(|result| result.ok())
            .map_or(0, |page| page.total)
    });
    let filter_errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="lead">{tr(text::LEAD)}</p>
            <form class="filters" on:submit=search data-testid="project-filters" role="search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors=filter_errors hint=text::SEARCH_HINT />
                <button type="submit" class="button">{tr(text::APPLY)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match projects.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <ProjectTable list=found.items /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <NewProjectForm />
        </section>
    }
}

#[component]
fn ProjectTable(list: Vec<ProjectSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="projects">
            <thead><tr>
                <th>{tr(text::NAME)}</th>
                <th>{tr(text::GROUP_NAME)}</th>
                <th>{tr(text::CUSTOMER)}</th>
                <th class="numeric">{tr(text::CONTRACTS)}</th>
                <th class="numeric">{tr(text::MEMBERS)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|project| view! {
                    <tr data-testid=format!("project-{}", project.id)>
                        <td data-label=move || i18n.t(text::NAME)>
                            <A href=format!("/admin/projects/{}", project.id)>{project.name.clone()}</A>
                        </td>
                        <td data-label=move || i18n.t(text::GROUP_NAME)>{project.group_name.clone()}</td>
                        <td data-label=move || i18n.t(text::CUSTOMER)>
                            {format!("{} {}", project.organization.customer_number, project.organization.name)}
                        </td>
                        <td class="numeric" data-label=move || i18n.t(text::CONTRACTS)>{project.contracts}</td>
                        <td class="numeric" data-label=move || i18n.t(text::MEMBERS)>{project.members}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn NewProjectForm() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let organization = RwSignal::new(String::new());
    let (name, group_name, numbers) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
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
        errors.check("name", rules::required(&name.get_untracked()));
        errors.check("group_name", rules::required(&group_name.get_untracked()));
        if errors.blocked() {
            return;
        }
        let Some(organization_id) = organization_id else {
            return;
        };
        let request = NewProjectRequest {
            organization_id: OrganizationId(organization_id),
            name: name.get_untracked(),
            group_name: group_name.get_untracked(),
            contract_numbers: contract_numbers(&numbers.get_untracked()),
        };
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::contracts::create_project(auth, lang, &request).await {
                Ok(project) => {
                    toasts.success(text::created(lang, &project.name));
                    navigate(&format!("/admin/projects/{}", project.id), Default::default());
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="new-project">
            <h2>{tr(text::ADD_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <OrganizationPicker selected=organization errors />
                <Field label=text::NAME name="name" value=name errors required=true />
                <Field label=text::GROUP_NAME name="group_name" value=group_name errors required=true />
                <ContractNumbersField value=numbers errors />
                <FormError errors />
                <SubmitButton label=text::ADD busy=busy.into() primary=true />
            </form>
        </div>
    }
}

/// The contract numbers, with the server's refusals of single numbers listed by number.
#[component]
fn ContractNumbersField(value: RwSignal<String>, errors: FieldErrors) -> impl IntoView {
    let sent = move || contract_numbers(&value.get());
    let refused = move || {
        let numbers = sent();
        errors
            .in_list("contract_numbers")
            .into_iter()
            .map(|(field, message)| {
                let number = field
                    .strip_prefix("contract_numbers[")
                    .and_then(|rest| rest.strip_suffix(']'))
                    .and_then(|index| index.parse::<usize>().ok())
                    .and_then(|index| numbers.get(index).cloned())
                    .unwrap_or(field);
                format!("{number}: {message}")
            })
            .collect::<Vec<_>>()
    };
    view! {
        <Field label=text::CONTRACT_NUMBERS name="contract_numbers" value errors hint=text::CONTRACT_NUMBERS_HINT />
        <div class="field-error" data-testid="error-contract-numbers" aria-live="polite">
            {move || refused().into_iter().map(|line| view! { <div>{line}</div> }).collect_view()}
        </div>
    }
}

#[component]
fn ProjectDetail() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0_u32);
    let project = LocalResource::new(move || {
        version.track();
        let (id, lang) = (id(), i18n.lang());
        async move {
            match id {
                Some(id) => api::contracts::project(auth, lang, ProjectId(id)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section>
            <PageHeading text=text::DETAIL_TITLE />
            <A href="/admin/projects" attr:class="back-link">{tr(text::BACK)}</A>
            <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                {move || Suspend::new(async move {
                    match project.await {
                        Ok(Some(project)) => view! { <ProjectView project changed=move || version.update(|v| *v += 1) /> }.into_any(),
                        Ok(None) => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProjectView<F>(project: Project, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = project.id;
    let organization = project.organization.id;
    let name = RwSignal::new(project.name.clone());
    let group_name = RwSignal::new(project.group_name.clone());
    let numbers = RwSignal::new(
        project
            .contracts
            .iter()
            .map(|contract| contract.contract_number.clone())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("name", rules::required(&name.get_untracked()));
        errors.check("group_name", rules::required(&group_name.get_untracked()));
        if errors.blocked() {
            return;
        }
        let update = ProjectUpdate {
            name: Some(name.get_untracked()),
            group_name: Some(group_name.get_untracked()),
            contract_numbers: Some(contract_numbers(&numbers.get_untracked())),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::contracts::update_project(auth, lang, id, &update).await {
                Ok(project) => {
                    toasts.success(text::saved(lang, &project.name));
                    changed();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let delete = Callback::new(move |()| {
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::contracts::delete_project(auth, lang, id).await {
                Ok(()) => {
                    toasts.success(text::DELETED.get(lang).to_owned());
                    navigate("/admin/projects", Default::default());
                }
                Err(error) => errors.server_said(error),
            }
        });
    });
    let customer = format!(
        "{} {}",
        project.organization.customer_number, project.organization.name
    );
    view! {
        <div class="card wide" data-testid="project-detail">
            <p><strong>{tr(text::CUSTOMER)}</strong>" "{customer}</p>
            <form class="form" on:submit=save novalidate>
                <Field label=text::NAME name="name" value=name errors required=true />
                <Field label=text::GROUP_NAME name="group_name" value=group_name errors required=true />
                <ContractNumbersField value=numbers errors />
                <FormError errors />
                <SubmitButton label=text::SAVE busy=busy.into() primary=true />
            </form>
        </div>
        <Members project=project.clone() organization changed />
        <div class="danger-zone">
            <ConfirmButton
                label=Signal::derive(move || i18n.t(text::DELETE).to_owned())
                title=text::DELETE
                message=Signal::derive(move || i18n.t(text::DELETE_CONFIRM).to_owned())
                confirm=text::DELETE
                on_confirm=delete
                testid="delete-project"
            />
        </div>
    }
}

/// The group's members with a remove button each, and a picker of the organization's other
/// accounts.
#[component]
fn Members<F>(project: Project, organization: OrganizationId, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let id = project.id;
    let members: Vec<AccountId> = project.members.iter().map(|member| member.id).collect();
    let candidates = LocalResource::new(move || {
        let lang = i18n.lang();
        let query = AccountQuery {
            organization: Some(organization),
            page: 1,
            per_page: 200,
            ..Default::default()
        };
        async move { api::accounts::accounts(auth, lang, &query).await }
    });
    let chosen = RwSignal::new(String::new());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        let accounts = candidates
            .get()
            .and_then(|result| result.ok())
            .map(|page| page.items)
            .unwrap_or_default();
        std::iter::once((String::new(), text::CHOOSE_ACCOUNT.get(lang).to_owned()))
            .chain(
                accounts
                    .into_iter()
                    .filter(|account| !members.contains(&account.id))
                    .map(|account| {
                        (
                            account.id.to_string(),
                            format!("{} ({})", account.login_id, account.full_name),
                        )
                    }),
            )
            .collect()
    });
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let account = chosen.get_untracked().parse::<i64>().ok();
        errors.check("account_id", account.map(|_| ()).ok_or(Invalid::Required));
        if errors.blocked() {
            return;
        }
        let Some(account) = account else { return };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::contracts::add_member(auth, lang, id, AccountId(account)).await {
                Ok(_) => {
                    chosen.set(String::new());
                    changed();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let remove = move |account: AccountId| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::contracts::remove_member(auth, lang, id, account).await {
                Ok(_) => changed(),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    };
    view! {
        <h2>{tr(text::MEMBER_LIST)}</h2>
        {if project.members.is_empty() {
            view! { <EmptyState text=text::NO_MEMBERS /> }.into_any()
        } else {
            view! {
                <table class="table responsive" data-testid="members">
                    <thead><tr><th>{tr(text::ACCOUNT)}</th><th>{tr(text::ROLE)}</th><th><span class="sr-only">{tr(text::REMOVE)}</span></th></tr></thead>
                    <tbody>
                        {project.members.into_iter().map(|member| {
                            let account = member.id;
                            view! {
                                <tr data-testid=format!("member-{}", member.login_id)>
                                    <td data-label=move || i18n.t(text::ACCOUNT)>{format!("{} ({})", member.login_id, member.full_name)}</td>
                                    <td data-label=move || i18n.t(text::ROLE)>{tr(role_label(member.role))}</td>
                                    <td class="actions">
                                        <ConfirmButton
                                            label=Signal::derive(move || i18n.t(text::REMOVE).to_owned())
                                            title=text::REMOVE
                                            message=Signal::derive(move || i18n.t(text::REMOVE_CONFIRM).to_owned())
                                            confirm=text::REMOVE
                                            on_confirm=Callback::new(move |()| remove(account))
                                            testid="remove-member"
                                        />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <form class="form inline" on:submit=add novalidate data-testid="add-member">
            <SelectField label=text::ADD_MEMBER name="account_id" value=chosen options errors />
            <SubmitButton label=text::ADD_MEMBER busy=busy.into() />
        </form>
        <FormError errors />
    }
}
