use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::auth::Auth;
use crate::components::{Footer, Header, RouteEffects, SkipLink, ToastHost, Toasts};
use crate::i18n::I18n;
use crate::pages::{
    AccountsPage, AnalyticsPage, AnalyticsSignupPage, ArticlePage, AuditPage, ConfirmAnalyticsSignupPage,
    ConfirmEmailPage, ConfirmRegistrationPage, ContractDetailPage, ContractsPage, DocumentsPage, ForgotPage,
    HomePage, KnowledgePage, LoginPage, MobilePage, MyPage, NewArticlePage, NewTicketPage, NotFoundPage,
    OrganizationsPage, PbxCdrsPage, PbxFeaturesPage, PbxForwardingPage, PbxGroupsPage, PbxPage, ProductsPage,
    ProjectDetailPage, ProjectsPage, RegisterPage, ResetPasswordPage, SeriesPage, StatusPage, TicketPage,
    TicketsPage,
};

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide();
    Auth::provide(i18n);
    Toasts::provide();
    crate::pages::pbx::ChosenSite::provide();
    // The splash of index.html has done its job.
    if let Some(splash) = document().get_element_by_id("splash") {
        splash.remove();
    }
    view! {
        <Router>
            <SkipLink />
            <Header />
            <RouteEffects />
            <main class="content" id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/status") view=StatusPage />
                    <Route path=path!("/analytics") view=AnalyticsPage />
                    <Route path=path!("/analytics/signup") view=AnalyticsSignupPage />
                    <Route path=path!("/analytics/signup/confirm") view=ConfirmAnalyticsSignupPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/register/confirm") view=ConfirmRegistrationPage />
                    <Route path=path!("/forgot") view=ForgotPage />
                    <Route path=path!("/reset-password") view=ResetPasswordPage />
                    <Route path=path!("/confirm-email") view=ConfirmEmailPage />
                    <Route path=path!("/me") view=MyPage />
                    <Route path=path!("/admin/accounts") view=AccountsPage />
                    <Route path=path!("/admin/audit") view=AuditPage />
                    <Route path=path!("/admin/organizations") view=OrganizationsPage />
                    <Route path=path!("/contracts") view=ContractsPage />
                    <Route path=path!("/contracts/:id") view=ContractDetailPage />
                    <Route path=path!("/documents") view=DocumentsPage />
                    <Route path=path!("/products") view=ProductsPage />
                    <Route path=path!("/products/series/:id") view=SeriesPage />
                    <Route path=path!("/knowledge") view=KnowledgePage />
                    <Route path=path!("/knowledge/new") view=NewArticlePage />
                    <Route path=path!("/knowledge/:id") view=ArticlePage />
                    <Route path=path!("/tickets") view=TicketsPage />
                    <Route path=path!("/tickets/new") view=NewTicketPage />
                    <Route path=path!("/tickets/:id") view=TicketPage />
                    <Route path=path!("/mobile") view=MobilePage />
                    <Route path=path!("/pbx") view=PbxPage />
                    <Route path=path!("/pbx/groups") view=PbxGroupsPage />
                    <Route path=path!("/pbx/features") view=PbxFeaturesPage />
                    <Route path=path!("/pbx/forwarding") view=PbxForwardingPage />
                    <Route path=path!("/pbx/cdrs") view=PbxCdrsPage />
                    <Route path=path!("/admin/projects") view=ProjectsPage />
                    <Route path=path!("/admin/projects/:id") view=ProjectDetailPage />
                </Routes>
            </main>
            <Footer />
            <ToastHost />
        </Router>
    }
}
