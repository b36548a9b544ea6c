//! 製品サポート情報 (seed 004 §④): the product list — makers, then the chosen maker's
//! series — and each series' page with its four sections as tabs (ダウンロード,
//! ドキュメント, 標準出荷バージョン, サポート終了情報). Staff add makers, series and
//! entries here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use madoguchi_types::ids::{MakerId, SeriesId};
use madoguchi_types::policy::Permission;
use madoguchi_types::products::{Catalog, EntryKind, MakerRequest, ProductEntry, Series, SeriesRequest};
use madoguchi_types::validation::{Invalid, rules};

use super::documents::{save_as, size};
use crate::api;
use crate::auth::use_auth;
use crate::components::{
    ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, PageHeading,
    RequireSignIn, SelectField, SubmitButton, TextAreaField, entry_kind_label, use_toasts,
};
use crate::i18n::{catalogue::products as text, tr, use_i18n};

#[component]
pub fn ProductsPage() -> impl IntoView {
    view! { <RequireSignIn><ProductList /></RequireSignIn> }
}

#[component]
pub fn SeriesPage() -> impl IntoView {
    view! { <RequireSignIn><SeriesView /></RequireSignIn> }
}

#[component]
fn ProductList() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let version = RwSignal::new(0_u32);
    let catalog = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::products::catalog(auth, lang).await }
    });
    let chosen = RwSignal::new(None::<MakerId>);
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <p class="muted">{tr(text::LIST_INTRO)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(catalog) if catalog.makers.is_empty() => view! { <EmptyState text=text::NONE /> }.into_any(),
                        Ok(catalog) => view! { <MakersAndSeries catalog chosen /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            {auth.can(Permission::ProviderOperations).then(|| view! {
                <CatalogForms catalog changed=move || version.update(|v| *v += 1) />
            })}
        </section>
    }
}

