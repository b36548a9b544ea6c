use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::Auth;
use crate::components::{Footer, Header};
use crate::i18n::I18n;
use crate::pages::{
    AccountsPage, AuditPage, ConfirmRegistrationPage, ForgotPage, HomePage, LoginPage, MyPage, NotFoundPage,
    RegisterPage, ResetPasswordPage, StatusPage,
};

#[component]
pub fn App() -> impl IntoView {
    I18n::provide();
    Auth::provide();
    view! {
        <Router>
            <Header />
            <main class="content">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/status") view=StatusPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/register/confirm") view=ConfirmRegistrationPage />
                    <Route path=path!("/forgot") view=ForgotPage />
                    <Route path=path!("/reset-password") view=ResetPasswordPage />
                    <Route path=path!("/me") view=MyPage />
                    <Route path=path!("/admin/accounts") view=AccountsPage />
                    <Route path=path!("/admin/audit") view=AuditPage />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
