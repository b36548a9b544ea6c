//! Call analytics (CX サポート): subscriptions, the report catalogue, reports and their
//! charts, groups of numbers.

use gloo_net::http::Method;
use madoguchi_types::analytics::{
    Catalogue, ChildId, ChildIdChange, ChildIdList, ChildIdRequest, ConfirmSignupRequest,
    ConfirmSignupResponse, DownloadFormat, NumberGroup, NumberGroupList, NumberGroupRequest, OwnDataUpload,
    PlanChange, PlanList, Report, ReportKind, SignupRequest, SignupResponse, Subscription, SubscriptionList,
};
use madoguchi_types::ids::{AccountId, JobId, NumberGroupId, SubscriptionId};
use madoguchi_types::jobs::Job;

use super::{ApiError, NO_BODY, encode, private, private_text, public};
use crate::auth::Auth;
use crate::i18n::Lang;

/// CXサポートのお申し込み: provisional until the mailed link is opened.
pub async fn sign_up(lang: Lang, request: &SignupRequest) -> Result<SignupResponse, ApiError> {
    public(Method::POST, "/api/v1/analytics/signups", lang, Some(request)).await
}

/// 本登録 with the token from the (1/3) mail.
pub async fn confirm_sign_up(lang: Lang, token: String) -> Result<ConfirmSignupResponse, ApiError> {
    let request = ConfirmSignupRequest { token };
    public(
        Method::POST,
        "/api/v1/analytics/signups/confirm",
        lang,
        Some(&request),
    )
    .await
}

/// The plans and what each unlocks.
pub async fn plans(lang: Lang) -> Result<PlanList, ApiError> {
    public(Method::GET, "/api/v1/analytics/plans", lang, NO_BODY).await
}

pub async fn change_plan(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    change: &PlanChange,
) -> Result<Subscription, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/analytics/subscriptions/{subscription}/plan"),
        lang,
        Some(change),
    )
    .await
}

pub async fn child_ids(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
) -> Result<ChildIdList, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/analytics/subscriptions/{subscription}/child-ids"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_child_id(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    request: &ChildIdRequest,
) -> Result<ChildId, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/analytics/subscriptions/{subscription}/child-ids"),
        lang,
        Some(request),
    )
    .await
}

pub async fn change_child_id(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    account: AccountId,
    disabled: bool,
) -> Result<ChildId, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/analytics/subscriptions/{subscription}/child-ids/{account}"),
        lang,
        Some(&ChildIdChange { disabled }),
    )
    .await
}

pub async fn delete_child_id(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    account: AccountId,
) -> Result<(), ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/analytics/subscriptions/{subscription}/child-ids/{account}"),
        lang,
        NO_BODY,
    )
    .await
}

/// Sends an own-data CSV file as it is (the server detects its encoding): with `dry_run`
/// the preview, else stored when clean; reporting the share sent.
pub async fn send_own_data(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    dry_run: bool,
    file: &web_sys::File,
    on_progress: impl Fn(f64) + 'static,
) -> Result<OwnDataUpload, ApiError> {
    let path = format!("/api/v1/analytics/subscriptions/{subscription}/own-data?dry_run={dry_run}");
    let blob = file.slice().map_err(super::xhr::browser_refused)?;
    super::xhr::send(
        auth,
        lang,
        ("POST", &path),
        &[("Content-Type", "text/csv".to_owned())],
        super::xhr::Body::Bytes(blob),
        move |sent, total| on_progress(if total > 0.0 { sent / total } else { 1.0 }),
        None,
    )
    .await
}

pub async fn subscriptions(auth: Auth, lang: Lang) -> Result<SubscriptionList, ApiError> {
    private(
        auth,
        Method::GET,
        "/api/v1/analytics/subscriptions",
        lang,
        NO_BODY,
    )
    .await
}

pub async fn catalogue(auth: Auth, lang: Lang, subscription: SubscriptionId) -> Result<Catalogue, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/analytics/subscriptions/{subscription}/reports"),
        lang,
        NO_BODY,
    )
    .await
}

/// A report's filters as the filter bar holds them (empty = not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub an: String,
    pub an_group: String,
    pub dn_group: String,
    /// 1 = Monday … 7 = Sunday; empty = every day.
    pub weekdays: Vec<u8>,
    pub hour_from: String,
    pub hour_to: String,
}

impl Filter {
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("an", &self.an),
            ("an_group", &self.an_group),
            ("dn_group", &self.dn_group),
            ("hour_from", &self.hour_from),
            ("hour_to", &self.hour_to),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        if !self.weekdays.is_empty() && self.weekdays.len() < 7 {
            let days: Vec<String> = self.weekdays.iter().map(u8::to_string).collect();
            parts.push(format!("weekdays={}", days.join(",")));
        }
        parts.join("&")
    }
}

fn report_path(subscription: SubscriptionId, kind: ReportKind, tail: &str, filter: &Filter) -> String {
    format!(
        "/api/v1/analytics/subscriptions/{subscription}/reports/{}{tail}?{}",
        kind.as_str(),
        filter.query()
    )
}

pub async fn report(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    kind: ReportKind,
    filter: &Filter,
) -> Result<Report, ApiError> {
    private(
        auth,
        Method::GET,
        &report_path(subscription, kind, "", filter),
        lang,
        NO_BODY,
    )
    .await
}

/// What asking for a report file gives: the file, or the job drawing a large one.
pub enum Download {
    /// The file, as an object URL to save.
    File(String),
    /// A large deck being drawn: follow the job, then fetch [`drawn_url`].
    Drawing(Box<Job>),
}

/// A report as a file (PNG, PDF or PowerPoint, drawn by the server with the same filters).
pub async fn download(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    kind: ReportKind,
    format: DownloadFormat,
    filter: &Filter,
) -> Result<Download, ApiError> {
    let tail = format!("/download/{}", format.as_str());
    let path = report_path(subscription, kind, &tail, filter);
    let response = super::documents::signed_get(auth, lang, &path, &[]).await?;
    if response.status() == 202 {
        let job = response
            .json::<Job>()
            .await
            .map_err(|_| ApiError::Unexpected { status: 202 })?;
        return Ok(Download::Drawing(Box::new(job)));
    }
    super::documents::object_url(response).await.map(Download::File)
}

/// The file a `render_report` job drew, as an object URL to save.
pub async fn drawn_url(auth: Auth, lang: Lang, job: JobId) -> Result<String, ApiError> {
    super::documents::blob_url(auth, lang, &format!("/api/v1/analytics/downloads/{job}")).await
}

/// The report's chart, SVG as the server draws it.
pub async fn chart(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    kind: ReportKind,
    filter: &Filter,
) -> Result<String, ApiError> {
    private_text(auth, &report_path(subscription, kind, "/chart.svg", filter), lang).await
}

pub async fn groups(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
) -> Result<NumberGroupList, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/analytics/subscriptions/{subscription}/groups"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_group(
    auth: Auth,
    lang: Lang,
    subscription: SubscriptionId,
    request: &NumberGroupRequest,
) -> Result<NumberGroup, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/analytics/subscriptions/{subscription}/groups"),
        lang,
        Some(request),
    )
    .await
}

pub async fn update_group(
    auth: Auth,
    lang: Lang,
    group: NumberGroupId,
    request: &NumberGroupRequest,
) -> Result<NumberGroup, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/analytics/groups/{group}"),
        lang,
        Some(request),
    )
    .await
}

pub async fn delete_group(auth: Auth, lang: Lang, group: NumberGroupId) -> Result<(), ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/analytics/groups/{group}"),
        lang,
        NO_BODY,
    )
    .await
}
