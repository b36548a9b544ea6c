//! Background jobs: work that outlives a request (mail, imports, purges, renderings). A
//! job's state and progress are readable at `GET /api/v1/jobs/{id}`, so that a client can
//! show a progress bar and the result.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Problem;
use crate::ids::JobId;

crate::text_enum! {
    /// Where a job is in its life.
    pub enum JobState {
        /// Waiting to run (first time, or again after a failed attempt).
        Queued = "queued",
        /// A worker is on it.
        Running = "running",
        /// Finished; `result` holds what it produced.
        Done = "done",
        /// Gave up after its last attempt; `problem` says why.
        Failed = "failed",
    }
}

crate::text_enum! {
    /// What a job does.
    pub enum JobKind {
        /// Deliver one mail.
        Mail = "mail",
        /// Mail the login IDs registered with an address (if any).
        ForgotLoginId = "forgot_login_id",
        /// Mail password-reset links for the accounts of an address (if any).
        ForgotPassword = "forgot_password",
        /// Delete expired sign-in material: used or expired links, codes and sessions.
        PurgeExpired = "purge_expired",
        /// Delete uploads nobody finished or attached within a day.
        PurgeUploads = "purge_uploads",
        /// Register or delete a site's extensions from a large CSV file: `progress` counts
        /// the rows validated and then the rows applied (`total` is twice the rows), the
        /// result is an `ImportReport`, a refusal lists every bad row.
        ExtensionsCsv = "extensions_csv",
        /// Delete call-detail records older than their retention (92 days by default).
        PurgeCallRecords = "purge_call_records",
        /// Delete analytics data past its plan's retention (raw calls 92 days, aggregates
        /// 12 or 24 months).
        PurgeAnalytics = "purge_analytics",
        /// Draw a large report download (a PowerPoint deck of many table slides): the
        /// result is a `RenderedFile`, fetched from `GET /analytics/downloads/{id}`.
        RenderReport = "render_report",
        /// Compute and keep a subscription's reports as the dashboard first opens them,
        /// after new data made the kept ones stale.
        WarmReports = "warm_reports",
    }
}

/// How far a running job is: `done` of `total` units (`total` unknown until counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct JobProgress {
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub done: i64,
    #[cfg_attr(feature = "schema", schema(minimum = 0))]
    pub total: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Job {
    pub id: JobId,
    pub kind: JobKind,
    pub state: JobState,
    pub progress: JobProgress,
    /// Attempts made so far (a failed attempt is retried with backoff).
    pub attempts: i32,
    pub max_attempts: i32,
    /// What a finished job produced (its shape depends on `kind`).
    pub result: Option<serde_json::Value>,
    /// Why a failed job gave up.
    pub problem: Option<Problem>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}
