use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::PageHeading;
use crate::i18n::{catalogue::kit, tr};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="narrow">
            <PageHeading text=kit::NOT_FOUND_TITLE />
            <p class="lead">{tr(kit::NOT_FOUND_LEAD)}</p>
            <p><A href="/">{tr(kit::BACK_HOME)}</A></p>
        </section>
    }
}
