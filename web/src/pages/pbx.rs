//! 内線番号管理 (SPEC §8.1, seed 003 §3–4, §6.1–6.2): the site picker; the extensions with
//! search and paging, each with its mobile number (assigned from the site's pool or
//! released), transfer (譲渡) and delete (force when it is in groups); a new profile; the
//! swap (交換) of two extensions' numbers; and the CSV files — bulk register or delete with
//! drag and drop, a progress bar, the detected encoding and a table of every bad row, a
//! check-only run — and the export.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use madoguchi_types::extensions::{
    CsvAction, CsvRowError, ExportEncoding, Extension, ExtensionRequest, ExtensionUpdate, ForwardingChoice,
    ImportReport, Site, SiteRequest, SwapRequest, TransferRequest, domain_name_shape, extension_number_shape,
    park_hold_code_shape, sip_password_shape, sip_user_shape, site_number_shape, web_password_shape,
    web_user_shape,
};
use madoguchi_types::ids::{ExtensionId, SiteId};
use madoguchi_types::jobs::JobState;
use madoguchi_types::policy::Permission;

use crate::api::pbx::CsvAnswer;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{
    CheckField, ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows,
    OrganizationPicker, PageHeading, Pager, RequirePermission, SelectField, SubmitButton, choices,
    focus_by_id, focus_first_error, use_toasts,
};
use crate::i18n::{catalogue::pbx as text, tr, use_i18n};

const PER_PAGE: i64 = 50;

#[component]
pub fn PbxPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Pbx><Pbx /></RequirePermission> }
}

/// The site chosen on the PBX pages: the same one while the user moves between them.
#[derive(Clone, Copy)]
pub struct ChosenSite(pub RwSignal<String>);

impl ChosenSite {
    pub fn provide() {
        provide_context(Self(RwSignal::new(String::new())));
    }

    fn signal() -> RwSignal<String> {
        use_context::<Self>().map_or_else(|| RwSignal::new(String::new()), |chosen| chosen.0)
    }
}

/// The PBX pages: extensions, groups, feature codes, forwarding.
#[component]
pub fn PbxTabs() -> impl IntoView {
    // `exact`: the extensions' tab is not current on the other pages under `/pbx`.
    let tab = move |href: &'static str, label: crate::i18n::Text, testid: &'static str| {
        view! { <A href=href exact=true attr:data-testid=testid>{tr(label)}</A> }
    };
    view! {
        <nav class="tabs" aria-label=move || use_i18n().t(text::TABS)>
            {tab("/pbx", text::TAB_EXTENSIONS, "tab-extensions")}
            {tab("/pbx/groups", text::TAB_GROUPS, "tab-groups")}
            {tab("/pbx/features", text::TAB_FEATURES, "tab-features")}
            {tab("/pbx/forwarding", text::TAB_FORWARDING, "tab-forwarding")}
            {tab("/pbx/cdrs", text::TAB_CDRS, "tab-cdrs")}
        </nav>
    }
}

