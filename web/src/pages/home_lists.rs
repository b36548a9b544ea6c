//! What waits on the home screen (seed 001 "回答待ちのお見積り"): unanswered quotes with
//! 発注 (order, with the purchase-order PDF and a progress bar) and 再見積依頼 (re-quote, with
//! a comment) dialogs, and the contracts ending within 90 days.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use madoguchi_types::documents::{COMMENT_MAX, Document, RequoteRequest};
use madoguchi_types::validation::{Invalid, rules};

use super::documents::yen;
use crate::api;
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, FieldErrors, FormError, LoadingRows, SubmitButton, use_toasts,
};
use crate::i18n::{catalogue::quotes as text, tr, use_i18n};

#[component]
pub fn HomeLists() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let version = RwSignal::new(0_u32);
    let home = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang();
        async move { api::documents::home(auth, lang).await }
    });
    let answered = move || version.update(|v| *v += 1);
    view! {
        <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(home) => view! {
                        {auth.can(madoguchi_types::policy::Permission::Documents).then(|| view! {
                            <section data-testid="unanswered-quotes">
                                <h2>{tr(text::UNANSWERED_TITLE)}</h2>
                                {if home.unanswered_quotes.is_empty() {
                                    view! { <EmptyState text=text::NONE_UNANSWERED /> }.into_any()
                                } else {
                                    view! { <QuoteTable list=home.unanswered_quotes.clone() answered /> }.into_any()
                                }}
                            </section>
                        })}
                        <section data-testid="contracts-ending">
                            <h2>{tr(text::ENDING_TITLE)}</h2>
                            {if home.contracts_ending.is_empty() {
                                view! { <EmptyState text=text::NONE_ENDING /> }.into_any()
                            } else {
                                view! {
                                    <ul class="ending-list">
                                        {home.contracts_ending.into_iter().map(|contract| view! {
                                            <li>
                                                <A href=format!("/contracts/{}", contract.id)>{contract.contract_number.clone()}</A>
                                                " "
                                                <span class="badge badge-warn">{move || crate::i18n::catalogue::contracts::days_left(i18n.lang(), contract.days_left)}</span>
                                                <span class="muted">{format!(" {} 〜 {}", contract.starts_on, contract.ends_on)}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QuoteTable<F>(list: Vec<Document>, answered: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="quotes">
            <thead><tr>
                <th>{tr(text::NUMBER)}</th>
                <th>{tr(text::QUOTE_TITLE)}</th>
                <th>{tr(text::CONTRACT)}</th>
                <th>{tr(text::ISSUED_ON)}</th>
                <th class="numeric">{tr(text::AMOUNT)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|quote| {
                    let testid = format!("quote-{}", quote.number);
                    let (for_order, for_requote) = (quote.clone(), quote.clone());
                    view! {
                        <tr data-testid=testid>
                            <td data-label=move || i18n.t(text::NUMBER)>{quote.number.clone()}</td>
                            <td data-label=move || i18n.t(text::QUOTE_TITLE)>{quote.title.clone()}</td>
                            <td data-label=move || i18n.t(text::CONTRACT)>
                                <A href=format!("/contracts/{}", quote.contract_id)>{quote.contract_number.clone()}</A>
                            </td>
                            <td data-label=move || i18n.t(text::ISSUED_ON)>{quote.issued_on.to_string()}</td>
                            <td class="numeric" data-label=move || i18n.t(text::AMOUNT)>{quote.amount_yen.map(yen).unwrap_or_default()}</td>
                            <td class="actions">
                                <OrderDialog quote=for_order answered />
                                <RequoteDialog quote=for_requote answered />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// 発注: the purchase order (a PDF, required) and an optional comment; a progress bar while
/// the file goes up.
#[component]
fn OrderDialog<F>(quote: Document, answered: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let comment = RwSignal::new(String::new());
    let progress = RwSignal::new(None::<f64>);
    let errors = FieldErrors::new();
    let (id, number) = (quote.id, quote.number.clone());
    let title_id = format!("order-title-{id}");
    let labelled_by = title_id.clone();
    let open = move |_| {
        errors.clear();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        errors.check("file", file.as_ref().map(|_| ()).ok_or(Invalid::Required));
        if errors.blocked() {
            return;
        }
        let Some(file) = file else { return };
        let lang = i18n.lang_untracked();
        let text_comment = comment.get_untracked();
        progress.set(Some(0.0));
        spawn_local(async move {
            let result = api::documents::order(auth, lang, id, &text_comment, file, move |share| {
                progress.set(Some(share));
            })
            .await;
            progress.set(None);
            match result {
                Ok(quote) => {
                    toasts.success(text::ordered(lang, &quote.number));
                    close();
                    answered();
                }
                Err(error) => errors.server_said(error),
            }
        });
    };
    let file_error = move || errors.message("file");
    let input_id = format!("order-file-{id}");
    let comment_id = format!("order-comment-{id}");
    let error_id = format!("order-file-error-{id}");
    view! {
        <button type="button" class="button button-primary" data-testid="order" on:click=open>{tr(text::ORDER)}</button>
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by data-testid="order-dialog">
            <form class="form" on:submit=submit novalidate>
                <h2 id=title_id>{move || text::order_title(i18n.lang(), &number)}</h2>
                <p>{tr(text::ORDER_LEAD)}</p>
                <div class="field">
                    <label class="field-label" for=input_id.clone()>{tr(text::PURCHASE_ORDER)}<span class="required" aria-hidden="true">" *"</span></label>
                    <input id=input_id type="file" accept="application/pdf,.pdf" node_ref=file_input data-testid="field-purchase-order"
                        aria-invalid=move || file_error().is_some().then_some("true") aria-describedby=error_id.clone() />
                    <span class="field-error" id=error_id.clone() data-testid="error-purchase-order" aria-live="polite">{file_error}</span>
                </div>
                <div class="field">
                    <label class="field-label" for=comment_id.clone()>{tr(text::COMMENT_OPTIONAL)}</label>
                    <textarea id=comment_id rows="3" maxlength=COMMENT_MAX.to_string()
                        prop:value=move || comment.get() on:input=move |event| comment.set(event_target_value(&event))></textarea>
                </div>
                {move || progress.get().map(|share| {
                    let percent = (share * 100.0).round() as u32;
                    view! {
                        <div class="progress" data-testid="order-progress">
                            <progress max="100" value=percent aria-label=move || i18n.t(text::UPLOADING)></progress>
                            <span>{format!("{percent}%")}</span>
                        </div>
                    }
                })}
                <FormError errors />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| close()>{tr(text::CANCEL)}</button>
                    <SubmitButton label=text::ORDER_SUBMIT busy=Signal::derive(move || progress.get().is_some()) primary=true />
                </div>
            </form>
        </dialog>
    }
}

/// 再見積依頼: what should change (required).
#[component]
fn RequoteDialog<F>(quote: Document, answered: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let (id, number) = (quote.id, quote.number.clone());
    let title_id = format!("requote-title-{id}");
    let labelled_by = title_id.clone();
    let open = move |_| {
        errors.clear();
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let close = move || {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("comment", rules::required(&comment.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = RequoteRequest {
            comment: comment.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::documents::requote(auth, lang, id, &request).await {
                Ok(quote) => {
                    toasts.success(text::requoted(lang, &quote.number));
                    close();
                    answered();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let comment_error = move || errors.message("comment");
    let comment_id = format!("requote-comment-{id}");
    let error_id = format!("requote-comment-error-{id}");
    view! {
        <button type="button" class="button" data-testid="requote" on:click=open>{tr(text::REQUOTE)}</button>
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by data-testid="requote-dialog">
            <form class="form" on:submit=submit novalidate>
                <h2 id=title_id>{move || text::requote_title(i18n.lang(), &number)}</h2>
                <div class="field">
                    <label class="field-label" for=comment_id.clone()>{tr(text::COMMENT)}<span class="required" aria-hidden="true">" *"</span></label>
                    <textarea id=comment_id rows="4" maxlength=COMMENT_MAX.to_string() data-testid="field-comment"
                        aria-invalid=move || comment_error().is_some().then_some("true") aria-describedby=error_id.clone()
                        prop:value=move || comment.get() on:input=move |event| comment.set(event_target_value(&event))></textarea>
                    <span class="field-hint">{tr(text::COMMENT_HINT)}</span>
                    <span class="field-error" id=error_id.clone() data-testid="error-comment" aria-live="polite">{comment_error}</span>
                </div>
                <FormError errors />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| close()>{tr(text::CANCEL)}</button>
                    <SubmitButton label=text::REQUOTE_SUBMIT busy=busy.into() primary=true />
                </div>
            </form>
        </dialog>
    }
}
