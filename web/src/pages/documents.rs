//! 見積書・契約書・請求書 (SPEC §4): the documents of the contracts the user may see, with a
//! search (number, title, kind, issue dates, amounts), an in-page PDF preview and
//! downloads; on a contract's page its documents, and for staff an upload with progress.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::documents::{Document, DocumentKind};
use madoguchi_types::ids::ContractId;
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::{Invalid, rules};
use wasm_bindgen::JsCast;

use crate::api::{
    self,
    documents::{DocumentQuery, UploadFields},
};
use crate::auth::use_auth;
use crate::components::{
    ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, PageHeading, Pager,
    RequirePermission, SelectField, SubmitButton, document_kind_label, use_toasts,
};
use crate::i18n::{catalogue::documents as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::Documents><DocumentsContent /></RequirePermission> }
}

/// `¥1,234,000`
pub fn yen(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{}¥{grouped}", if amount < 0 { "-" } else { "" })
}

pub(super) use crate::components::file_size as size;

fn kind_options(all: bool) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.lang();
        all.then(|| (String::new(), text::ANY.get(lang).to_owned()))
            .into_iter()
            .chain(
                DocumentKind::ALL
                    .iter()
                    .map(|kind| (kind.to_string(), document_kind_label(*kind).get(lang).to_owned())),
            )
            .collect()
    })
}

#[component]
fn DocumentsContent() -> impl IntoView {
    let (q, kind, from, to, min, max) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let applied = RwSignal::new(DocumentQuery::default());
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        applied.set(DocumentQuery {
            q: q.get_untracked(),
            kind: kind.get_untracked().parse().ok(),
            issued_from: from.get_untracked(),
            issued_to: to.get_untracked(),
            amount_min: min.get_untracked(),
            amount_max: max.get_untracked(),
            ..DocumentQuery::default()
        });
    };
    let errors = FieldErrors::new();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <form class="filters" on:submit=search data-testid="document-filters" role="search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors hint=text::SEARCH_HINT />
                <SelectField scope="filter" label=text::KIND name="kind" value=kind options=kind_options(true) errors />
                <Field scope="filter" label=text::ISSUED_FROM name="issued_from" kind="date" value=from errors />
                <Field scope="filter" label=text::ISSUED_TO name="issued_to" kind="date" value=to errors />
                <Field scope="filter" label=text::AMOUNT_MIN name="amount_min" inputmode="numeric" value=min errors />
                <Field scope="filter" label=text::AMOUNT_MAX name="amount_max" inputmode="numeric" value=max errors />
                <button type="submit" class="button">{tr(text::APPLY)}</button>
            </form>
            <DocumentList query=applied.into() version=RwSignal::new(0).into() />
        </section>
    }
}