/// A PBX page other than the extensions': its heading, the tabs, the site picker, and
/// `body` for the chosen site.
#[component]
pub fn SiteFrame<F, V>(title: crate::i18n::Text, intro: crate::i18n::Text, body: F) -> impl IntoView
where
    F: Fn(SiteId) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let chosen = ChosenSite::signal();
    let sites = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::pbx::sites(auth, lang).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = sites.get()
            && let Some(first) = list.first()
            && chosen.get_untracked().is_empty()
        {
            chosen.set(first.id.to_string());
        }
    });
    let options = site_options(sites);
    let site = Signal::derive(move || chosen.get().parse::<i64>().ok().map(SiteId));
    let errors = FieldErrors::new();
    view! {
        <RequirePermission permission=Permission::Pbx>
            <section>
                <PageHeading text=title />
                <PbxTabs />
                <p class="muted">{tr(intro)}</p>
                <Transition fallback=|| view! { <LoadingRows rows=2 /> }>
                    {move || Suspend::new(async move {
                        match sites.await {
                            Ok(list) if list.is_empty() => view! { <EmptyState text=text::NO_SITE /> }.into_any(),
                            Ok(_) => view! {
                                <div class="filters" data-testid="site-picker">
                                    <SelectField label=text::SITE name="site" value=chosen options errors />
                                </div>
                            }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Transition>
                {move || site.get().map(body)}
            </section>
        </RequirePermission>
    }
}

fn site_options(sites: LocalResource<Result<Vec<Site>, ApiError>>) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    let auth = use_auth();
    Signal::derive(move || {
        let lang = i18n.lang();
        sites
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|site| {
                let label = text::site_label(lang, &site.name, &site.domain_name, site.extension_count);
                let label = if auth.is_staff() {
                    format!("{} — {label}", site.organization_name)
                } else {
                    label
                };
                (site.id.to_string(), label)
            })
            .collect()
    })
}

#[component]
fn Pbx() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let chosen = ChosenSite::signal();
    let version = RwSignal::new(0_u32);
    let sites = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::pbx::sites(auth, lang).await }
    });
    // The first site is chosen until the user picks another.
    Effect::new(move |_| {
        if let Some(Ok(list)) = sites.get()
            && let Some(first) = list.first()
            && chosen.get_untracked().is_empty()
        {
            chosen.set(first.id.to_string());
        }
    });
    let options = site_options(sites);
    let site = Signal::derive(move || chosen.get().parse::<i64>().ok().map(SiteId));
    let changed = move || version.update(|v| *v += 1);
    let errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <PbxTabs />
            <p class="muted">{tr(text::INTRO)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=2 /> }>
                {move || Suspend::new(async move {
                    match sites.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState text=text::NO_SITE /> }.into_any(),
                        Ok(list) => {
                            let summary = move || {
                                let id = site.get()?;
                                list.iter().find(|candidate| candidate.id == id).cloned()
                            };
                            view! {
                                <div class="filters" data-testid="site-picker">
                                    <SelectField label=text::SITE name="site" value=chosen options errors />
                                </div>
                                {move || summary().map(|site: Site| view! {
                                    <p class="muted small" data-testid="site-summary">
                                        {move || format!("{}: {} / {}: {}", i18n.t(text::DOMAIN), site.domain_name, i18n.t(text::SITE_NUMBER), site.site_number)}
                                    </p>
                                })}
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Show when=move || auth.is_staff()>
                <NewSite created=move |id: SiteId| { chosen.set(id.to_string()); changed(); } />
            </Show>
            {move || site.get().map(|site| view! {
                <Extensions site version changed />
                <div class="columns">
                    <NewExtension site version changed />
                    <Swap site version changed />
                </div>
                <CsvFiles site changed />
            })}
        </section>
    }
}

#[component]
fn Extensions<F>(site: SiteId, version: RwSignal<u32>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let search = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let errors = FieldErrors::new();
    let list = LocalResource::new(move || {
        version.track();
        let (lang, query, page) = (i18n.lang(), applied.get(), page.get());
        async move { api::pbx::extensions(auth, lang, site, &query, page, PER_PAGE).await }
    });
    let pool = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::pbx::pool(auth, lang, site).await }
    });
    let pool_numbers = Signal::derive(move || {
        pool.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|line| line.mobile_number)
            .collect::<Vec<_>>()
    });
    let total = Signal::derive(move || list.get().and_then(Result::ok).map_or(0, |page| page.total));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(search.get_untracked());
    };
    view! {
        <div class="card wide" data-testid="extensions">
            <form class="filters" role="search" on:submit=submit>
                <Field scope="extensions" label=text::SEARCH_LABEL name="q" value=search errors />
                <button type="submit" class="button button-primary">{tr(text::SEARCH)}</button>
            </form>
            <p class="muted" aria-live="polite" data-testid="extension-count">{move || text::found(i18n.lang(), total.get())}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <ExtensionTable list=found.items pool=pool_numbers changed /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
        </div>
    }
}

