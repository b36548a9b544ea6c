//! Downloads of a report (SPEC §9, seed 000 §3): the chart as a PNG image, a PDF page, or a
//! PowerPoint deck. All three are drawn from the one chart definition ([`super::chart`]):
//! the SVG gets a header with the period and the filters, then `resvg` rasterizes it and
//! `svg2pdf` writes it as vector PDF with its text as text. The Japanese font ships with
//! the server (Noto Sans CJK JP, subset to JIS X 0208, SIL OFL), so a download looks the
//! same on every host and never loses its Japanese to a missing font.
//!
//! The deck is an Office Open XML package written here (no Rust crate writes one): a title
//! slide with the report's title, period and filters, the chart as an image, and the data
//! as native tables, a slide per 12 rows.

use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, LazyLock};

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, web};
use bytes::Bytes;
use chrono::TimeDelta;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::analytics::{DownloadFormat, PlanFeature, RenderedFile, Report, ReportKind};
use madoguchi_types::ids::{JobId, SubscriptionId};
use madoguchi_types::jobs::Job as JobDto;
use resvg::{tiny_skia, usvg};
use serde::{Deserialize, Serialize};
use utoipa_actix_web::service_config::ServiceConfig;

use super::chart;
use super::reports::{self, ReportQuery};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::error::ApiError;
use crate::i18n::{Lang, RequestLang};
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{self, JobError, JobKind, NewJob};
use crate::schema::jobs as jobs_table;
use crate::storage::Storage;

/// Noto Sans CJK JP Regular, subset (xtask/scripts/subset_font.py; licence beside it).
const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansJP-Subset.otf");
const FONT_FAMILY: &str = "Noto Sans CJK JP";
/// The header above the chart: period and filters.
const HEADER: f64 = 56.0;
/// Pixels per SVG unit in the PNG: sharp on a slide or a high-density screen.
const PNG_SCALE: f32 = 2.0;
/// Rows of the data per table slide.
const ROWS_PER_SLIDE: usize = 12;
/// The slide: 16:9, in EMU (914,400 per inch).
const SLIDE_WIDTH: i64 = 12_192_000;
const SLIDE_HEIGHT: i64 = 6_858_000;
const MARGIN: i64 = 457_200;
/// Decks of more table rows than this (ten table slides) are drawn by a job.
pub const INLINE_TABLE_ROWS: usize = 120;
/// Drawings one account may wait for at a time.
pub const DRAWINGS_PER_ACCOUNT: i64 = 3;
/// How long a file a job drew waits to be fetched.
pub const KEEP_RENDERED: TimeDelta = TimeDelta::days(1);
/// Where those files are kept, by job id.
const RENDERINGS: &str = "analytics/renderings";

/// The shipped font and nothing else: the host's fonts must not change a download.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(FONT.to_vec());
    fonts.set_sans_serif_family(FONT_FAMILY);
    Arc::new(fonts)
});

pub fn routes(config: &mut ServiceConfig) {
    config.service(download).service(rendered_file);
}

/// A report file, drawn while the request waits or by a job when it is large.
#[derive(Debug, Serialize, Deserialize)]
struct Rendering {
    report: Report,
    format: DownloadFormat,
    lang: Lang,
    file_name: String,
}

impl Rendering {
    /// Whether a job draws it: a deck of more than [`INLINE_TABLE_ROWS`] rows (a slide per
    /// 12). A chart, and so a PNG or a PDF page, is drawn in milliseconds whatever its data.
    fn is_large(&self) -> bool {
        self.format == DownloadFormat::Pptx && self.report.rows.len() > INLINE_TABLE_ROWS
    }

    /// Drawn off the server's threads (CPU work of milliseconds to a second).
    async fn draw(self) -> Result<(Vec<u8>, Self), ApiError> {
        web::block(move || render(&self.report, self.format, self.lang).map(|file| (file, self)))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)
    }
}

