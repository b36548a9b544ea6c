use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{Footer, Header};
use crate::i18n::I18n;
use crate::pages::{HomePage, NotFoundPage, StatusPage};

#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    view! {
        <Router>
            <Header />
            <main class="content">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/status") view=StatusPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