#[component]
fn ExtensionTable<F>(list: Vec<Extension>, pool: Signal<Vec<String>>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    // Numbers other extensions of this page hold, for the transfer's choices.
    let held: Vec<(String, String)> = list
        .iter()
        .filter_map(|extension| Some((extension.mobile_number.clone()?, extension.number.clone())))
        .collect();
    let held = StoredValue::new(held);
    view! {
        <table class="table responsive" data-testid="extension-table">
            <thead><tr>
                <th scope="col">{tr(text::NUMBER)}</th>
                <th scope="col">{tr(text::SIP_USER)}</th>
                <th scope="col">{tr(text::WEB_USER)}</th>
                <th scope="col">{tr(text::MOBILE)}</th>
                <th scope="col">{tr(text::ACTIONS)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|extension| {
                    let testid = format!("extension-{}", extension.number);
                    let mobile = extension.mobile_number.clone();
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::NUMBER)><strong>{extension.number.clone()}</strong></td>
                            <td data-label=move || i18n.t(text::SIP_USER)>{extension.sip_user.clone()}</td>
                            <td data-label=move || i18n.t(text::WEB_USER)>{extension.web_user.clone()}</td>
                            <td data-label=move || i18n.t(text::MOBILE) data-testid="mobile">
                                {match mobile {
                                    Some(number) => number.into_any(),
                                    None => view! { <span class="muted">{tr(text::NO_MOBILE)}</span> }.into_any(),
                                }}
                            </td>
                            <td class="actions" data-label=move || i18n.t(text::ACTIONS)>
                                <RowActions extension pool held=held.get_value() changed />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Assign or release the number, transfer, delete (force when in groups).
#[component]
fn RowActions<F>(
    extension: Extension,
    pool: Signal<Vec<String>>,
    held: Vec<(String, String)>,
    changed: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let id: ExtensionId = extension.id;
    let number = extension.number.clone();
    let error = RwSignal::new(None::<String>);
    let choice = RwSignal::new(String::new());
    let transferring = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let in_groups = RwSignal::new(false);
    let fail = move |failure: ApiError| error.set(Some(failure.explanation()));
    let assign = move |_| {
        let lang = i18n.lang_untracked();
        let chosen = choice.get_untracked();
        if chosen.is_empty() {
            error.set(Some(text::CHOOSE_NUMBER.get(lang).to_owned()));
            return;
        }
        spawn_local(async move {
            match api::pbx::assign(auth, lang, id, &chosen).await {
                Ok(_) => changed(),
                Err(failure) => fail(failure),
            }
        });
    };
    let release = move |_| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::pbx::release(auth, lang, id).await {
                Ok(_) => changed(),
                Err(failure) => fail(failure),
            }
        });
    };
    let remove = move |force: bool| {
        let number = number.clone();
        Callback::new(move |()| {
            let lang = i18n.lang_untracked();
            let number = number.clone();
            spawn_local(async move {
                match api::pbx::delete(auth, lang, id, force).await {
                    Ok(()) => {
                        toasts.success(text::deleted(lang, &number));
                        changed();
                    }
                    Err(failure) => {
                        in_groups.set(failure.code() == Some("in_groups"));
                        fail(failure);
                    }
                }
            });
        })
    };
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::CHOOSE_NUMBER.get(lang).to_owned()))
            .chain(pool.get().into_iter().map(|number| (number.clone(), number)))
            .collect::<Vec<_>>()
    });
    let choose_id = format!("assign-{id}");
    let has_mobile = extension.mobile_number.is_some();
    let label_number = extension.number.clone();
    let (delete_number, force_number) = (extension.number.clone(), extension.number.clone());
    let (remove_plain, remove_forced) = (remove(false), remove(true));
    let (edited, moved) = (extension.clone(), extension);
    view! {
        <div class="row-actions">
            {if has_mobile {
                view! { <button type="button" class="button" data-testid="release" on:click=release>{tr(text::RELEASE)}</button> }.into_any()
            } else {
                view! {
                    <span class="inline-edit">
                        <label class="sr-only" for=choose_id.clone()>{move || text::row_label(i18n.lang(), &label_number, text::MOBILE)}</label>
                        <select id=choose_id data-testid="assign-choice" on:change=move |event| choice.set(event_target_value(&event))>
                            {move || options.get().into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                        </select>
                        <button type="button" class="button" data-testid="assign" on:click=assign>{tr(text::ASSIGN)}</button>
                    </span>
                }.into_any()
            }}
            <button type="button" class="button" data-testid="edit-extension" aria-expanded=move || editing.get().to_string()
                on:click=move |_| editing.update(|open| *open = !*open)>{tr(text::EDIT)}</button>
            <button type="button" class="button" data-testid="transfer" aria-expanded=move || transferring.get().to_string()
                on:click=move |_| transferring.update(|open| *open = !*open)>{tr(text::TRANSFER)}</button>
            <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE).to_owned()) title=text::DELETE_TITLE
                message=Signal::derive(move || text::delete_message(i18n.lang(), &delete_number)) confirm=text::DELETE
                on_confirm=remove_plain testid="delete-extension" />
            <Show when=move || in_groups.get()>
                <ConfirmButton label=Signal::derive(move || i18n.t(text::FORCE_DELETE).to_owned()) title=text::FORCE_TITLE
                    message=Signal::derive({let number = force_number.clone(); move || text::delete_message(i18n.lang(), &number)}) confirm=text::FORCE_DELETE
                    on_confirm=remove_forced testid="force-delete" />
            </Show>
            <span class="field-error" aria-live="polite" data-testid="row-error">{move || error.get()}</span>
            <Show when=move || editing.get()>
                <EditProfile extension=edited.clone() done=move || { editing.set(false); changed(); } />
            </Show>
            <Show when=move || transferring.get()>
                <Transfer extension=moved.clone() pool held=held.clone() done=move || { transferring.set(false); changed(); } />
            </Show>
        </div>
    }
}

