//! Lists. Tables become cards under ~640 px (by CSS, from each cell's `data-label`); long
//! lists page with [`Pager`].

use leptos::prelude::*;

use crate::i18n::{catalogue::kit, use_i18n};

/// Previous / next with "page x of y (n items)".
#[component]
pub fn Pager(page: RwSignal<i64>, total: Signal<i64>, per_page: i64) -> impl IntoView {
    let i18n = use_i18n();
    let pages = move || ((total.get() + per_page - 1) / per_page).max(1);
    // Comparisons stay in blocks: a bare `>` in an attribute would end the tag in `view!`.
    let (first, last) = (move || page.get() <= 1, move || page.get() >= pages());
    view! {
        <nav class="pager" aria-label=move || i18n.t(kit::PAGING) data-testid="pager">
            <button type="button" class="button" data-testid="previous-page" disabled=first on:click=move |_| page.update(|page| *page -= 1)>
                {move || i18n.t(kit::PREVIOUS)}
            </button>
            <span>{move || kit::page_of(i18n.lang(), page.get(), pages(), total.get())}</span>
            <button type="button" class="button" data-testid="next-page" disabled=last on:click=move |_| page.update(|page| *page += 1)>
                {move || i18n.t(kit::NEXT)}
            </button>
        </nav>
    }
}