/// Makers as a list of buttons; the chosen one's series as cards.
#[component]
fn MakersAndSeries(catalog: Catalog, chosen: RwSignal<Option<MakerId>>) -> impl IntoView {
    let i18n = use_i18n();
    let first = catalog.makers.first().map(|maker| maker.id);
    let current = move || chosen.get().or(first);
    let makers = StoredValue::new(catalog.makers);
    view! {
        <div class="catalog">
            <div class="makers" role="group" aria-label=move || i18n.t(text::MAKERS) data-testid="makers">
                <h2>{tr(text::MAKERS)}</h2>
                <ul>
                    {makers.get_value().into_iter().map(|maker| {
                        let id = maker.id;
                        view! {
                            <li><button type="button" class="maker" aria-pressed=move || (current() == Some(id)).to_string()
                                on:click=move |_| chosen.set(Some(id))>{maker.name}</button></li>
                        }
                    }).collect_view()}
                </ul>
            </div>
            <div class="series-list" data-testid="series-list" aria-live="polite">
                <h2>{tr(text::SERIES)}</h2>
                {move || {
                    let maker = makers.with_value(|makers| makers.iter().find(|maker| Some(maker.id) == current()).cloned());
                    match maker {
                        Some(maker) if !maker.series.is_empty() => view! {
                            <ul class="cards">
                                {maker.series.into_iter().map(|series| view! {
                                    <li class="card">
                                        <h3><A href=format!("/products/series/{}", series.id)>{series.name}</A></h3>
                                        <p class="muted">{series.description}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Some(_) => view! { <EmptyState text=text::NO_ENTRIES /> }.into_any(),
                        None => view! { <p>{tr(text::CHOOSE_MAKER)}</p> }.into_any(),
                    }
                }}
            </div>
        </div>
    }
}

/// `EX, SRX345` → `["EX", "SRX345"]`.
fn prefixes(text: &str) -> Vec<String> {
    text.split([',', '、', '\n'])
        .map(str::trim)
        .filter(|prefix| !prefix.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Staff: add a maker, add a series to one.
#[component]
fn CatalogForms<F>(catalog: LocalResource<Result<Catalog, api::ApiError>>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let maker_name = RwSignal::new(String::new());
    let maker_errors = FieldErrors::new();
    let maker_busy = RwSignal::new(false);
    let add_maker = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        maker_errors.clear();
        if !maker_errors.check("name", rules::required(&maker_name.get_untracked())) {
            return;
        }
        let request = MakerRequest {
            name: maker_name.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        maker_busy.set(true);
        spawn_local(async move {
            match api::products::create_maker(auth, lang, &request).await {
                Ok(maker) => {
                    toasts.success(text::added(lang, &maker.name));
                    maker_name.set(String::new());
                    changed();
                }
                Err(error) => maker_errors.server_said(error),
            }
            maker_busy.set(false);
        });
    };
    let (maker, name, description, models) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let makers = Signal::derive(move || {
        catalog
            .get()
            .and_then(Result::ok)
            .map(|catalog| {
                catalog
                    .makers
                    .into_iter()
                    .map(|maker| (maker.id.to_string(), maker.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    // The first maker until one is chosen.
    Effect::new(move |_| {
        if maker.get_untracked().is_empty()
            && let Some((id, _)) = makers.get().first()
        {
            maker.set(id.clone());
        }
    });
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let add_series = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("name", rules::required(&name.get_untracked()));
        let listed = prefixes(&models.get_untracked());
        errors.check(
            "model_prefixes",
            if listed.is_empty() {
                Err(Invalid::Required)
            } else {
                Ok(())
            },
        );
        let maker_id = maker.get_untracked().parse::<i64>().ok().map(MakerId);
        errors.check("maker_id", maker_id.map(|_| ()).ok_or(Invalid::Required));
        let Some(maker_id) = maker_id else { return };
        if errors.blocked() {
            return;
        }
        let request = SeriesRequest {
            maker_id,
            name: name.get_untracked(),
            description: description.get_untracked(),
            model_prefixes: listed,
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::products::create_series(auth, lang, &request).await {
                Ok(series) => {
                    toasts.success(text::added(lang, &series.name));
                    name.set(String::new());
                    description.set(String::new());
                    models.set(String::new());
                    changed();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="form-grid staff-forms">
            <div class="card" data-testid="add-maker">
                <h2>{tr(text::ADD_MAKER)}</h2>
                <form class="form" on:submit=add_maker novalidate>
                    <Field scope="maker" label=text::MAKER_NAME name="name" value=maker_name errors=maker_errors required=true />
                    <FormError errors=maker_errors />
                    <SubmitButton label=text::ADD busy=maker_busy.into() />
                </form>
            </div>
            <div class="card" data-testid="add-series">
                <h2>{tr(text::ADD_SERIES)}</h2>
                <form class="form" on:submit=add_series novalidate>
                    <SelectField scope="series" label=text::MAKERS name="maker_id" value=maker options=makers errors required=true />
                    <Field scope="series" label=text::SERIES_NAME name="name" value=name errors required=true />
                    <TextAreaField label=text::DESCRIPTION name="description" value=description errors rows=2 />
                    <TextAreaField label=text::MODEL_PREFIXES name="model_prefixes" value=models errors rows=2 required=true hint=text::MODEL_PREFIXES_HINT />
                    <FormError errors />
                    <SubmitButton label=text::ADD busy=busy.into() primary=true />
                </form>
            </div>
        </div>
    }
}

#[component]
fn SeriesView() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0_u32);
    // Outside the detail: a reload after a change keeps the open section.
    let tab = RwSignal::new(EntryKind::Download);
    let series = LocalResource::new(move || {
        version.track();
        let (id, lang) = (id(), i18n.lang());
        async move {
            match id {
                Some(id) => api::products::series(auth, lang, SeriesId(id)).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <Transition fallback=|| view! { <LoadingRows rows=6 /> }>
                {move || Suspend::new(async move {
                    match series.await {
                        Ok(Some(series)) => view! { <SeriesDetail series tab changed=move || version.update(|v| *v += 1) /> }.into_any(),
                        Ok(None) => view! { <EmptyState text=text::NOT_FOUND /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

const SECTIONS: [EntryKind; 4] = [
    EntryKind::Download,
    EntryKind::Document,
    EntryKind::ShippingVersion,
    EntryKind::EndOfSupport,
];

#[component]
fn SeriesDetail<F>(series: Series, tab: RwSignal<EntryKind>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let entries = StoredValue::new(series.entries.clone());
    let series_id = series.id;
    // Arrow keys move between tabs (WAI-ARIA tabs pattern).
    let key = move |event: leptos::ev::KeyboardEvent| {
        let index = SECTIONS
            .iter()
            .position(|kind| *kind == tab.get_untracked())
            .unwrap_or(0);
        let next = match event.key().as_str() {
            "ArrowRight" => (index + 1) % SECTIONS.len(),
            "ArrowLeft" => (index + SECTIONS.len() - 1) % SECTIONS.len(),
            _ => return,
        };
        event.prevent_default();
        tab.set(SECTIONS[next]);
        if let Ok(Some(button)) = document().query_selector(&format!("#tab-{}", SECTIONS[next]))
            && let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button)
        {
            let _ = button.focus();
        }
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(text::BREADCRUMB)>
            <A href="/products">{tr(text::TOP)}</A>" › "<span>{series.maker_name.clone()}</span>" › "
            <span aria-current="page">{series.name.clone()}</span>
        </nav>
        <h2 class="series-name" data-testid="series-name">{series.name.clone()}</h2>
        <p class="muted">{series.description.clone()}</p>
        <p><A href=format!("/knowledge?series={series_id}")>{tr(text::KNOWLEDGE_LINK)}</A></p>
        <div class="tabs" role="tablist" aria-label=move || i18n.t(text::SECTIONS) on:keydown=key>
            {SECTIONS.into_iter().map(|kind| {
                let count = entries.with_value(|entries| entries.iter().filter(|entry| entry.kind == kind).count());
                view! {
                    <button type="button" role="tab" id=format!("tab-{kind}") class="tab"
                        aria-selected=move || (tab.get() == kind).to_string()
                        aria-controls=format!("panel-{kind}")
                        tabindex=move || if tab.get() == kind { "0" } else { "-1" }
                        data-testid=format!("tab-{kind}")
                        on:click=move |_| tab.set(kind)>
                        {tr(entry_kind_label(kind))}<span class="count">{format!(" ({count})")}</span>
                    </button>
                }
            }).collect_view()}
        </div>
        {SECTIONS.into_iter().map(|kind| {
            let list: Vec<ProductEntry> = entries.with_value(|entries| entries.iter().filter(|entry| entry.kind == kind).cloned().collect());
            view! {
                <div role="tabpanel" id=format!("panel-{kind}") aria-labelledby=format!("tab-{kind}") class="tab-panel"
                    hidden=move || tab.get() != kind data-testid=format!("panel-{kind}")>
                    {if list.is_empty() {
                        view! { <EmptyState text=text::NO_ENTRIES /> }.into_any()
                    } else {
                        view! { <EntryTable kind list changed /> }.into_any()
                    }}
                </div>
            }
        }).collect_view()}
        {auth.can(Permission::ProviderOperations).then(|| view! {
            <EntryForm series=series_id kind=tab added=changed />
            <SeriesEditor series=series.clone() changed />
        })}
    }
}

/// Staff: change a series' maker, name, description and model prefixes, or delete it.
#[component]
fn SeriesEditor<F>(series: Series, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let navigate = leptos_router::hooks::use_navigate();
    let id = series.id;
    let maker = RwSignal::new(series.maker_id.to_string());
    let name = RwSignal::new(series.name.clone());
    let description = RwSignal::new(series.description.clone());
    let models = RwSignal::new(series.model_prefixes.join(", "));
    let catalog = LocalResource::new(move || {
        let lang = i18n.lang();
        async move { api::products::catalog(auth, lang).await }
    });
    let makers = Signal::derive(move || {
        catalog
            .get()
            .and_then(Result::ok)
            .map(|catalog| {
                catalog
                    .makers
                    .into_iter()
                    .map(|maker| (maker.id.to_string(), maker.name))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("name", rules::required(&name.get_untracked()));
        let listed = prefixes(&models.get_untracked());
        errors.check(
            "model_prefixes",
            if listed.is_empty() {
                Err(Invalid::Required)
            } else {
                Ok(())
            },
        );
        let Some(maker_id) = maker.get_untracked().parse::<i64>().ok().map(MakerId) else {
            return;
        };
        if errors.blocked() {
            return;
        }
        let request = SeriesRequest {
            maker_id,
            name: name.get_untracked(),
            description: description.get_untracked(),
            model_prefixes: listed,
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::products::replace_series(auth, lang, id, &request).await {
                Ok(series) => {
                    toasts.success(text::saved(lang, &series.name));
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
            match api::products::delete_series(auth, lang, id).await {
                Ok(()) => navigate("/products", Default::default()),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    });
    view! {
        <div class="card wide" data-testid="edit-series">
            <h2>{tr(text::EDIT_SERIES)}</h2>
            <form class="form" on:submit=save novalidate>
                <SelectField scope="edit" label=text::MAKERS name="maker_id" value=maker options=makers errors required=true />
                <Field scope="edit" label=text::SERIES_NAME name="name" value=name errors required=true />
                <TextAreaField label=text::DESCRIPTION name="description" value=description errors rows=2 />
                <TextAreaField label=text::MODEL_PREFIXES name="model_prefixes" value=models errors rows=2 required=true hint=text::MODEL_PREFIXES_HINT />
                <FormError errors />
                <SubmitButton label=text::SAVE busy=busy.into() primary=true />
            </form>
            <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE_SERIES).to_owned()) title=text::DELETE_SERIES_TITLE
                message=Signal::derive(move || i18n.t(text::DELETE_SERIES_MESSAGE).to_owned()) confirm=text::DELETE_SERIES
                on_confirm=delete testid="delete-series" />
        </div>
    }
}

#[component]
fn EntryTable<F>(kind: EntryKind, list: Vec<ProductEntry>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let staff = auth.can(Permission::ProviderOperations);
    let dated = matches!(kind, EntryKind::EndOfSupport);
    let download = move |entry: ProductEntry| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::products::entry_file_url(auth, lang, entry.id).await {
                Ok(url) => save_as(&url, entry.file_name.as_deref().unwrap_or("download")),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    };
    view! {
        <table class="table responsive" data-testid=format!("entries-{kind}")>
            <thead><tr>
                <th>{tr(text::ENTRY_TITLE)}</th>
                {(!dated).then(|| view! { <th>{tr(text::VERSION)}</th> })}
                {dated.then(|| view! { <th>{tr(text::EOE)}</th><th>{tr(text::EOL)}</th> })}
                {(!dated).then(|| view! { <th>{tr(text::PUBLISHED_ON)}</th> })}
                <th>{tr(text::NOTE)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|entry| {
                    let id = entry.id;
                    let saved = entry.clone();
                    let delete = Callback::new(move |()| {
                        let lang = i18n.lang_untracked();
                        spawn_local(async move {
                            match api::products::delete_entry(auth, lang, id).await {
                                Ok(()) => changed(),
                                Err(error) => toasts.failure(error.to_string()),
                            }
                        });
                    });
                    let date = |date: Option<chrono::NaiveDate>| date.map(|date| date.to_string()).unwrap_or_default();
                    view! {
                        <tr data-testid=format!("entry-{id}")>
                            <td data-label=move || i18n.t(text::ENTRY_TITLE)><span>
                                {entry.title.clone()}
                                {entry.file_name.clone().map(|name| view! {
                                    <span class="muted small">{format!(" ({name}, {})", size(entry.size_bytes.unwrap_or(0)))}</span>
                                })}
                            </span></td>
                            {(!dated).then(|| view! { <td data-label=move || i18n.t(text::VERSION)>{entry.version.clone()}</td> })}
                            {dated.then(|| view! {
                                <td data-label=move || i18n.t(text::EOE)>{date(entry.eoe_on)}</td>
                                <td data-label=move || i18n.t(text::EOL)>{date(entry.eol_on)}</td>
                            })}
                            {(!dated).then(|| view! { <td data-label=move || i18n.t(text::PUBLISHED_ON)>{date(entry.published_on)}</td> })}
                            <td data-label=move || i18n.t(text::NOTE)>{entry.note.clone()}</td>
                            <td><div class="actions">
                                {entry.file_name.is_some().then(|| view! {
                                    <button type="button" class="button" data-testid="download" on:click=move |_| download(saved.clone())>{tr(text::DOWNLOAD)}</button>
                                })}
                                {entry.link_url.clone().map(|url| view! {
                                    <a class="button" href=url target="_blank" rel="noopener noreferrer external">{tr(text::OPEN_LINK)}</a>
                                })}
                                {staff.then(|| view! {
                                    <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE).to_owned()) title=text::DELETE_ENTRY_TITLE
                                        message=Signal::derive(move || i18n.t(text::DELETE_ENTRY_MESSAGE).to_owned()) confirm=text::DELETE
                                        on_confirm=delete testid="delete-entry" />
                                })}
                            </div></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Staff: add an entry to the open tab's section; downloads and documents take a file (with
/// a progress bar) or a link.
#[component]
fn EntryForm<F>(series: SeriesId, kind: RwSignal<EntryKind>, added: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (title, version, note, published_on, eoe_on, eol_on, link_url) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let errors = FieldErrors::new();
    let with_file = move || matches!(kind.get(), EntryKind::Download | EntryKind::Document);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("title", rules::required(&title.get_untracked()));
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let kind = kind.get_untracked();
        if kind == EntryKind::ShippingVersion {
            errors.check("version", rules::required(&version.get_untracked()));
        }
        if errors.blocked() {
            return;
        }
        let lang = i18n.lang_untracked();
        let values = [
            ("kind", kind.to_string()),
            ("title", title.get_untracked()),
            ("version", version.get_untracked()),
            ("note", note.get_untracked()),
            ("published_on", published_on.get_untracked()),
            ("eoe_on", eoe_on.get_untracked()),
            ("eol_on", eol_on.get_untracked()),
            // Only downloads and documents show (and take) a link.
            (
                "link_url",
                if matches!(kind, EntryKind::Download | EntryKind::Document) {
                    link_url.get_untracked()
                } else {
                    String::new()
                },
            ),
        ];
        let file = file.filter(|_| matches!(kind, EntryKind::Download | EntryKind::Document));
        progress.set(Some(0.0));
        spawn_local(async move {
            let fields: Vec<(&str, &str)> = values
                .iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect();
            let result = api::products::add_entry(auth, lang, series, &fields, file, move |share| {
                progress.set(Some(share))
            })
            .await;
            match result {
                Ok(entry) => {
                    toasts.success(text::added(lang, &entry.title));
                    for field in [title, version, note, published_on, eoe_on, eol_on, link_url] {
                        field.set(String::new());
                    }
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    added();
                }
                Err(error) => errors.server_said(error),
            }
            progress.set(None);
        });
    };
    let file_error = move || errors.message("file");
    view! {
        <div class="card wide" data-testid="add-entry">
            <h2>{tr(text::ADD_ENTRY)}" — "{move || i18n.t(entry_kind_label(kind.get()))}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="form-grid">
                    <Field scope="entry" label=text::ENTRY_TITLE name="title" value=title errors required=true />
                    <Field scope="entry" label=text::VERSION name="version" value=version errors />
                    <Show when=move || kind.get() != EntryKind::EndOfSupport>
                        <Field scope="entry" label=text::PUBLISHED_ON name="published_on" kind="date" value=published_on errors />
                    </Show>
                    <Show when=move || kind.get() == EntryKind::EndOfSupport>
                        <Field scope="entry" label=text::EOE name="eoe_on" kind="date" value=eoe_on errors />
                        <Field scope="entry" label=text::EOL name="eol_on" kind="date" value=eol_on errors />
                    </Show>
                </div>
                <TextAreaField label=text::NOTE name="note" value=note errors rows=2 />
                <Show when=with_file>
                    <p class="muted small">{tr(text::FILE_OR_LINK)}</p>
                    <Field scope="entry" label=text::LINK name="link_url" kind="url" value=link_url errors />
                    <div class="field">
                        <label class="field-label" for="field-entry-file">{tr(text::FILE)}</label>
                        <input id="field-entry-file" type="file" node_ref=file_input data-testid="field-file"
                            aria-invalid=move || file_error().is_some().then_some("true") aria-describedby="error-entry-file" />
                        <span class="field-error" id="error-entry-file" data-testid="error-file" aria-live="polite">{file_error}</span>
                    </div>
                </Show>
                {move || progress.get().map(|share| {
                    let percent = (share * 100.0).round() as u32;
                    view! {
                        <div class="progress" data-testid="upload-progress">
                            <progress max="100" value=percent aria-label=move || i18n.t(text::UPLOADING)></progress>
                            <span>{format!("{percent}%")}</span>
                        </div>
                    }
                })}
                <FormError errors />
                <SubmitButton label=text::ADD busy=Signal::derive(move || progress.get().is_some()) primary=true />
            </form>
        </div>
    }
}