/// 譲渡: the extension moves to a number of the pool, or one another extension has.
#[component]
fn Transfer<F>(
    extension: Extension,
    pool: Signal<Vec<String>>,
    held: Vec<(String, String)>,
    done: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let target = RwSignal::new(String::new());
    let forwarding = RwSignal::new(ForwardingChoice::Keep.to_string());
    let delete_previous = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let own = extension.mobile_number.clone();
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        let mut options = vec![(String::new(), text::CHOOSE_NUMBER.get(lang).to_owned())];
        options.extend(pool.get().into_iter().map(|number| (number.clone(), number)));
        options.extend(
            held.iter()
                .filter(|(number, _)| Some(number) != own.as_ref())
                .map(|(number, holder)| (number.clone(), text::held_by(lang, number, holder))),
        );
        options
    });
    let (id, number) = (extension.id, extension.number.clone());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let mobile_number = target.get_untracked();
        if !errors.check(
            "mobile_number",
            if mobile_number.is_empty() {
                Err(madoguchi_types::validation::Invalid::Required)
            } else {
                Ok(())
            },
        ) {
            focus_first_error();
            return;
        }
        let request = TransferRequest {
            mobile_number: mobile_number.clone(),
            forwarding: forwarding
                .get_untracked()
                .parse()
                .unwrap_or(ForwardingChoice::Keep),
            delete_previous: delete_previous.get_untracked(),
        };
        let number = number.clone();
        busy.set(true);
        spawn_local(async move {
            match api::pbx::transfer(auth, lang, id, &request).await {
                Ok(_) => {
                    toasts.success(text::transferred(lang, &number, &mobile_number));
                    done();
                }
                Err(failure) => errors.server_said(failure),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form inline-panel" on:submit=submit data-testid="transfer-form" aria-label=move || i18n.t(text::TRANSFER_TITLE)>
            <p class="muted small">{tr(text::TRANSFER_HINT)}</p>
            <SelectField scope="transfer" label=text::TARGET name="mobile_number" value=target options errors required=true />
            <SelectField scope="transfer" label=text::FORWARDING name="forwarding" value=forwarding errors
                options=choices(&[("keep", text::FORWARDING_KEEP), ("clear", text::FORWARDING_CLEAR)]) />
            <CheckField scope="transfer" label=text::DELETE_PREVIOUS name="delete_previous" checked=delete_previous errors />
            <FormError errors />
            <SubmitButton label=text::TRANSFER busy=busy.into() primary=true />
        </form>
    }
}

/// プロフィール変更: SIP and web user names; a password only when one is typed.
#[component]
fn EditProfile<F>(extension: Extension, done: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let sip_user = RwSignal::new(extension.sip_user.clone());
    let sip_password = RwSignal::new(String::new());
    let web_user = RwSignal::new(extension.web_user.clone());
    let web_password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let (id, number) = (extension.id, extension.number.clone());
    let (old_sip_user, old_web_user) = (extension.sip_user.clone(), extension.web_user.clone());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let changed_to = |value: String, old: &str| {
            let value = value.trim().to_owned();
            (value != old).then_some(value)
        };
        let typed = |value: String| (!value.trim().is_empty()).then(|| value.trim().to_owned());
        let update = ExtensionUpdate {
            sip_user: changed_to(sip_user.get_untracked(), &old_sip_user),
            sip_password: typed(sip_password.get_untracked()),
            web_user: changed_to(web_user.get_untracked(), &old_web_user),
            web_password: typed(web_password.get_untracked()),
        };
        if let Some(user) = &update.sip_user {
            errors.check("sip_user", sip_user_shape(user));
        }
        if let Some(password) = &update.sip_password {
            errors.check("sip_password", sip_password_shape(password));
        }
        if let Some(user) = &update.web_user {
            errors.check("web_user", web_user_shape(user));
        }
        if let Some(password) = &update.web_password {
            errors.check(
                "web_password",
                web_password_shape(password, &web_user.get_untracked()),
            );
        }
        if errors.blocked() {
            focus_first_error();
            return;
        }
        let number = number.clone();
        busy.set(true);
        spawn_local(async move {
            match api::pbx::change(auth, lang, id, &update).await {
                Ok(_) => {
                    toasts.success(text::saved(lang, &number));
                    done();
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
        <form class="form inline-panel" on:submit=submit novalidate data-testid="profile-form" aria-label=move || i18n.t(text::EDIT)>
            <Field scope="profile" label=text::SIP_USER name="sip_user" value=sip_user errors required=true />
            <Field scope="profile" label=text::SIP_PASSWORD name="sip_password" value=sip_password errors kind="password" hint=text::KEEP_PASSWORD_HINT />
            <Field scope="profile" label=text::WEB_USER name="web_user" value=web_user errors required=true />
            <Field scope="profile" label=text::WEB_PASSWORD name="web_password" value=web_password errors kind="password" hint=text::KEEP_PASSWORD_HINT />
            <FormError errors />
            <SubmitButton label=text::SAVE busy=busy.into() primary=true />
        </form>
    }
}

/// 拠点の設定 (staff): an organization's site with its numbers.
#[component]
fn NewSite<F>(created: F) -> impl IntoView
where
    F: Fn(SiteId) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let organization = RwSignal::new(String::new());
    let (name, domain, number) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (gateways, park_hold) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let Ok(organization_id) = organization.get_untracked().parse::<i64>() else {
            errors.check(
                "organization_id",
                Err(madoguchi_types::validation::Invalid::Required),
            );
            focus_first_error();
            return;
        };
        let request = SiteRequest {
            organization_id: madoguchi_types::ids::OrganizationId(organization_id),
            name: name.get_untracked().trim().to_owned(),
            domain_name: domain.get_untracked().trim().to_ascii_lowercase(),
            site_number: number.get_untracked().trim().to_owned(),
            gateway_ids: gateways
                .get_untracked()
                .split([',', '、'])
                .map(|id| id.trim().to_owned())
                .filter(|id| !id.is_empty())
                .collect(),
            park_hold_code: park_hold.get_untracked().trim().to_owned(),
        };
        errors.check("domain_name", domain_name_shape(&request.domain_name));
        errors.check("site_number", site_number_shape(&request.site_number));
        errors.check("park_hold_code", park_hold_code_shape(&request.park_hold_code));
        if errors.blocked() {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::pbx::create_site(auth, lang, &request).await {
                Ok(site) => {
                    toasts.success(text::site_created(lang, &site.name));
                    for field in [name, domain, number, gateways, park_hold] {
                        field.set(String::new());
                    }
                    created(site.id);
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
        <details class="card wide" data-testid="new-site">
            <summary><h2 class="inline-heading">{tr(text::SITE_NEW_TITLE)}</h2></summary>
            <form class="form" on:submit=submit novalidate>
                <OrganizationPicker selected=organization errors />
                <Field scope="site" label=text::SITE_NAME name="name" value=name errors required=true />
                <Field scope="site" label=text::DOMAIN name="domain_name" value=domain errors required=true />
                <Field scope="site" label=text::SITE_NUMBER name="site_number" value=number errors required=true inputmode="numeric" />
                <Field scope="site" label=text::GATEWAYS name="gateway_ids" value=gateways errors hint=text::GATEWAYS_HINT />
                <Field scope="site" label=text::PARK_HOLD name="park_hold_code" value=park_hold errors required=true />
                <FormError errors />
                <SubmitButton label=text::SITE_CREATE busy=busy.into() primary=true />
            </form>
        </details>
    }
}

/// 内線プロフィールの登録 with a number of the pool.
#[component]
fn NewExtension<F>(site: SiteId, version: RwSignal<u32>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (number, sip_user, sip_password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (web_user, web_password, mobile) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let pool = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::pbx::pool(auth, lang, site).await }
    });
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::NO_MOBILE.get(lang).to_owned()))
            .chain(
                pool.get()
                    .and_then(Result::ok)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|line| {
                        (
                            line.mobile_number.clone(),
                            format!("{}（{}）", line.mobile_number, line.user_name),
                        )
                    }),
            )
            .collect::<Vec<_>>()
    });
    let optional = |value: String| (!value.trim().is_empty()).then(|| value.trim().to_owned());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let request = ExtensionRequest {
            number: number.get_untracked().trim().to_owned(),
            sip_user: optional(sip_user.get_untracked()),
            sip_password: optional(sip_password.get_untracked()),
            web_user: web_user.get_untracked().trim().to_owned(),
            web_password: web_password.get_untracked().trim().to_owned(),
            mobile_number: optional(mobile.get_untracked()),
        };
        errors.check("number", extension_number_shape(&request.number));
        if let Some(user) = &request.sip_user {
            errors.check("sip_user", sip_user_shape(user));
        }
        if let Some(password) = &request.sip_password {
            errors.check("sip_password", sip_password_shape(password));
        }
        errors.check("web_user", web_user_shape(&request.web_user));
        errors.check(
            "web_password",
            web_password_shape(&request.web_password, &request.web_user),
        );
        if errors.blocked() {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::pbx::create(auth, lang, site, &request).await {
                Ok(created) => {
                    toasts.success(text::created(lang, &created.number));
                    for field in [number, sip_user, sip_password, web_user, web_password, mobile] {
                        field.set(String::new());
                    }
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
        <div class="card" data-testid="new-extension">
            <h2>{tr(text::NEW_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <Field scope="new" label=text::NUMBER name="number" value=number errors required=true inputmode="numeric" />
                <Field scope="new" label=text::SIP_USER name="sip_user" value=sip_user errors hint=text::SIP_DEFAULT_HINT />
                <Field scope="new" label=text::SIP_PASSWORD name="sip_password" value=sip_password errors kind="password" hint=text::SIP_DEFAULT_HINT />
                <Field scope="new" label=text::WEB_USER name="web_user" value=web_user errors required=true />
                <Field scope="new" label=text::WEB_PASSWORD name="web_password" value=web_password errors required=true kind="password" hint=text::WEB_PASSWORD_HINT />
                <SelectField scope="new" label=text::MOBILE name="mobile_number" value=mobile options errors />
                <FormError errors />
                <SubmitButton label=text::CREATE busy=busy.into() primary=true />
            </form>
        </div>
    }
}

/// 交換: two extensions of the site exchange their numbers.
#[component]
fn Swap<F>(site: SiteId, version: RwSignal<u32>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (first, second) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let forwarding = RwSignal::new(ForwardingChoice::Keep.to_string());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let all = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::pbx::extensions(auth, lang, site, "", 1, 500).await }
    });
    let options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::CHOOSE_EXTENSION.get(lang).to_owned()))
            .chain(
                all.get()
                    .and_then(Result::ok)
                    .map(|page| page.items)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|extension| {
                        let mobile = extension
                            .mobile_number
                            .unwrap_or_else(|| text::NO_MOBILE.get(lang).to_owned());
                        (
                            extension.id.to_string(),
                            format!("{}（{mobile}）", extension.number),
                        )
                    }),
            )
            .collect::<Vec<_>>()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let parse = |value: String| value.parse::<i64>().ok().map(ExtensionId);
        let required = |value: &Option<ExtensionId>| {
            value
                .map(|_| ())
                .ok_or(madoguchi_types::validation::Invalid::Required)
        };
        let (a, b) = (parse(first.get_untracked()), parse(second.get_untracked()));
        errors.check("first", required(&a));
        errors.check("second", required(&b));
        let (Some(a), Some(b)) = (a, b) else {
            focus_first_error();
            return;
        };
        let request = SwapRequest {
            first: a,
            second: b,
            forwarding: forwarding
                .get_untracked()
                .parse()
                .unwrap_or(ForwardingChoice::Keep),
        };
        busy.set(true);
        spawn_local(async move {
            match api::pbx::swap(auth, lang, site, &request).await {
                Ok(outcome) => {
                    toasts.success(text::swapped(lang, &outcome.first.number, &outcome.second.number));
                    first.set(String::new());
                    second.set(String::new());
                    changed();
                }
                Err(failure) => errors.server_said(failure),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card" data-testid="swap">
            <h2>{tr(text::SWAP_TITLE)}</h2>
            <p class="muted small">{tr(text::SWAP_HINT)}</p>
            <form class="form" on:submit=submit novalidate>
                <SelectField scope="swap" label=text::FIRST name="first" value=first options errors required=true />
                <SelectField scope="swap" label=text::SECOND name="second" value=second options errors required=true />
                <SelectField scope="swap" label=text::FORWARDING name="forwarding" value=forwarding errors
                    options=choices(&[("keep", text::FORWARDING_KEEP), ("clear", text::FORWARDING_CLEAR)]) />
                <FormError errors />
                <SubmitButton label=text::SWAP busy=busy.into() primary=true />
            </form>
        </div>
    }
}

/// Where a CSV run is.
#[derive(Debug, Clone, PartialEq)]
enum Run {
    Idle,
    Sending(f64),
    /// A job: rows, validated, applied.
    Working(i64, i64, i64),
    Done(ImportReport),
    Refused(Option<madoguchi_types::extensions::CsvEncoding>, Vec<CsvRowError>),
    Failed(ApiError),
}

/// 一括登録 / 一括削除 by CSV file, and the export.
#[component]
fn CsvFiles<F>(site: SiteId, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let action = RwSignal::new(CsvAction::Register.to_string());
    let force = RwSignal::new(false);
    let file = RwSignal::new_local(None::<web_sys::File>);
    let over = RwSignal::new(false);
    let run = RwSignal::new(Run::Idle);
    let errors = FieldErrors::new();
    let is_delete = move || action.get() == CsvAction::Delete.as_str();
    let take = move |list: Option<web_sys::FileList>| {
        if let Some(chosen) = list.and_then(|list| list.get(0)) {
            file.set(Some(chosen));
            run.set(Run::Idle);
        }
    };
    let busy = Signal::derive(move || matches!(run.get(), Run::Sending(_) | Run::Working(..)));
    let start = move |dry_run: bool| {
        let lang = i18n.lang_untracked();
        errors.clear();
        let Some(chosen) = file.get_untracked() else {
            errors.check("file", Err(madoguchi_types::validation::Invalid::Required));
            focus_by_id("field-csv-file");
            return;
        };
        let action: CsvAction = action.get_untracked().parse().unwrap_or(CsvAction::Register);
        let force = force.get_untracked() && action == CsvAction::Delete;
        run.set(Run::Sending(0.0));
        spawn_local(async move {
            let answer = api::pbx::send_csv(
                auth,
                lang,
                site,
                (action, dry_run, force),
                &chosen,
                move |share| {
                    run.set(Run::Sending(share));
                },
            )
            .await;
            let outcome = match answer {
                Ok(CsvAnswer::Report(report)) => Run::Done(report),
                Ok(CsvAnswer::Job(job)) => follow(auth, lang, *job, run).await,
                Err(failure) => refused_or_failed(failure),
            };
            if let Run::Done(report) = &outcome
                && !report.dry_run
            {
                changed();
            }
            let refused = matches!(outcome, Run::Refused(..));
            run.set(outcome);
            if refused {
                focus_by_id("csv-errors");
            } else {
                focus_by_id("csv-result");
            }
        });
    };
    let export = move |encoding: ExportEncoding| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::pbx::export_url(auth, lang, site, encoding).await {
                Ok(url) => super::documents::save_as(&url, &format!("extensions-{site}.csv")),
                Err(failure) => run.set(Run::Failed(failure)),
            }
        });
    };
    view! {
        <div class="card wide" data-testid="csv">
            <h2>{tr(text::CSV_TITLE)}</h2>
            <p class="muted small">{tr(text::CSV_HINT)}</p>
            <form class="form" on:submit=move |event| { event.prevent_default(); start(false); } novalidate>
                <SelectField scope="csv" label=text::CSV_ACTION name="action" value=action errors
                    options=choices(&[("register", text::CSV_REGISTER), ("delete", text::CSV_DELETE)]) />
                <Show when=is_delete>
                    <CheckField scope="csv" label=text::CSV_FORCE name="force" checked=force errors />
                </Show>
                <div class="dropzone" class:over=move || over.get() data-testid="csv-dropzone"
                    on:dragover=move |event: leptos::ev::DragEvent| { event.prevent_default(); over.set(true); }
                    on:dragleave=move |_| over.set(false)
                    on:drop=move |event: leptos::ev::DragEvent| {
                        event.prevent_default();
                        over.set(false);
                        take(event.data_transfer().and_then(|transfer| transfer.files()));
                    }>
                    <label class="field-label" for="field-csv-file">{tr(text::CSV_FILE)}</label>
                    <p class="muted small">{tr(text::CSV_DROP)}</p>
                    <input id="field-csv-file" type="file" accept=".csv,text/csv" data-testid="csv-file-input"
                        aria-invalid=move || errors.message("file").is_some().then_some("true")
                        aria-describedby="error-csv-file"
                        on:change=move |event| {
                            let input: web_sys::HtmlInputElement = event_target(&event);
                            take(input.files());
                            // The same file, fixed, can be chosen again.
                            input.set_value("");
                        } />
                    <span class="field-error" id="error-csv-file">{move || errors.message("file").map(|_| i18n.t(text::CSV_NO_FILE))}</span>
                    <p class="small" data-testid="csv-chosen" aria-live="polite">
                        {move || file.get().map(|chosen| text::chosen(i18n.lang(), &chosen.name(), chosen.size()))}
                    </p>
                </div>
                <p class="actions">
                    <button type="button" class="button" data-testid="csv-check" disabled=busy on:click=move |_| start(true)>{tr(text::CSV_CHECK)}</button>
                    <button type="submit" class="button button-primary" data-testid="csv-apply" disabled=busy>{tr(text::CSV_APPLY)}</button>
                </p>
            </form>
            <CsvRun run />
            <h3>{tr(text::EXPORT_TITLE)}</h3>
            <p class="muted small">{tr(text::EXPORT_HINT)}</p>
            <p class="actions">
                <button type="button" class="button" data-testid="export-sjis" on:click=move |_| export(ExportEncoding::ShiftJis)>{tr(text::EXPORT_SJIS)}</button>
                <button type="button" class="button" data-testid="export-utf8" on:click=move |_| export(ExportEncoding::Utf8)>{tr(text::EXPORT_UTF8)}</button>
            </p>
        </div>
    }
}

