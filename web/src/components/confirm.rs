//! A button that asks first: destructive or security-relevant actions (disable an account,
//! revoke a token, turn 2-step authentication off) open a native modal dialog; only its
//! confirm button runs the action.

use leptos::prelude::*;

use crate::i18n::{Text, catalogue::kit, use_i18n};

#[component]
pub fn ConfirmButton(
    /// The button's label.
    label: Signal<String>,
    /// The question the dialog asks.
    title: Text,
    /// What will happen.
    message: Signal<String>,
    /// The confirming button's label.
    confirm: Text,
    on_confirm: Callback<()>,
    #[prop(optional)] busy: Option<Signal<bool>>,
    #[prop(optional, into)] testid: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let title_id = format!("confirm-{}", js_sys::Math::random().to_bits());
    let labelled_by = title_id.clone();
    let open = move |_| {
        if let Some(dialog) = dialog.get() {
            let _ = dialog.show_modal();
        }
    };
    let closed = move |_| {
        if let Some(dialog) = dialog.get() {
            if dialog.return_value() == "confirm" {
                on_confirm.run(());
            }
            dialog.set_return_value("");
        }
    };
    let disabled = move || busy.is_some_and(|busy| busy.get());
    view! {
        <button type="button" class="button button-danger-outline" on:click=open disabled=disabled data-testid=testid.clone()>
            {move || label.get()}
        </button>
        <dialog node_ref=dialog class="dialog" on:close=closed aria-labelledby=labelled_by>
            <form method="dialog">
                <h2 id=title_id>{move || i18n.t(title)}</h2>
                <p>{move || message.get()}</p>
                <div class="dialog-actions">
                    <button value="cancel" class="button" autofocus>{move || i18n.t(kit::CANCEL)}</button>
                    <button value="confirm" class="button button-danger" data-testid="confirm">{move || i18n.t(confirm)}</button>
                </div>
            </form>
        </dialog>
    }
}