/// A report as a file: `png` (the chart), `pdf` (the chart as a vector page) or `pptx` (a
/// title slide, the chart, the table). The same filters as the report; the file shows the
/// report's title, the period and the filters used. A deck of more than 120 table rows
/// (ten table slides: the calls per minute of a whole day, say) is drawn by a job: the
/// answer is then 202 with the job (`GET /jobs/{id}` shows its progress; its result, a
/// `RenderedFile`, says where to fetch the file).
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("report" = ReportKind, Path, description = "Which report"),
        ("format" = DownloadFormat, Path, description = "png, pdf or pptx"),
        ReportQuery,
    ),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream", body = crate::uploads::FileBytes),
        (status = 202, description = "A large deck: the job that draws it (its result is a `RenderedFile`); the same request while that job is unfinished answers the same job", body = JobDto, headers(("Location" = String, description = "The job: `/api/v1/jobs/{id}`"))),
        (status = 429, description = "The caller waits for three other large decks already (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "A parameter of the wrong type, no such report or no such format", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No analytics right, or a report of the standard plan on the free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Filters refused, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/reports/{report}/download/{format}")]
pub async fn download(
    state: web::Data<AppState>,
    user: AuthUser,
    lang: RequestLang,
    path: web::Path<(SubscriptionId, ReportKind, DownloadFormat)>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let ((id, kind, format), lang) = (path.into_inner(), lang.0);
    let report = reports::load(
        &state,
        &user,
        lang,
        (id, kind),
        query.into_inner(),
        Some(PlanFeature::Downloads),
    )
    .await?;
    let file_name = format!(
        "{}_{}_{}.{}",
        kind.as_str(),
        report.filter.from,
        report.filter.to,
        format.extension()
    );
    let rendering = Rendering {
        report,
        format,
        lang,
        file_name,
    };
    if rendering.is_large() {
        let job = NewJob::new(JobKind::RenderReport, &rendering)
            .created_by(user.id(), user.organization_id())
            .max_attempts(3);
        let (asker, now) = (user.id(), state.clock.now_naive());
        let job = db::transaction(&state.pool, move |conn| queue_drawing(conn, asker, &job, now)).await?;
        return Ok(crate::jobs::routes::following(job, lang));
    }
    let (file, rendering) = rendering.draw().await?;
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(rendering.file_name)],
        })
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(file))
}

/// Queues the drawing, unless the asker waits for the same one already (that job is the
/// answer then) or for [`DRAWINGS_PER_ACCOUNT`] others: the queue is shared by everyone's
/// mail and imports, so one account cannot fill it.
fn queue_drawing(
    conn: &mut crate::db::DbConn,
    asker: crate::accounts::AccountId,
    job: &NewJob,
    now: chrono::NaiveDateTime,
) -> Result<jobs::Job, ApiError> {
    // The asker's requests are counted one after another: on PostgreSQL under the
    // account's row lock (SQLite's write transactions are one at a time already).
    if let crate::db::DbConn::Pg(pg) = conn {
        crate::schema::accounts::table
            .find(asker)
            .select(crate::schema::accounts::id)
            .for_update()
            .execute(pg)?;
    }
    let waiting: Vec<jobs::Job> = jobs_table::table
        .filter(jobs_table::kind.eq(JobKind::RenderReport))
        .filter(jobs_table::created_by.eq(asker))
        .filter(jobs_table::state.eq_any([jobs::JobState::Queued, jobs::JobState::Running]))
        .select(jobs::Job::as_select())
        .load(conn)?;
    let payload = job.payload.to_string();
    if let Some(same) = waiting.iter().find(|waiting| waiting.payload == payload) {
        return Ok(same.clone());
    }
    if i64::try_from(waiting.len()).unwrap_or(i64::MAX) >= DRAWINGS_PER_ACCOUNT {
        return Err(ApiError::TooManyRequests { retry_after_secs: 5 });
    }
    let id = jobs::enqueue(conn, job, now)?;
    jobs::find(conn, id)?.ok_or(ApiError::NotFound)
}

/// Where a job keeps the file it drew.
fn storage_key(job: JobId) -> String {
    format!("{RENDERINGS}/{job}")
}