/// A refusal with bad rows, or another failure.
fn refused_or_failed(failure: ApiError) -> Run {
    match failure {
        ApiError::Problem(problem) if problem.code == "csv_refused" => {
            Run::Refused(problem.encoding, problem.rows)
        }
        other => Run::Failed(other),
    }
}

/// Follows a job to its end, showing its progress (rows checked, then applied).
async fn follow(
    auth: crate::auth::Auth,
    lang: crate::i18n::Lang,
    mut job: madoguchi_types::jobs::Job,
    run: RwSignal<Run>,
) -> Run {
    loop {
        let total = job.progress.total.unwrap_or(0);
        let rows = total / 2;
        let done = job.progress.done;
        run.set(Run::Working(rows, done.min(rows), (done - rows).max(0)));
        match job.state {
            JobState::Done => {
                return job
                    .result
                    .and_then(|result| serde_json::from_value::<ImportReport>(result).ok())
                    .map_or(Run::Failed(ApiError::Unexpected { status: 200 }), Run::Done);
            }
            JobState::Failed => {
                return match job.problem {
                    Some(problem) if problem.code == "csv_refused" => {
                        Run::Refused(problem.encoding, problem.rows)
                    }
                    Some(problem) => Run::Failed(ApiError::Problem(Box::new(problem))),
                    None => Run::Failed(ApiError::Unexpected { status: 200 }),
                };
            }
            JobState::Queued | JobState::Running => {}
        }
        crate::auth::sleep_ms(400).await;
        job = match api::job(auth, lang, job.id).await {
            Ok(job) => job,
            Err(failure) => return Run::Failed(failure),
        };
    }
}

