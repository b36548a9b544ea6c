//! The API's one error type, rendered as RFC 9457 problem details (`application/problem+json`).
//!
//! Handlers return `Result<_, ApiError>`. The [`problem_details`] middleware renders every
//! 4xx/5xx answer — ours, actix's own (unknown route, wrong method, bad JSON) and those of
//! other middleware — as a problem document in the language the client asked for.

use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    ALLOW, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER,
    WWW_AUTHENTICATE,
};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};
use madoguchi_types::{FieldError, PROBLEM_CONTENT_TYPE, Problem};
use tracing_actix_web::RequestId;

use crate::domain::Invalid;
use crate::i18n::Lang;

/// One refused input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    pub reason: Invalid,
}

impl FieldViolation {
    pub fn new(field: impl Into<String>, reason: Invalid) -> Self {
        Self {
            field: field.into(),
            reason,
        }
    }
}

/// Collects every refused field of a request, so that the answer lists them all.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldViolation>);

impl Violations {
    /// The value if valid; otherwise records why under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        result.map_err(|reason| self.add(field, reason)).ok()
    }

    pub fn add(&mut self, field: impl Into<String>, reason: Invalid) {
        self.0.push(FieldViolation::new(field, reason));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(Validation)` if anything was refused.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }

    pub fn into_error(self) -> ApiError {
        ApiError::Validation(self.0)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Some fields were refused; every one is listed.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldViolation>),
    /// The body could not be read as the expected JSON.
    #[error("malformed request body: {0}")]
    MalformedBody(String),
    /// A path or query parameter could not be parsed.
    #[error("malformed parameter: {0}")]
    MalformedParameter(String),
    /// Missing, or not visible to the caller (another organization's id answers this too).
    #[error("not found")]
    NotFound,
    /// A unique value is taken already.
    #[error("conflict on {field}")]
    Conflict { field: String },
    /// The quote was answered (ordered, re-quote asked, superseded) already.
    #[error("quote answered already: {0}")]
    QuoteAnswered(madoguchi_types::documents::QuoteState),
    /// Authentication failed or is missing (401), or a link/code cannot be used.
    #[error("authentication: {0:?}")]
    Auth(AuthError),
    /// Signed in, but this role may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Signed in with a personal API token where a signed-in session is needed (creating
    /// API tokens: a stolen token must not mint more).
    #[error("a signed-in session is required")]
    SessionRequired,
    /// The path exists, but not with this method; `Allow` lists the ones it has.
    #[error("method not allowed")]
    MethodNotAllowed(Vec<String>),
    /// The body is larger than this endpoint accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// A status the resource cannot move to from the one it has; `allowed` it can.
    #[error("illegal transition from {from}")]
    IllegalTransition {
        from: madoguchi_types::tickets::TicketStatus,
        allowed: Vec<madoguchi_types::tickets::TicketStatus>,
    },
    /// A change without `If-Match` where one is required.
    #[error("precondition required")]
    PreconditionRequired,
    /// `If-Match` names a version the resource no longer has.
    #[error("stale version")]
    PreconditionFailed,
    /// A resumable upload's bytes sent at another offset than the server's.
    #[error("upload offset mismatch: the server has {offset}")]
    OffsetMismatch { offset: i64 },
    /// A mobile line inside its minimum usage period (SPEC §7: 30 days) cannot be deleted.
    #[error("within the minimum usage period until {deletable_from}")]
    MinimumUsagePeriod { deletable_from: chrono::NaiveDate },
    /// An extension in pickup or hunting groups is deleted only with `force`.
    #[error("the extension is in groups: {groups:?}")]
    InGroups { groups: Vec<String> },
    /// A site or group is full: another group or member would pass its limit.
    #[error("limit reached: {0:?}")]
    LimitReached(GroupLimit),
    /// The extension is a member of another hunting group (one at most, seed 003 §5.3).
    #[error("{extension} is in hunting group {group}")]
    InHuntingGroup { extension: String, group: String },
    /// The extension represents another hunting group already.
    #[error("{extension} represents hunting group {group}")]
    RepresentativeTaken { extension: String, group: String },
    /// Feature codes (or an extension number) overlapping other numbers the PBX dials:
    /// every overlap is listed.
    #[error("code conflicts: {0:?}")]
    CodeConflicts(Vec<crate::extensions::features::Overlap>),
    /// Call-detail records are read with a grant from the secret question (`X-CDR-Grant`):
    /// none was sent, or it expired, or it is for another site or account.
    #[error("a CDR grant is required")]
    CdrGrantRequired,
    /// The subscription's plan does not show this (a standard report on the free plan).
    #[error("the {plan} plan is required")]
    PlanRequired { plan: madoguchi_types::analytics::Plan },
    /// A CSV file with bad rows (or one that is no CSV text): every fault is listed.
    #[error("csv refused: {} faults", rows.len())]
    CsvRefused {
        encoding: Option<madoguchi_types::extensions::CsvEncoding>,
        rows: Vec<crate::extensions::csv::RowFault>,
    },
    /// A JSON batch of records with bad ones: every fault is listed (as for a CSV file,
    /// the line being the record's place in the batch).
    #[error("batch refused: {} faults", .0.len())]
    BatchRefused(Vec<crate::extensions::csv::RowFault>),
    /// Two requests changed the same rows at the same moment and the database stopped one
    /// (a deadlock or a serialization failure): nothing of it was applied; send it again.
    #[error("concurrent change")]
    ConcurrentChange,
    /// A `Range` outside the file of `size` bytes.
    #[error("range not satisfiable")]
    RangeNotSatisfiable { size: u64 },
    /// An inbound mail that cannot become a reply.
    #[error("inbound mail refused: {0:?}")]
    MailRefused(MailRefusal),
    /// Too many requests of this kind (for this target); try again after the given seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    /// The body is not of the media type this endpoint reads (`expected`).
    #[error("unsupported media type, expected {expected}")]
    UnsupportedMediaType { expected: &'static str },
    /// The database cannot be reached right now.
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    /// A bug or an unexpected failure: logged with its cause, never shown to the client.
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
}

/// A limit of SPEC §8.2 (seed 003 §5.1, §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupLimit {
    /// 4096 pickup groups per site.
    PickupGroups,
    /// 10000 hunting groups per site.
    HuntingGroups,
    /// 64 members per group.
    Members,
}

impl GroupLimit {
    pub fn max(self) -> usize {
        use madoguchi_types::groups::{MAX_GROUP_MEMBERS, MAX_HUNTING_GROUPS, MAX_PICKUP_GROUPS};
        match self {
            Self::PickupGroups => MAX_PICKUP_GROUPS,
            Self::HuntingGroups => MAX_HUNTING_GROUPS,
            Self::Members => MAX_GROUP_MEMBERS,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::PickupGroups => "pickup_group_limit",
            Self::HuntingGroups => "hunting_group_limit",
            Self::Members => "member_limit",
        }
    }

    fn detail(self, lang: Lang) -> String {
        let max = self.max();
        match (self, lang) {
            (Self::PickupGroups, Lang::Ja) => {
                format!("ピックアップグループは1拠点につき最大{max}グループまで登録可能です。")
            }
            (Self::PickupGroups, Lang::En) => format!("A site holds at most {max} pickup groups."),
            (Self::HuntingGroups, Lang::Ja) => {
                format!("コールハンティンググループは1拠点につき最大{max}グループまで登録可能です。")
            }
            (Self::HuntingGroups, Lang::En) => format!("A site holds at most {max} hunting groups."),
            (Self::Members, Lang::Ja) => format!("1つのグループに対し最大{max}内線番号まで登録が可能です。"),
            (Self::Members, Lang::En) => format!("A group holds at most {max} extensions."),
        }
    }
}

/// Why an inbound mail was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailRefusal {
    /// Not a readable RFC 5322 message with a sender.
    NotAMessage,
    /// No `[T-000123]` in the subject nor our message ids in its references, or no such
    /// ticket.
    NoTicket,
    /// The sender is neither the ticket's reporter nor on its CC list.
    SenderNotAllowed,
    /// Nothing new above the quoted history.
    NoText,
}

impl MailRefusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAMessage => "not_a_message",
            Self::NoTicket => "no_ticket",
            Self::SenderNotAllowed => "sender_not_allowed",
            Self::NoText => "no_text",
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        match self {
            Self::NotAMessage => lang.pick("メールとして読み取れません。", "Not a readable mail."),
            Self::NoTicket => lang.pick(
                "件名にチケットID（[T-000123]）がなく、どのチケットへの返信か分かりません。",
                "No ticket id ([T-000123]) in the subject: the mail answers no ticket.",
            ),
            Self::SenderNotAllowed => lang.pick(
                "差出人はこのチケットの起票者でもCCの宛先でもありません。",
                "The sender is neither the ticket's reporter nor on its CC list.",
            ),
            Self::NoText => lang.pick("返信の本文がありません。", "The reply has no text."),
        }
    }
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, reason: Invalid) -> Self {
        Self::Validation(vec![FieldViolation::new(field, reason)])
    }

    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    pub fn database_unavailable(error: impl fmt::Display) -> Self {
        Self::DatabaseUnavailable(error.to_string())
    }

    /// The stable machine code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::MalformedBody(_) => "malformed_body",
            Self::MalformedParameter(_) => "malformed_parameter",
            Self::NotFound => "not_found",
            Self::Conflict { .. } => "conflict",
            Self::QuoteAnswered(_) => "quote_answered",
            Self::Auth(error) => error.code(),
            Self::Forbidden => "forbidden",
            Self::SessionRequired => "session_required",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::IllegalTransition { .. } => "illegal_transition",
            Self::PreconditionRequired => "precondition_required",
            Self::PreconditionFailed => "stale_version",
            Self::OffsetMismatch { .. } => "offset_mismatch",
            Self::MinimumUsagePeriod { .. } => "minimum_usage_period",
            Self::InGroups { .. } => "in_groups",
            Self::LimitReached(limit) => limit.code(),
            Self::InHuntingGroup { .. } => "in_hunting_group",
            Self::RepresentativeTaken { .. } => "representative_taken",
            Self::CodeConflicts(_) => "code_conflict",
            Self::CdrGrantRequired => "cdr_grant_required",
            Self::PlanRequired { plan } => match plan {
                madoguchi_types::analytics::Plan::Free => "free_plan_required",
                madoguchi_types::analytics::Plan::Standard => "standard_plan_required",
            },
            Self::CsvRefused { .. } => "csv_refused",
            Self::BatchRefused(_) => "batch_refused",
            Self::ConcurrentChange => "concurrent_change",
            Self::RangeNotSatisfiable { .. } => "range_not_satisfiable",
            Self::MailRefused(_) => "mail_refused",
            Self::UnsupportedMediaType { .. } => "unsupported_media_type",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::DatabaseUnavailable(_) => "database_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }

    fn title(&self, lang: Lang) -> &'static str {
        match self {
            Self::Validation(_) => lang.pick("入力内容に誤りがあります", "Some fields are invalid"),
            Self::MalformedBody(_) => {
                lang.pick("リクエストの形式が正しくありません", "Malformed request body")
            }
            Self::MalformedParameter(_) => {
                lang.pick("パラメータの形式が正しくありません", "Malformed parameter")
            }
            Self::NotFound => lang.pick("見つかりません", "Not found"),
            Self::Conflict { .. } => lang.pick("既に登録されています", "Already registered"),
            Self::QuoteAnswered(_) => {
                lang.pick("このお見積りには回答済みです", "This quote has been answered")
            }
            Self::Auth(error) => error.title(lang),
            Self::Forbidden => lang.pick("この操作を行う権限がありません", "You are not allowed to do this"),
            Self::SessionRequired => lang.pick(
                "この操作はログインした状態で行ってください",
                "Sign in to do this (an API token cannot)",
            ),
            Self::MethodNotAllowed(_) => lang.pick("このメソッドは使用できません", "Method not allowed"),
            Self::PayloadTooLarge => lang.pick("データが大きすぎます", "Payload too large"),
            Self::IllegalTransition { .. } => {
                lang.pick("この状態には変更できません", "The status cannot change to this")
            }
            Self::PreconditionRequired => lang.pick(
                "更新するバージョンを指定してください",
                "Name the version you change (If-Match)",
            ),
            Self::PreconditionFailed => {
                lang.pick("他の利用者が先に更新しました", "Someone else changed it first")
            }
            Self::OffsetMismatch { .. } => lang.pick(
                "アップロードの再開位置が違います",
                "The upload resumes at another offset",
            ),
            Self::RangeNotSatisfiable { .. } => {
                lang.pick("指定の範囲はファイルの外です", "The range is outside the file")
            }
            Self::InGroups { .. } => lang.pick(
                "グループに所属している内線は削除できません",
                "The extension belongs to groups",
            ),
            Self::LimitReached(_) => lang.pick("登録できる上限に達しています", "The limit is reached"),
            Self::InHuntingGroup { .. } => lang.pick(
                "他のコールハンティンググループに登録されている内線番号です",
                "The extension is in another hunting group",
            ),
            Self::RepresentativeTaken { .. } => lang.pick(
                "他のコールハンティンググループの代表内線番号です",
                "The extension represents another hunting group",
            ),
            Self::CodeConflicts(_) => lang.pick(
                "他の番号と前方一致しています",
                "Overlaps another number the PBX dials",
            ),
            Self::CdrGrantRequired => lang.pick(
                "通信履歴の参照には秘密の質問の回答が必要です",
                "Answer the secret question to read call records",
            ),
            Self::PlanRequired { .. } => lang.pick(
                "ご契約のプランではご利用いただけません",
                "Not part of the subscription's plan",
            ),
            Self::MinimumUsagePeriod { .. } => lang.pick(
                "最低利用期間内のため削除できません",
                "The line is within its minimum usage period",
            ),
            Self::MailRefused(_) => lang.pick("メールを受け付けられません", "The mail was refused"),
            Self::CsvRefused { .. } => lang.pick("CSVファイルに誤りがあります", "The CSV file has errors"),
            Self::BatchRefused(_) => lang.pick("送信されたレコードに誤りがあります", "The batch has errors"),
            Self::ConcurrentChange => lang.pick(
                "他の操作と同時に実行されたため、処理できませんでした",
                "Another change ran at the same moment",
            ),
            Self::UnsupportedMediaType { .. } => {
                lang.pick("このデータ形式には対応していません", "Unsupported media type")
            }
            Self::TooManyRequests { .. } => lang.pick("リクエストが多すぎます", "Too many requests"),
            Self::DatabaseUnavailable(_) => lang.pick(
                "ただいまサービスをご利用いただけません",
                "The service is temporarily unavailable",
            ),
            Self::Internal(_) => lang.pick("システムエラーが発生しました", "Internal server error"),
        }
    }

    fn detail(&self, lang: Lang) -> Option<String> {
        match self {
            Self::Validation(_) => Some(
                lang.pick("各項目のエラーを確認してください。", "Check the errors of each field.")
                    .to_owned(),
            ),
            // serde's messages are English only; they name the line, column and expected type.
            Self::MalformedBody(reason) | Self::MalformedParameter(reason) => Some(reason.clone()),
            Self::Conflict { field } => Some(match lang {
                Lang::Ja => format!("{field} は既に使用されています。"),
                Lang::En => format!("{field} is already in use."),
            }),
            Self::QuoteAnswered(state) => {
                use madoguchi_types::documents::QuoteState as Q;
                Some(
                    match (state, lang) {
                        (Q::Ordered, Lang::Ja) => "このお見積りは発注済みです。",
                        (Q::Ordered, Lang::En) => "The quote has been ordered.",
                        (Q::RequoteRequested, Lang::Ja) => "このお見積りは再見積を依頼済みです。新しいお見積りをお待ちください。",
                        (Q::RequoteRequested, Lang::En) => "A re-quote was asked for; a new quote will follow.",
                        (Q::Superseded, Lang::Ja) => "このお見積りは新しいお見積りに置き換えられました。",
                        (Q::Superseded, Lang::En) => "A newer quote replaces this one.",
                        (Q::Unanswered, Lang::Ja) => "このお見積りは回答待ちです。",
                        (Q::Unanswered, Lang::En) => "The quote waits for an answer.",
                    }
                    .to_owned(),
                )
            }
            Self::DatabaseUnavailable(_) => Some(
                lang.pick(
                    "しばらく時間をおいてから再度お試しください。",
                    "Please try again in a few moments.",
                )
                .to_owned(),
            ),
            Self::Internal(_) => Some(
                lang.pick(
                    "お手数ですが、時間をおいて再度お試しください。解決しない場合はリクエストIDを添えてお問い合わせください。",
                    "Please try again later. If the problem persists, contact us with the request id.",
                )
                .to_owned(),
            ),
            Self::Auth(error) => error.detail(lang),
            Self::MethodNotAllowed(allowed) => Some(match lang {
                Lang::Ja => format!("使用できるメソッド: {}", allowed.join(", ")),
                Lang::En => format!("Allowed methods: {}", allowed.join(", ")),
            }),
            Self::UnsupportedMediaType { expected } => Some(match lang {
                Lang::Ja => format!("Content-Type: {expected} で送信してください。"),
                Lang::En => format!("Send Content-Type: {expected}."),
            }),
            Self::TooManyRequests { retry_after_secs } => Some(match lang {
                Lang::Ja => format!("{retry_after_secs}秒後に再度お試しください。"),
                Lang::En => format!("Try again in {retry_after_secs} seconds."),
            }),
            Self::IllegalTransition { from, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|status| status.as_str()).collect();
                Some(match lang {
                    Lang::Ja => format!(
                        "現在の状態（{from}）から変更できる状態: {}",
                        if allowed.is_empty() { "なし".to_owned() } else { allowed.join(", ") }
                    ),
                    Lang::En => format!(
                        "From its status ({from}) it can move to: {}",
                        if allowed.is_empty() { "nothing".to_owned() } else { allowed.join(", ") }
                    ),
                })
            }
            Self::PreconditionRequired => Some(
                lang.pick(
                    "If-Match ヘッダーに、読み込んだときの ETag を指定してください。",
                    "Send the ETag you read in an If-Match header.",
                )
                .to_owned(),
            ),
            Self::PreconditionFailed => Some(
                lang.pick(
                    "最新の内容を読み込み直してから、もう一度操作してください。",
                    "Read the latest version and try again.",
                )
                .to_owned(),
            ),
            Self::OffsetMismatch { offset } => Some(match lang {
                Lang::Ja => format!("サーバーは {offset} バイトまで受け取っています。そこから再開してください。"),
                Lang::En => format!("The server has {offset} bytes: resume from there."),
            }),
            Self::InGroups { groups } => Some(match lang {
                Lang::Ja => format!(
                    "所属グループ: {}。グループから外すか、強制削除（force=true）してください。",
                    groups.join("、")
                ),
                Lang::En => format!(
                    "Groups: {}. Remove it from them, or delete with force=true.",
                    groups.join(", ")
                ),
            }),
            Self::LimitReached(limit) => Some(limit.detail(lang)),
            Self::PlanRequired { plan } => Some(match lang {
                Lang::Ja => format!("{}でご利用いただけます。プラン変更後もデータは引き継がれます。", plan.label(lang)),
                Lang::En => format!("The {} shows it; a plan change keeps the data.", plan.label(lang)),
            }),
            Self::CdrGrantRequired => Some(
                lang.pick(
                    "秘密の質問に回答して得た認証（X-CDR-Grant、有効期限15分）を指定してください。",
                    "Send the grant the answer gave (X-CDR-Grant, valid 15 minutes).",
                )
                .to_owned(),
            ),
            Self::InHuntingGroup { extension, group } => Some(match lang {
                Lang::Ja => format!(
                    "内線番号 {extension} はコールハンティンググループ {group} に登録されています。1つの内線番号を複数のハンティンググループに登録することはできません。"
                ),
                Lang::En => format!(
                    "Extension {extension} is in hunting group {group}: an extension is in one hunting group at most."
                ),
            }),
            Self::RepresentativeTaken { extension, group } => Some(match lang {
                Lang::Ja => format!(
                    "内線番号 {extension} はコールハンティンググループ {group} の代表内線番号です。"
                ),
                Lang::En => format!("Extension {extension} represents hunting group {group}."),
            }),
            Self::CodeConflicts(overlaps) => Some(
                overlaps
                    .iter()
                    .map(|overlap| overlap.message(lang))
                    .collect::<Vec<_>>()
                    .join(lang.pick("。", " ")),
            ),
            Self::MinimumUsagePeriod { deletable_from } => Some(match lang {
                Lang::Ja => format!(
                    "登録完了後30日以内は削除できません。{deletable_from} 以降に削除できます。"
                ),
                Lang::En => format!(
                    "A line cannot be deleted within 30 days of its registration: it can be from {deletable_from}."
                ),
            }),
            Self::RangeNotSatisfiable { size } => Some(match lang {
                Lang::Ja => format!("ファイルは {size} バイトです。"),
                Lang::En => format!("The file has {size} bytes."),
            }),
            Self::MailRefused(reason) => Some(reason.message(lang).to_owned()),
            Self::ConcurrentChange => Some(
                lang.pick(
                    "何も変更されていません。もう一度お試しください。",
                    "Nothing was changed: please try again.",
                )
                .to_owned(),
            ),
            Self::BatchRefused(rows) => Some(match lang {
                Lang::Ja => format!(
                    "{}件の誤りがあります（`rows` に何件目か・列・理由）。何も登録されていません。すべて修正してから、もう一度送信してください。",
                    rows.len()
                ),
                Lang::En => format!(
                    "{} errors (record, column and reason in `rows`). Nothing was stored: fix them all and send the batch again.",
                    rows.len()
                ),
            }),
            Self::CsvRefused { rows, .. } => Some(match lang {
                Lang::Ja => format!(
                    "{}件の誤りがあります（`rows` に行・列・理由）。ファイルは登録されていません。すべて修正してから、もう一度指定してください。",
                    rows.len()
                ),
                Lang::En => format!(
                    "{} errors (line, column and reason in `rows`). Nothing was applied: fix them all and send the file again.",
                    rows.len()
                ),
            }),
            Self::NotFound | Self::PayloadTooLarge | Self::Forbidden | Self::SessionRequired => None,
        }
    }

    fn field_errors(&self, lang: Lang) -> Vec<FieldError> {
        match self {
            Self::Validation(violations) => violations
                .iter()
                .map(|violation| FieldError {
                    field: violation.field.clone(),
                    code: violation.reason.code().to_owned(),
                    message: violation.reason.message(lang),
                })
                .collect(),
            Self::Conflict { field } => vec![FieldError {
                field: field.clone(),
                code: "taken".to_owned(),
                message: Invalid::Taken.message(lang),
            }],
            Self::CodeConflicts(overlaps) => overlaps
                .iter()
                .map(|overlap| FieldError {
                    field: overlap.field.clone(),
                    code: "code_conflict".to_owned(),
                    message: overlap.message(lang),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The problem document for this error, in `lang`.
    pub fn problem(&self, lang: Lang) -> Problem {
        Problem {
            problem_type: problem_type(self.code()),
            title: self.title(lang).to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(lang),
            instance: None,
            code: self.code().to_owned(),
            errors: self.field_errors(lang),
            allowed: match self {
                Self::IllegalTransition { allowed, .. } => {
                    allowed.iter().map(|status| status.as_str().to_owned()).collect()
                }
                _ => Vec::new(),
            },
            groups: match self {
                Self::InGroups { groups } => groups.clone(),
                Self::InHuntingGroup { group, .. } | Self::RepresentativeTaken { group, .. } => {
                    vec![group.clone()]
                }
                _ => Vec::new(),
            },
            offset: match self {
                Self::OffsetMismatch { offset } => Some(*offset),
                _ => None,
            },
            reason: match self {
                Self::MailRefused(reason) => Some(reason.code().to_owned()),
                _ => None,
            },
            deletable_from: match self {
                Self::MinimumUsagePeriod { deletable_from } => Some(*deletable_from),
                _ => None,
            },
            rows: match self {
                Self::CsvRefused { rows, .. } | Self::BatchRefused(rows) => {
                    rows.iter().map(|row| row.dto(lang)).collect()
                }
                _ => Vec::new(),
            },
            encoding: match self {
                Self::CsvRefused { encoding, .. } => *encoding,
                _ => None,
            },
            limit: match self {
                Self::LimitReached(limit) => i64::try_from(limit.max()).ok(),
                _ => None,
            },
            conflicts: match self {
                Self::CodeConflicts(overlaps) => overlaps.iter().map(|overlap| overlap.dto(lang)).collect(),
                _ => Vec::new(),
            },
            request_id: None,
        }
    }
}

/// Why a caller could not be authenticated, or a link or code could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// Unknown login ID, wrong password, locked or disabled account: one answer for all,
    /// so that nobody learns which login IDs exist.
    InvalidCredentials,
    /// No usable access token or API token.
    Unauthenticated,
    /// No request for 30 minutes.
    SessionExpired,
    RefreshTokenInvalid,
    OtpIncorrect {
        remaining_tries: i32,
    },
    OtpExpired,
    /// Five wrong codes: the code is void; sign in again.
    OtpExhausted,
    /// Unknown or already used challenge.
    OtpInvalid,
    TwoFactorReleaseRefused,
    LinkInvalid,
    LinkExpired,
    LinkUsed,
}

impl AuthError {
    fn code(&self) -> &'static str {
        match self {
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthenticated => "unauthenticated",
            Self::SessionExpired => "session_expired",
            Self::RefreshTokenInvalid => "refresh_token_invalid",
            Self::OtpIncorrect { .. } => "otp_incorrect",
            Self::OtpExpired => "otp_expired",
            Self::OtpExhausted => "otp_exhausted",
            Self::OtpInvalid => "otp_invalid",
            Self::TwoFactorReleaseRefused => "two_factor_release_refused",
            Self::LinkInvalid => "link_invalid",
            Self::LinkExpired => "link_expired",
            Self::LinkUsed => "link_used",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::LinkInvalid => StatusCode::NOT_FOUND,
            Self::LinkExpired | Self::LinkUsed => StatusCode::GONE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    fn title(&self, lang: Lang) -> &'static str {
        match self {
            Self::InvalidCredentials => lang.pick(
                "ログインIDまたはパスワードが正しくありません",
                "The login ID or password is incorrect",
            ),
            Self::Unauthenticated => lang.pick("ログインしてください", "Please sign in"),
            Self::SessionExpired => lang.pick(
                "一定時間操作がなかったため、ログアウトしました",
                "You were signed out after a period of inactivity",
            ),
            Self::RefreshTokenInvalid => lang.pick("再度ログインしてください", "Please sign in again"),
            Self::OtpIncorrect { .. } => lang.pick(
                "ワンタイムパスワードが正しくありません",
                "The one-time password is incorrect",
            ),
            Self::OtpExpired => lang.pick(
                "ワンタイムパスワードの有効期限が切れています",
                "The one-time password has expired",
            ),
            Self::OtpExhausted => lang.pick(
                "入力を5回間違えたため、ワンタイムパスワードは無効になりました",
                "The one-time password is void after 5 wrong tries",
            ),
            Self::OtpInvalid => lang.pick(
                "ワンタイムパスワードは無効です",
                "The one-time password is not valid",
            ),
            Self::TwoFactorReleaseRefused => lang.pick(
                "入力内容がご登録の情報と一致しません",
                "The details do not match our records",
            ),
            Self::LinkInvalid => lang.pick("URLが正しくありません", "This link is not valid"),
            Self::LinkExpired => lang.pick("URLの有効期限が切れています", "This link has expired"),
            Self::LinkUsed => lang.pick("このURLは既に使用されています", "This link has already been used"),
        }
    }

    fn detail(&self, lang: Lang) -> Option<String> {
        match self {
            Self::InvalidCredentials => Some(
                lang.pick(
                    "4回続けて間違えるとアカウントは60分間ロックされ、ご登録のメールアドレスにお知らせが届きます。ロック中は正しいパスワードでもログインできません。お急ぎの場合は、貴社のユーザー管理者にロック解除をご依頼ください。",
                    "After 4 wrong passwords in a row the account is locked for 60 minutes and a notice is mailed; while it is locked, even the right password is refused. Your organization's user administrator can unlock it sooner.",
                )
                .to_owned(),
            ),
            Self::OtpIncorrect { remaining_tries } => Some(match lang {
                Lang::Ja => format!("あと{remaining_tries}回間違えると無効になります。"),
                Lang::En => format!("{remaining_tries} more wrong tries void the code."),
            }),
            Self::OtpExpired | Self::OtpExhausted | Self::OtpInvalid => Some(
                lang.pick("最初から手続きをやり直してください。", "Please start over.")
                    .to_owned(),
            ),
            Self::LinkExpired => Some(
                lang.pick(
                    "お手数ですが、最初からお手続きをやり直してください。",
                    "Please start the procedure again.",
                )
                .to_owned(),
            ),
            _ => None,
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        Self::Auth(error)
    }
}

fn problem_type(code: &str) -> String {
    format!("urn:madoguchi:problem:{code}")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MalformedBody(_) | Self::MalformedParameter(_) => StatusCode::BAD_REQUEST,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Conflict { .. }
            | Self::QuoteAnswered(_)
            | Self::IllegalTransition { .. }
            | Self::OffsetMismatch { .. }
            | Self::MinimumUsagePeriod { .. }
            | Self::InGroups { .. }
            | Self::LimitReached(_)
            | Self::InHuntingGroup { .. }
            | Self::RepresentativeTaken { .. }
            | Self::CodeConflicts(_)
            | Self::ConcurrentChange => StatusCode::CONFLICT,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::RangeNotSatisfiable { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::MailRefused(_) | Self::CsvRefused { .. } | Self::BatchRefused(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::Auth(error) => error.status(),
            Self::Forbidden | Self::SessionRequired | Self::CdrGrantRequired | Self::PlanRequired { .. } => {
                StatusCode::FORBIDDEN
            }
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Renders in Japanese; [`problem_details`] re-renders in the request's language.
    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            Self::DatabaseUnavailable(cause) => tracing::warn!(%cause, "database unavailable"),
            _ => {}
        }
        let mut response = problem_response(&self.problem(Lang::default()));
        if let Self::MethodNotAllowed(allowed) = self
            && let Ok(value) = HeaderValue::from_str(&allowed.join(", "))
        {
            response.headers_mut().insert(ALLOW, value);
        }
        if let Self::RangeNotSatisfiable { size } = self
            && let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}"))
        {
            response.headers_mut().insert(CONTENT_RANGE, value);
        }
        if let Self::OffsetMismatch { offset } = self {
            response.headers_mut().insert(
                HeaderName::from_static("upload-offset"),
                HeaderValue::from(*offset),
            );
        }
        if let Self::TooManyRequests { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}

fn problem_response(problem: &Problem) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    response.insert_header((CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE)));
    if status == StatusCode::UNAUTHORIZED {
        response.insert_header((WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    response.json(problem)
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => Self::Conflict {
                field: unique_violation_field(info.constraint_name(), info.message()),
            },
            // PostgreSQL stopped one of two transactions that waited for each other's rows.
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => Self::ConcurrentChange,
            Error::DatabaseError(_, info) if info.message().starts_with("deadlock detected") => {
                Self::ConcurrentChange
            }
            // The database went away under a pooled connection (a restart): 503, like an
            // unreachable one; the pool replaces the connection at its next check.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => Self::database_unavailable(info.message()),
            other => Self::internal(other),
        }
    }
}

/// The column behind a unique violation. PostgreSQL names the constraint (our migrations
/// name them `<table>_<column>_key`); SQLite says `UNIQUE constraint failed: table.column`.
fn unique_violation_field(constraint: Option<&str>, message: &str) -> String {
    if let Some(columns) = message.strip_prefix("UNIQUE constraint failed: ") {
        let last = columns.split(", ").last().unwrap_or(columns);
        return last.rsplit('.').next().unwrap_or(last).to_owned();
    }
    const TABLES: [&str; 7] = [
        "product_makers_",
        "product_series_",
        "organizations_",
        "contracts_",
        "contract_emails_",
        "accounts_",
        "sessions_",
    ];
    constraint
        .map(|name| {
            let name = name.strip_suffix("_key").unwrap_or(name);
            let name = TABLES
                .iter()
                .find_map(|table| name.strip_prefix(table))
                .unwrap_or(name);
            name.rsplit_once("_id_")
                .map_or(name, |(_, column)| column)
                .to_owned()
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Renders every error answer as problem details in the request's language, with the
/// request path and id.
pub async fn problem_details(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = crate::i18n::of_request(&req);
    let response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        // An error raised by inner middleware never reached a handler.
        Err(error) => return Err(error),
    };
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let mut problem = match response.response().error() {
        Some(error) => match error.as_error::<ApiError>() {
            Some(api_error) => api_error.problem(lang),
            None => generic_problem(status, lang),
        },
        None if is_problem(&response) => return Ok(response),
        None => generic_problem(status, lang),
    };
    let request = response.request().clone();
    problem.instance = Some(request.path().to_owned());
    problem.request_id = request_id(&request);
    let mut rendered = problem_response(&problem);
    // Keep what the original answer said besides its body (Retry-After, WWW-Authenticate…).
    for (name, value) in response.headers() {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(response.into_response(rendered))
}

fn is_problem(response: &ServiceResponse<BoxBody>) -> bool {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with(PROBLEM_CONTENT_TYPE))
}

fn request_id(request: &HttpRequest) -> Option<String> {
    request.extensions().get::<RequestId>().map(ToString::to_string)
}

/// A problem for an error answer that did not come from an [`ApiError`] (actix's own).
fn generic_problem(status: StatusCode, lang: Lang) -> Problem {
    let (code, ja, en) = match status {
        StatusCode::NOT_FOUND => ("not_found", "見つかりません", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "このメソッドは使用できません",
            "Method not allowed",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "データが大きすぎます", "Payload too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "このデータ形式には対応していません",
            "Unsupported media type",
        ),
        StatusCode::TOO_MANY_REQUESTS => ("too_many_requests", "リクエストが多すぎます", "Too many requests"),
        status if status.is_server_error() => (
            "internal_error",
            "システムエラーが発生しました",
            "Internal server error",
        ),
        _ => ("bad_request", "リクエストが正しくありません", "Bad request"),
    };
    Problem {
        problem_type: problem_type(code),
        title: lang.pick(ja, en).to_owned(),
        status: status.as_u16(),
        detail: None,
        instance: None,
        code: code.to_owned(),
        errors: Vec::new(),
        allowed: Vec::new(),
        offset: None,
        reason: None,
        deletable_from: None,
        groups: Vec::new(),
        rows: Vec::new(),
        encoding: None,
        limit: None,
        conflicts: Vec::new(),
        request_id: None,
    }
}

/// Turns actix's JSON extractor errors into [`ApiError`]s.
pub fn json_error(error: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError;
    match error {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::PayloadTooLarge.into()
        }
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType {
            expected: "application/json",
        }
        .into(),
        JsonPayloadError::Deserialize(error) => ApiError::MalformedBody(error.to_string()).into(),
        other => ApiError::MalformedBody(other.to_string()).into(),
    }
}

pub fn path_error(error: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::MalformedParameter(error.to_string()).into()
}

pub fn query_error(error: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::MalformedParameter(error.to_string()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_name_the_column_on_both_backends() {
        assert_eq!(
            unique_violation_field(None, "UNIQUE constraint failed: accounts.login_id"),
            "login_id"
        );
        assert_eq!(
            unique_violation_field(Some("accounts_login_id_key"), "duplicate key value"),
            "login_id"
        );
        assert_eq!(
            unique_violation_field(Some("organizations_customer_number_key"), "duplicate"),
            "customer_number"
        );
        assert_eq!(
            unique_violation_field(Some("product_makers_name_key"), "duplicate"),
            "name"
        );
        assert_eq!(
            unique_violation_field(Some("product_series_name_key"), "duplicate"),
            "name"
        );
        assert_eq!(
            unique_violation_field(Some("contract_emails_contract_id_email_key"), "duplicate"),
            "email"
        );
        assert_eq!(
            unique_violation_field(
                None,
                "UNIQUE constraint failed: contract_emails.contract_id, contract_emails.email"
            ),
            "email"
        );
    }

    #[test]
    fn validation_problem_lists_every_field_in_the_asked_language() {
        let error = ApiError::Validation(vec![
            FieldViolation::new("name", Invalid::Required),
            FieldViolation::new("login_id", Invalid::TooShort { min: 3 }),
        ]);
        let problem = error.problem(Lang::En);
        assert_eq!(problem.status, 422);
        assert_eq!(problem.code, "validation_failed");
        assert_eq!(problem.errors.len(), 2);
        assert_eq!(problem.errors[1].code, "too_short");
        assert!(problem.errors[1].message.contains('3'));
        let japanese = error.problem(Lang::Ja);
        assert_ne!(japanese.errors[0].message, problem.errors[0].message);
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let error = ApiError::internal(anyhow::anyhow!("password=hunter2 in connection string"));
        let body = serde_json::to_string(&error.problem(Lang::En)).expect("serializes");
        assert!(!body.contains("hunter2"));
        assert_eq!(error.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