/// A file a `render_report` job drew, for the account that asked for it, for a day.
#[utoipa::path(
    tag = "analytics",
    params(("id" = JobId, Path, description = "The job that drew it")),
    responses(
        (status = 200, description = "The file, as an attachment", content_type = "application/octet-stream", body = crate::uploads::FileBytes),
        (status = 403, description = "No analytics right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such drawing of the caller: another account's, not finished, failed, or deleted a day after it was drawn", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/downloads/{id}")]
pub async fn rendered_file(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<JobId>,
) -> Result<HttpResponse, ApiError> {
    user.require(crate::policy::Permission::Analytics)?;
    let id = id.into_inner();
    let job = db::run(&state.pool, move |conn| Ok(jobs::find(conn, id)?))
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = state.clock.now_naive();
    let ours = job.kind == JobKind::RenderReport
        && job.created_by == Some(user.id())
        && job.state == jobs::JobState::Done;
    let file = ours
        .then_some(job.result.as_deref())
        .flatten()
        .and_then(|result| serde_json::from_str::<RenderedFile>(result).ok())
        .filter(|file| file.expires_at.naive_utc() > now)
        .ok_or(ApiError::NotFound)?;
    crate::uploads::download(
        &state.storage,
        &storage_key(id),
        &file.file_name,
        file.format.media_type(),
        false,
    )
    .await
}

/// Registers the job that draws large downloads.
pub fn register_job(handlers: &mut Handlers, storage: Storage) {
    handlers.register(JobKind::RenderReport, move |context| {
        let storage = storage.clone();
        async move { render_job(context, storage).await }
    });
}

/// Draws, then stores: two steps of progress.
async fn render_job(context: JobContext, storage: Storage) -> Result<serde_json::Value, JobError> {
    let rendering: Rendering = context.job.payload()?;
    context.progress(0, Some(2)).await?;
    let (file, rendering) = rendering
        .draw()
        .await
        .map_err(|error| JobError::fatal(format!("drawing: {error}")))?;
    context.progress(1, Some(2)).await?;
    let size = i64::try_from(file.len()).unwrap_or(i64::MAX);
    let id = context.job.id;
    storage
        .put_bytes(&storage_key(id), Bytes::from(file))
        .await
        .map_err(|error| JobError::retryable(format!("storing: {error}")))?;
    context.progress(2, Some(2)).await?;
    let expires_at = (context.clock.now_naive() + KEEP_RENDERED).and_utc();
    let result = RenderedFile {
        format: rendering.format,
        file_name: rendering.file_name,
        size,
        href: format!("/api/v1/analytics/downloads/{id}"),
        expires_at,
    };
    serde_json::to_value(result).map_err(|error| JobError::fatal(error.to_string()))
}

/// Deletes files drawn more than a day ago, and those whose job is gone (their jobs stay a
/// while longer, for the record).
/// Returns how many were deleted.
pub async fn purge_rendered(context: &JobContext, storage: &Storage) -> Result<usize, JobError> {
    let keys = storage
        .keys(RENDERINGS)
        .await
        .map_err(|error| JobError::retryable(format!("listing drawn files: {error}")))?;
    let drawn: Vec<(String, JobId)> = keys
        .into_iter()
        .filter_map(|key| {
            let id = key.rsplit('/').next()?.parse::<JobId>().ok()?;
            Some((key, id))
        })
        .collect();
    let ids: Vec<JobId> = drawn.iter().map(|(_, id)| *id).collect();
    let cutoff = context.clock.now_naive() - KEEP_RENDERED;
    let fresh: Vec<JobId> = context
        .db(move |conn| {
            let mut fresh = Vec::new();
            for chunk in ids.chunks(500) {
                fresh.extend(
                    jobs_table::table
                        .filter(jobs_table::id.eq_any(chunk))
                        .filter(
                            jobs_table::finished_at
                                .is_null()
                                .or(jobs_table::finished_at.ge(cutoff)),
                        )
                        .select(jobs_table::id)
                        .load::<JobId>(conn)?,
                );
            }
            Ok(fresh)
        })
        .await?;
    let mut deleted = 0;
    for (key, id) in drawn {
        if fresh.contains(&id) {
            continue;
        }
        match storage.delete(&key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => deleted += 1,
            Err(error) => tracing::warn!(%key, %error, "a drawn file could not be deleted"),
        }
    }
    Ok(deleted)
}

/// Why a file could not be drawn (a defect of the chart definition, never the caller's).
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the chart is not valid SVG: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the PNG could not be drawn: {0}")]
    Png(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the deck could not be packed: {0}")]
    Pptx(#[from] zip::result::ZipError),
    #[error("the deck could not be written: {0}")]
    Io(#[from] std::io::Error),
}

/// The report as a file of the format.
pub fn render(report: &Report, format: DownloadFormat, lang: Lang) -> Result<Vec<u8>, RenderError> {
    match format {
        DownloadFormat::Png => png(&page(report, lang)),
        DownloadFormat::Pdf => pdf(&page(report, lang)),
        DownloadFormat::Pptx => pptx(report, lang),
    }
}

/// What the report counted, a line each: the period (and the compared one), the numbers,
/// the destinations, the weekdays and the hours.
pub fn filter_lines(report: &Report, lang: Lang) -> Vec<String> {
    let ja = lang == Lang::Ja;
    let filter = &report.filter;
    let mut lines = vec![format!(
        "{}: {} – {}",
        if ja { "期間" } else { "Period" },
        filter.from,
        filter.to
    )];
    if let (Some(from), Some(to)) = (filter.compare_from, filter.compare_to) {
        lines.push(format!(
            "{}: {from} – {to}",
            if ja { "比較期間" } else { "Compared with" }
        ));
    }
    let numbers = |numbers: &[String]| match numbers {
        [] => (if ja { "なし" } else { "none" }).to_owned(),
        few if few.len() <= 4 => few.join(", "),
        many => {
            let more = many.len() - 3;
            let shown = many[..3].join(", ");
            if ja {
                format!("{shown} ほか{more}件")
            } else {
                format!("{shown} and {more} more")
            }
        }
    };
    let mut conditions = vec![format!(
        "{}: {}",
        if ja { "番号" } else { "Numbers" },
        numbers(&filter.ans)
    )];
    if let Some(dns) = &filter.dns {
        conditions.push(format!(
            "{}: {}",
            if ja { "着信先" } else { "Destinations" },
            numbers(dns)
        ));
    }
    let days = if filter.weekdays.len() == 7 {
        (if ja { "すべて" } else { "all" }).to_owned()
    } else {
        let names: [&str; 7] = if ja {
            ["月", "火", "水", "木", "金", "土", "日"]
        } else {
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        };
        filter
            .weekdays
            .iter()
            .filter_map(|day| names.get(usize::from(*day).wrapping_sub(1)).copied())
            .collect::<Vec<_>>()
            .join(if ja { "・" } else { ", " })
    };
    conditions.push(format!("{}: {days}", if ja { "曜日" } else { "Weekdays" }));
    conditions.push(format!(
        "{}: {:02}:00 – {:02}:00",
        if ja { "時間帯" } else { "Hours" },
        filter.hour_from,
        filter.hour_to
    ));
    lines.push(conditions.join(" / "));
    lines
}

/// The chart under a header of the period and the filters: what the PNG and the PDF show.
fn page(report: &Report, lang: Lang) -> String {
    let drawn = chart::svg(report);
    let mut out = String::with_capacity(drawn.len() + 1024);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="'{FONT_FAMILY}', sans-serif" font-size="12"><rect width="100%" height="100%" fill="#ffffff"/>"##,
        w = chart::WIDTH,
        h = chart::HEIGHT + HEADER,
    );
    for (index, line) in filter_lines(report, lang).iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" fill="#333333">{}</text>"##,
            chart::LEFT,
            22.0 + 18.0 * index as f64,
            chart::escape(line)
        );
    }
    let _ = write!(out, r#"<g transform="translate(0 {HEADER})">{drawn}</g></svg>"#);
    out
}

fn tree(svg: &str) -> Result<usvg::Tree, RenderError> {
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    Ok(usvg::Tree::from_str(svg, &options)?)
}

/// The SVG as a PNG image, twice its size.
pub fn png(svg: &str) -> Result<Vec<u8>, RenderError> {
    let tree = tree(svg)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(PNG_SCALE)
        .ok_or_else(|| RenderError::Png("an empty chart".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| RenderError::Png(format!("no canvas of {size:?}")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|error| RenderError::Png(error.to_string()))
}

/// The SVG as a one-page PDF: vectors, and text as text (searchable, copyable).
pub fn pdf(svg: &str) -> Result<Vec<u8>, RenderError> {
    let tree = tree(svg)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|error| RenderError::Pdf(error.to_string()))
}

/// Text as XML content or attribute value.
fn xml(text: &str) -> String {
    chart::escape(text)
}

/// A figure as the table shows it: whole numbers grouped by thousands.
fn cell_figure(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        return format!("{value:.2}");
    }
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0.0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const GROUP: &str = r#"<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>"#;
const THEME: &str = include_str!("../../templates/pptx/theme1.xml");

/// A slide of the shapes given.
fn slide(shapes: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld {NS}><p:cSld><p:spTree>{GROUP}{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#
    )
}

/// A text box: one paragraph per line, at the size given (hundredths of a point).
fn text_box(id: u32, (x, y, cx, cy): (i64, i64, i64, i64), lines: &[(String, u32, bool)]) -> String {
    let mut paragraphs = String::new();
    for (text, size, bold) in lines {
        let _ = write!(
            paragraphs,
            r#"<a:p><a:r><a:rPr lang="ja-JP" sz="{size}" b="{}"/><a:t>{}</a:t></a:r></a:p>"#,
            u8::from(*bold),
            xml(text)
        );
    }
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="Text {id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr><p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{paragraphs}</p:txBody></p:sp>"#
    )
}

/// A table cell: text, right-aligned figures, the header row white on blue.
fn cell(text: &str, figure: bool, header: bool, size: u32) -> String {
    let align = if figure { r#"<a:pPr algn="r"/>"# } else { "" };
    let (colour, fill) = if header {
        (
            r#"<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>"#,
            r#"<a:solidFill><a:srgbClr val="1F5FA8"/></a:solidFill>"#,
        )
    } else {
        ("", "")
    };
    format!(
        r#"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{align}<a:r><a:rPr lang="ja-JP" sz="{size}" b="{}">{colour}</a:rPr><a:t>{}</a:t></a:r></a:p></a:txBody><a:tcPr>{fill}</a:tcPr></a:tc>"#,
        u8::from(header),
        xml(text)
    )
}

/// The rows given as a native table under the report's title.
fn table_slide(
    report: &Report,
    rows: &[madoguchi_types::analytics::ReportRow],
    part: (usize, usize),
) -> String {
    let columns = report.columns.len() + 1;
    let width = SLIDE_WIDTH - 2 * MARGIN;
    // The label column twice as wide as a figure's.
    let unit = width / (columns as i64 + 1);
    let size = if columns > 10 { 700 } else { 1100 };
    let row_height = 370_840;
    let mut grid = format!(r#"<a:gridCol w="{}"/>"#, width - unit * (columns as i64 - 1));
    for _ in 1..columns {
        let _ = write!(grid, r#"<a:gridCol w="{unit}"/>"#);
    }
    let mut body = format!(r#"<a:tr h="{row_height}">{}"#, cell("", false, true, size));
    for column in &report.columns {
        body.push_str(&cell(&column.label, true, true, size));
    }
    body.push_str("</a:tr>");
    for row in rows {
        let _ = write!(
            body,
            r#"<a:tr h="{row_height}">{}"#,
            cell(&row.label, false, false, size)
        );
        for value in &row.values {
            body.push_str(&cell(&cell_figure(*value), true, false, size));
        }
        body.push_str("</a:tr>");
    }
    let title = text_box(
        2,
        (MARGIN, 228_600, width, 600_000),
        &[(format!("{} ({}/{})", report.title, part.0, part.1), 2000, true)],
    );
    let height = row_height * (rows.len() as i64 + 1);
    slide(&format!(
        r#"{title}<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="3" name="Table"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{MARGIN}" y="914400"/><a:ext cx="{width}" cy="{height}"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>"#
    ))
}

/// The report as a PowerPoint deck: a title slide, the chart, the table.
pub fn pptx(report: &Report, lang: Lang) -> Result<Vec<u8>, RenderError> {
    let image = png(&chart::svg(report))?;
    let width = SLIDE_WIDTH - 2 * MARGIN;
    let mut slides = Vec::new();
    let mut details: Vec<(String, u32, bool)> = filter_lines(report, lang)
        .into_iter()
        .map(|line| (line, 1600, false))
        .collect();
    details.insert(0, (report.title.clone(), 3600, true));
    slides.push(slide(&text_box(
        2,
        (MARGIN, 2_057_400, width, 2_743_200),
        &details,
    )));
    // The chart keeps its proportions across the slide's width.
    let chart_height = (width as f64 * chart::HEIGHT / chart::WIDTH) as i64;
    slides.push(slide(&format!(
        r#"<p:pic><p:nvPicPr><p:cNvPr id="2" name="Chart" descr="{}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="{MARGIN}" y="{}"/><a:ext cx="{width}" cy="{chart_height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>"#,
        xml(&report.title),
        (SLIDE_HEIGHT - chart_height) / 2
    )));
    let parts: Vec<_> = report.rows.chunks(ROWS_PER_SLIDE).collect();
    for (index, rows) in parts.iter().enumerate() {
        slides.push(table_slide(report, rows, (index + 1, parts.len())));
    }
    package(report, &slides, &image)
}

/// The slides, the chart image (on slide 2) and the parts every deck has, zipped.
fn package(report: &Report, slides: &[String], image: &[u8]) -> Result<Vec<u8>, RenderError> {
    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;
    let xml_part = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let part = |zip: &mut zip::ZipWriter<_>, name: &str, text: &str| -> Result<(), RenderError> {
        zip.start_file(name, xml_part)?;
        zip.write_all(text.as_bytes())?;
        Ok(())
    };

    let mut overrides = String::new();
    for index in 1..=slides.len() {
        let _ = write!(
            overrides,
            r#"<Override PartName="/ppt/slides/slide{index}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>"#
        );
    }
    part(
        &mut zip,
        "[Content_Types].xml",
        &format!(
            r#"{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/><Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>{overrides}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
        ),
    )?;
    part(
        &mut zip,
        "_rels/.rels",
        &format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
        ),
    )?;
    part(
        &mut zip,
        "docProps/core.xml",
        &format!(
            r#"{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>Madoguchi</dc:creator></cp:coreProperties>"#,
            xml(&report.title)
        ),
    )?;
    part(
        &mut zip,
        "docProps/app.xml",
        &format!(
            r#"{head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Madoguchi</Application><Slides>{}</Slides></Properties>"#,
            slides.len()
        ),
    )?;

    let mut slide_ids = String::new();
    let mut slide_rels = String::new();
    for index in 1..=slides.len() {
        let _ = write!(
            slide_ids,
            r#"<p:sldId id="{}" r:id="rId{}"/>"#,
            255 + index,
            index + 2
        );
        let _ = write!(
            slide_rels,
            r#"<Relationship Id="rId{}" Type="{REL}/slide" Target="slides/slide{index}.xml"/>"#,
            index + 2
        );
    }
    part(
        &mut zip,
        "ppt/presentation.xml",
        &format!(
            r#"{head}<p:presentation {NS}><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>{slide_ids}</p:sldIdLst><p:sldSz cx="{SLIDE_WIDTH}" cy="{SLIDE_HEIGHT}"/><p:notesSz cx="{SLIDE_HEIGHT}" cy="9144000"/></p:presentation>"#
        ),
    )?;
    part(
        &mut zip,
        "ppt/_rels/presentation.xml.rels",
        &format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="theme/theme1.xml"/>{slide_rels}</Relationships>"#
        ),
    )?;
    part(
        &mut zip,
        "ppt/slideMasters/slideMaster1.xml",
        &format!(
            r#"{head}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>{GROUP}</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>"#
        ),
    )?;
    part(
        &mut zip,
        "ppt/slideMasters/_rels/slideMaster1.xml.rels",
        &format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="../theme/theme1.xml"/></Relationships>"#
        ),
    )?;
    part(
        &mut zip,
        "ppt/slideLayouts/slideLayout1.xml",
        &format!(
            r#"{head}<p:sldLayout {NS} type="blank" preserve="1"><p:cSld name="Blank"><p:spTree>{GROUP}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#
        ),
    )?;
    part(
        &mut zip,
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
        &format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="../slideMasters/slideMaster1.xml"/></Relationships>"#
        ),
    )?;
    part(&mut zip, "ppt/theme/theme1.xml", THEME)?;
    for (index, body) in slides.iter().enumerate() {
        let number = index + 1;
        part(&mut zip, &format!("ppt/slides/slide{number}.xml"), body)?;
        // Slide 2 shows the chart.
        let image_rel = if number == 2 {
            format!(r#"<Relationship Id="rId2" Type="{REL}/image" Target="../media/chart.png"/>"#)
        } else {
            String::new()
        };
        part(
            &mut zip,
            &format!("ppt/slides/_rels/slide{number}.xml.rels"),
            &format!(
                r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/>{image_rel}</Relationships>"#
            ),
        )?;
    }
    // A PNG is compressed already.
    zip.start_file("ppt/media/chart.png", stored)?;
    zip.write_all(image)?;
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_figures_are_grouped_by_thousands() {
        assert_eq!(cell_figure(0.0), "0");
        assert_eq!(cell_figure(999.0), "999");
        assert_eq!(cell_figure(1000.0), "1,000");
        assert_eq!(cell_figure(1_234_567.0), "1,234,567");
        assert_eq!(cell_figure(-12_345.0), "-12,345");
        assert_eq!(cell_figure(0.25), "0.25");
    }
}