#[component]
fn CsvRun(run: RwSignal<Run>) -> impl IntoView {
    let i18n = use_i18n();
    move || match run.get() {
        Run::Idle => ().into_any(),
        Run::Sending(share) => {
            let percent = (share * 100.0).clamp(0.0, 100.0).round();
            view! {
                <div class="progress" data-testid="csv-progress">
                    <progress max="100" value=percent aria-label=move || i18n.t(text::CSV_SENDING)></progress>
                    <span class="small">{move || format!("{} {percent}%", i18n.t(text::CSV_SENDING))}</span>
                </div>
            }
            .into_any()
        }
        Run::Working(rows, validated, applied) => {
            let total = (rows * 2).max(1);
            view! {
                <div class="progress" data-testid="csv-progress">
                    <progress max=total value={validated + applied}
                        aria-label=move || i18n.t(if validated < rows { text::CSV_CHECKING } else { text::CSV_APPLYING })></progress>
                    <span class="small">{move || text::progress(i18n.lang(), rows, validated, applied)}</span>
                </div>
            }
            .into_any()
        }
        Run::Done(report) => {
            let delete = report.action == CsvAction::Delete;
            let (dry_run, rows, applied, encoding) =
                (report.dry_run, report.rows, report.applied, report.encoding);
            view! {
                <div class="alert alert-success" id="csv-result" tabindex="-1" data-testid="csv-result" role="status">
                    <p>{move || if dry_run { text::checked(i18n.lang(), rows) } else { text::applied(i18n.lang(), delete, applied) }}</p>
                    <p class="small" data-testid="csv-encoding">{move || text::encoding(i18n.lang(), encoding)}</p>
                </div>
            }
            .into_any()
        }
        Run::Refused(encoding, rows) => {
            let count = rows.len();
            view! {
                <div class="alert alert-error" id="csv-errors" tabindex="-1" data-testid="csv-errors" role="alert">
                    <p>{move || text::errors_found(i18n.lang(), count)}</p>
                    {encoding.map(|encoding| view! { <p class="small" data-testid="csv-encoding">{move || text::encoding(i18n.lang(), encoding)}</p> })}
                </div>
                <div class="grid-scroll">
                    <table class="table responsive" data-testid="csv-error-rows">
                        <caption class="sr-only">{tr(text::ERRORS_TITLE)}</caption>
                        <thead><tr>
                            <th scope="col">{tr(text::LINE)}</th>
                            <th scope="col">{tr(text::COLUMN)}</th>
                            <th scope="col">{tr(text::VALUE)}</th>
                            <th scope="col">{tr(text::REASON)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr data-testid=format!("csv-error-{}", row.line)>
                                    <td data-label=move || i18n.t(text::LINE)>{row.line}</td>
                                    <td data-label=move || i18n.t(text::COLUMN)>{row.column.clone().unwrap_or_else(|| "—".into())}</td>
                                    <td data-label=move || i18n.t(text::VALUE)><code>{row.value.clone().unwrap_or_default()}</code></td>
                                    <td data-label=move || i18n.t(text::REASON)>{row.message.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
        Run::Failed(error) => view! { <ErrorPanel error /> }.into_any(),
    }
}
