//! The pages a mailed link lands on (本登録, a new contact email, a CX サポート sign-up):
//! one click sends the link's token; the page shows the outcome. The click never happens by
//! itself, so that a mail scanner opening the link confirms nothing.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::api::ApiError;
use crate::i18n::{Lang, use_i18n};

/// What the page shows: nothing sent yet (`None`), or the answer; and whether it is on
/// its way.
pub struct LinkConfirmation<T: Send + Sync + 'static> {
    pub outcome: RwSignal<Option<Result<T, ApiError>>>,
    pub busy: RwSignal<bool>,
}

impl<T: Send + Sync + 'static> Clone for LinkConfirmation<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for LinkConfirmation<T> {}

impl<T: Send + Sync + 'static> LinkConfirmation<T> {
    /// Sends the `token` of the page's query with `call`, once per click.
    pub fn new<F, Fut>(call: F) -> (Self, impl Fn(leptos::ev::MouseEvent) + Clone + 'static)
    where
        F: Fn(Lang, String) -> Fut + Clone + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let i18n = use_i18n();
        let query = use_query_map();
        let state = Self {
            outcome: RwSignal::new(None),
            busy: RwSignal::new(false),
        };
        let confirm = move |_| {
            if state.busy.get_untracked() {
                return;
            }
            let token = query
                .with_untracked(|query| query.get("token"))
                .unwrap_or_default();
            let (lang, call) = (i18n.lang_untracked(), call.clone());
            state.busy.set(true);
            spawn_local(async move {
                state.outcome.set(Some(call(lang, token).await));
                state.busy.set(false);
            });
        };
        (state, confirm)
    }
}
