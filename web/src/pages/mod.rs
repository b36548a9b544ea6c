mod admin;
mod analytics;
mod analytics_child_ids;
mod analytics_own_data;
mod analytics_signup;
mod audit;
mod contracts;
pub(crate) mod documents;
mod home;
mod home_lists;
mod knowledge;
mod login;
mod mobile;
mod my_page;
mod not_found;
mod organizations;
pub mod pbx;
mod pbx_cdrs;
mod pbx_features;
mod pbx_groups;
mod products;
mod projects;
mod recovery;
mod register;
mod status;
mod tickets;

pub use admin::AccountsPage;
pub use analytics::AnalyticsPage;
pub use analytics_signup::{AnalyticsSignupPage, ConfirmAnalyticsSignupPage};
pub use audit::AuditPage;
pub use contracts::{ContractDetailPage, ContractsPage};
pub use documents::DocumentsPage;
pub use home::HomePage;
pub use knowledge::{ArticlePage, KnowledgePage, NewArticlePage};
pub use login::LoginPage;
pub use mobile::MobilePage;
pub use my_page::MyPage;
pub use not_found::NotFoundPage;
pub use organizations::OrganizationsPage;
pub use pbx::PbxPage;
pub use pbx_cdrs::PbxCdrsPage;
pub use pbx_features::{PbxFeaturesPage, PbxForwardingPage};
pub use pbx_groups::PbxGroupsPage;
pub use products::{ProductsPage, SeriesPage};
pub use projects::{ProjectDetailPage, ProjectsPage};
pub use recovery::{ConfirmEmailPage, ForgotPage, ResetPasswordPage};
pub use register::{ConfirmRegistrationPage, RegisterPage};
pub use status::StatusPage;
pub use tickets::{NewTicketPage, TicketPage, TicketsPage};

use chrono::{DateTime, FixedOffset, Utc};

/// Japan Standard Time: times are stored in UTC and shown in Asia/Tokyo (no DST).
const JST_OFFSET_SECONDS: i32 = 9 * 3600;

/// `2026-11-23 16:05` in Japan time.
pub fn format_time(time: DateTime<Utc>) -> String {
    format_japan_time(time, "%Y-%m-%d %H:%M")
}

/// `time` in Japan time, formatted with a chrono `pattern`.
pub fn format_japan_time(time: DateTime<Utc>, pattern: &str) -> String {
    FixedOffset::east_opt(JST_OFFSET_SECONDS)
        .map(|offset| time.with_timezone(&offset).format(pattern).to_string())
        .unwrap_or_else(|| time.to_rfc3339())
}