/// A page of documents for `query`, with preview and download; `version` reloads it.
#[component]
pub fn DocumentList(query: Signal<DocumentQuery>, version: Signal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let page = RwSignal::new(1_i64);
    // A new search starts on its first page.
    Effect::new(move |_| {
        query.track();
        page.set(1);
    });
    let reload = RwSignal::new(0_u32);
    let documents = LocalResource::new(move || {
        version.track();
        reload.track();
        let query = DocumentQuery {
            page: page.get(),
            per_page: PER_PAGE,
            ..query.get()
        };
        let lang = i18n.lang();
        async move { api::documents::documents(auth, lang, &query).await }
    });
    let total = Signal::derive(move || {
        documents
            .get()
            .and_then(|result| result.ok())
            .map_or(0, |page| page.total)
    });
    let preview = RwSignal::new(None::<(String, String)>);
    // The last row of the last page gone: show the page before instead of an empty one.
    let deleted = Callback::new(move |()| {
        let (current, left) = (page.get_untracked(), total.get_untracked() - 1);
        if current > 1 && left <= (current - 1) * PER_PAGE {
            page.set(current - 1);
        } else {
            reload.update(|v| *v += 1);
        }
    });
    view! {
        <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
            {move || Suspend::new(async move {
                match documents.await {
                    Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                    Ok(found) => view! { <DocumentTable list=found.items preview deleted /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <Pager page total per_page=PER_PAGE />
        {move || preview.get().map(|(title, url)| view! {
            <div class="card wide preview" data-testid="pdf-preview">
                <div class="preview-head">
                    <h2>{title.clone()}</h2>
                    <button type="button" class="button" on:click=move |_| {
                        if let Some((_, url)) = preview.get_untracked() {
                            let _ = web_sys::Url::revoke_object_url(&url);
                        }
                        preview.set(None);
                    }>{tr(text::CLOSE_PREVIEW)}</button>
                </div>
                <iframe class="pdf-frame" src=url title=title></iframe>
            </div>
        })}
    }
}

/// Saves an object URL as a file: a link with `download`, clicked.
pub(crate) fn save_as(url: &str, file_name: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Ok(link) = document.create_element("a")
        && let Ok(link) = link.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        link.set_href(url);
        link.set_download(file_name);
        link.click();
    }
    let url = url.to_owned();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}

#[component]
fn DocumentTable(
    list: Vec<Document>,
    preview: RwSignal<Option<(String, String)>>,
    deleted: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let staff = auth.can(Permission::ProviderOperations);
    let fetch = move |document: Document, show: bool| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::documents::file_url(auth, lang, document.id).await {
                Ok(url) if show => {
                    if let Some((_, old)) = preview.get_untracked() {
                        let _ = web_sys::Url::revoke_object_url(&old);
                    }
                    preview.set(Some((format!("{} {}", document.number, document.title), url)));
                }
                Ok(url) => save_as(&url, &document.file_name),
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    };
    view! {
        <table class="table responsive" data-testid="documents">
            <thead><tr>
                <th>{tr(text::KIND)}</th>
                <th>{tr(text::NUMBER)}</th>
                <th>{tr(text::DOCUMENT_TITLE)}</th>
                <th>{tr(text::CONTRACT)}</th>
                <th>{tr(text::ISSUED_ON)}</th>
                <th class="numeric">{tr(text::AMOUNT)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|document| {
                    let (shown, saved) = (document.clone(), document.clone());
                    let id = document.id;
                    let delete = Callback::new(move |()| {
                        let lang = i18n.lang_untracked();
                        spawn_local(async move {
                            match api::documents::delete(auth, lang, id).await {
                                Ok(()) => deleted.run(()),
                                Err(error) => toasts.failure(error.to_string()),
                            }
                        });
                    });
                    let testid = format!("document-{}", document.number);
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::KIND)>{tr(document_kind_label(document.kind))}</td>
                            <td data-label=move || i18n.t(text::NUMBER)>{document.number.clone()}</td>
                            <td data-label=move || i18n.t(text::DOCUMENT_TITLE)><span>
                                {document.title.clone()}
                                <span class="muted small">{format!(" ({}, {})", document.file_name, size(document.size_bytes))}</span>
                            </span></td>
                            <td data-label=move || i18n.t(text::CONTRACT)>{document.contract_number.clone()}</td>
                            <td data-label=move || i18n.t(text::ISSUED_ON)>{document.issued_on.to_string()}</td>
                            <td class="numeric" data-label=move || i18n.t(text::AMOUNT)>{document.amount_yen.map(yen).unwrap_or_default()}</td>
                            <td><div class="actions">
                                <button type="button" class="button" data-testid="preview" on:click=move |_| fetch(shown.clone(), true)>{tr(text::PREVIEW)}</button>
                                <button type="button" class="button" data-testid="download" on:click=move |_| fetch(saved.clone(), false)>{tr(text::DOWNLOAD)}</button>
                                {staff.then(|| view! {
                                    <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE).to_owned()) title=text::DELETE_TITLE
                                        message=Signal::derive(move || i18n.t(text::DELETE_MESSAGE).to_owned()) confirm=text::DELETE
                                        on_confirm=delete testid="delete-document" />
                                })}
                            </div></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A contract's documents; staff also upload here.
#[component]
pub fn ContractDocuments(contract: ContractId) -> impl IntoView {
    let auth = use_auth();
    let version = RwSignal::new(0_u32);
    let query = Signal::derive(move || DocumentQuery {
        contract: Some(contract),
        ..DocumentQuery::default()
    });
    view! {
        <h2>{tr(text::TITLE)}</h2>
        <DocumentList query version=version.into() />
        {auth.can(Permission::ProviderOperations).then(|| view! {
            <UploadForm contract uploaded=move || version.update(|v| *v += 1) />
        })}
    }
}

#[component]
fn UploadForm<F>(contract: ContractId, uploaded: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let kind = RwSignal::new(DocumentKind::Quote.to_string());
    let (number, title, issued_on, amount) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("number", rules::required(&number.get_untracked()));
        errors.check("title", rules::required(&title.get_untracked()));
        errors.check("issued_on", rules::required(&issued_on.get_untracked()));
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        errors.check("file", file.as_ref().map(|_| ()).ok_or(Invalid::Required));
        if errors.blocked() {
            return;
        }
        let Some(file) = file else { return };
        let fields = UploadFields {
            kind: kind.get_untracked().parse().unwrap_or(DocumentKind::Quote),
            number: number.get_untracked(),
            title: title.get_untracked(),
            issued_on: issued_on.get_untracked(),
            amount_yen: amount.get_untracked().replace([',', '¥', ' '], ""),
        };
        let lang = i18n.lang_untracked();
        progress.set(Some(0.0));
        spawn_local(async move {
            let result = api::documents::upload(auth, lang, contract, fields, file, move |share| {
                progress.set(Some(share));
            })
            .await;
            match result {
                Ok(document) => {
                    toasts.success(text::uploaded(lang, &document.file_name));
                    number.set(String::new());
                    title.set(String::new());
                    amount.set(String::new());
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    uploaded();
                }
                Err(error) => errors.server_said(error),
            }
            progress.set(None);
        });
    };
    let file_error = move || errors.message("file");
    view! {
        <div class="card wide" data-testid="upload-document">
            <h2>{tr(text::UPLOAD_TITLE)}</h2>
            <form class="form" on:submit=submit novalidate>
                <SelectField scope="upload" label=text::KIND name="kind" value=kind options=kind_options(false) errors required=true />
                <Field scope="upload" label=text::NUMBER name="number" value=number errors required=true />
                <Field scope="upload" label=text::DOCUMENT_TITLE name="title" value=title errors required=true />
                <div class="form-grid">
                    <Field scope="upload" label=text::ISSUED_ON name="issued_on" kind="date" value=issued_on errors required=true />
                    <Field scope="upload" label=text::AMOUNT name="amount_yen" inputmode="numeric" value=amount errors hint=text::AMOUNT_HINT />
                </div>
                <div class="field">
                    <label class="field-label" for="field-upload-file">{tr(text::FILE)}<span class="required" aria-hidden="true">" *"</span></label>
                    <input id="field-upload-file" type="file" accept="application/pdf,.pdf" node_ref=file_input data-testid="field-file"
                        aria-invalid=move || file_error().is_some().then_some("true") aria-describedby="error-upload-file" />
                    <span class="field-hint">{tr(text::FILE_HINT)}</span>
                    <span class="field-error" id="error-upload-file" data-testid="error-file" aria-live="polite">{file_error}</span>
                </div>
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
                <SubmitButton label=text::UPLOAD busy=Signal::derive(move || progress.get().is_some()) primary=true />
            </form>
        </div>
    }
}
