use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="hero">
            <h1>{move || i18n.texts().home_title}</h1>
            <p class="lead">{move || i18n.texts().home_lead}</p>
        </section>
        <section>
            <h2>{move || i18n.texts().home_areas_title}</h2>
            <ul class="cards">
                {move || {
                    i18n.texts()
                        .home_areas
                        .iter()
                        .map(|(title, description)| {
                            view! {
                                <li class="card">
                                    <h3>{*title}</h3>
                                    <p class="muted">{*description}</p>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p>
                <A href="/status">{move || i18n.texts().nav_status}" →"</A>
            </p>
        </section>
    }
}
