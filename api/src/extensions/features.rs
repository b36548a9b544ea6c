//! `/pbx-sites/{id}/feature-codes`: a site's feature codes (保留特番, ダイヤル確定特番,
//! プッシュ音送出特番) and push-tone settings (SPEC §8.3, seed 003 §5.2, §5.4, §5.5). No code
//! may equal or begin (or be begun by) another code, the park-hold code, the site number, a
//! gateway id or an extension number; every overlap is refused at once, each named. The
//! same rule refuses a new extension whose number overlaps a code.

use actix_web::{get, patch, post, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::features::{
    CodeCheck, CodeConflict, CodeItem, FeatureCodes, FeatureCodesUpdate, conflicts_among, hold_code_shape,
    special_code_shape,
};
use madoguchi_types::ids::SiteId;
use madoguchi_types::{FieldError, Lang};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SiteRow, find_site};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{extensions, pbx_sites};

/// Extensions named per overlapping code: enough to find them, not a site's worth.
const EXTENSIONS_NAMED: i64 = 5;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(get_feature_codes)
        .service(change_feature_codes)
        .service(check_feature_codes);
}

/// A number that overlaps another the PBX dials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub field: String,
    pub value: String,
    pub item: CodeItem,
    pub item_value: String,
}

fn item_name(item: CodeItem, lang: Lang) -> &'static str {
    match item {
        CodeItem::HoldCode => lang.pick("保留特番", "the hold code"),
        CodeItem::DialConfirmCode => lang.pick("ダイヤル確定特番", "the dial-confirm code"),
        CodeItem::PushToneSendCode => lang.pick("プッシュ音送出特番", "the push-tone send code"),
        CodeItem::ParkHoldCode => lang.pick("パーク保留特番", "the park-hold code"),
        CodeItem::SiteNumber => lang.pick("拠点番号", "the site number"),
        CodeItem::GatewayId => lang.pick("GW識別番号", "gateway id"),
        CodeItem::Extension => lang.pick("内線番号", "extension"),
    }
}

fn field_name(field: &str, lang: Lang) -> &'static str {
    match field {
        "hold_code" => item_name(CodeItem::HoldCode, lang),
        "dial_confirm_code" => item_name(CodeItem::DialConfirmCode, lang),
        "push_tone_send_code" => item_name(CodeItem::PushToneSendCode, lang),
        _ => item_name(CodeItem::Extension, lang),
    }
}

impl Overlap {
    pub fn message(&self, lang: Lang) -> String {
        let (field, value) = (field_name(&self.field, lang), &self.value);
        match lang {
            Lang::Ja => format!("{field}「{value}」が{}", self.against(lang)),
            Lang::En => {
                let mut field = field.to_owned();
                if let Some(first) = field.get(..1) {
                    field = first.to_uppercase() + &field[1..];
                }
                format!("{field} {value} {}", self.against(lang))
            }
        }
    }

    /// What the value overlaps, as the end of a sentence about it.
    pub fn against(&self, lang: Lang) -> String {
        let (item, item_value) = (item_name(self.item, lang), &self.item_value);
        match lang {
            Lang::Ja => format!("{item}「{item_value}」と前方一致しています"),
            Lang::En => format!("overlaps {item} {item_value} (equal, or one begins the other)"),
        }
    }

    pub fn dto(&self, lang: Lang) -> CodeConflict {
        CodeConflict {
            field: self.field.clone(),
            value: self.value.clone(),
            item: self.item,
            item_value: self.item_value.clone(),
            message: self.message(lang),
        }
    }
}

/// The codes set on a site, by the field that holds them.
fn codes(site: &SiteRow) -> Vec<(CodeItem, String)> {
    [
        (CodeItem::HoldCode, &site.hold_code),
        (CodeItem::DialConfirmCode, &site.dial_confirm_code),
        (CodeItem::PushToneSendCode, &site.push_tone_send_code),
    ]
    .into_iter()
    .filter_map(|(item, code)| code.clone().map(|code| (item, code)))
    .collect()
}

/// The codes a new extension number must not overlap: the feature codes set and the
/// park-hold code.
pub fn dialled_codes(site: &SiteRow) -> Vec<(CodeItem, String)> {
    let mut set = codes(site);
    set.push((CodeItem::ParkHoldCode, site.park_hold_code.clone()));
    set
}

/// The overlaps of a new extension number with the site's codes: the extension's own side
/// of the rule.
pub fn extension_overlaps(codes: &[(CodeItem, String)], number: &str, field: &str) -> Vec<Overlap> {
    codes
        .iter()
        .filter(|(_, code)| madoguchi_types::features::overlaps(number, code))
        .map(|(item, code)| Overlap {
            field: field.to_owned(),
            value: number.to_owned(),
            item: *item,
            item_value: code.clone(),
        })
        .collect()
}

/// Refuses a new extension number that overlaps a code of the site.
pub fn refuse_overlapping_extension(site: &SiteRow, number: &str) -> Result<(), ApiError> {
    let overlaps = extension_overlaps(&dialled_codes(site), number, "number");
    if overlaps.is_empty() {
        Ok(())
    } else {
        Err(ApiError::CodeConflicts(overlaps))
    }
}

/// Takes the site's row lock on PostgreSQL, so that changes of its codes, extensions and
/// groups (counted against limits, checked against each other) happen one after another.
/// SQLite's write transactions (`BEGIN IMMEDIATE`) are one at a time already.
pub fn lock_site(conn: &mut DbConn, site: SiteId) -> QueryResult<()> {
    match conn {
        DbConn::Pg(pg) => pbx_sites::table
            .find(site)
            .select(pbx_sites::id)
            .for_update()
            .execute(pg)
            .map(drop),
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// The codes a change leaves: `Some("")` deletes, absent keeps.
struct After {
    hold_code: Option<String>,
    dial_confirm_code: Option<String>,
    push_tone_send_code: Option<String>,
}

fn after(site: &SiteRow, update: &FeatureCodesUpdate) -> Result<After, ApiError> {
    let mut violations = Violations::default();
    let mut code = |field: &str, given: &Option<String>, current: &Option<String>, rule: fn(&str) -> _| {
        match given.as_deref() {
            None => current.clone(),
            // Only an empty value deletes: spaces alone are a mistyped code.
            Some("") => None,
            Some(value) if value.trim().is_empty() => violations
                .check(field, Err(Invalid::Format { expected: "0-9 * #" }))
                .map(|()| value.to_owned()),
            Some(value) => violations
                .check(field, rule(value.trim()))
                .map(|()| value.trim().to_owned()),
        }
    };
    let hold_code = code("hold_code", &update.hold_code, &site.hold_code, hold_code_shape);
    let dial_confirm_code = code(
        "dial_confirm_code",
        &update.dial_confirm_code,
        &site.dial_confirm_code,
        special_code_shape,
    );
    let push_tone_send_code = code(
        "push_tone_send_code",
        &update.push_tone_send_code,
        &site.push_tone_send_code,
        special_code_shape,
    );
    violations.finish()?;
    Ok(After {
        hold_code,
        dial_confirm_code,
        push_tone_send_code,
    })
}

/// Every overlap of the codes a change leaves, those of codes it does not touch included
/// (a code the site had before the rule was kept cannot hide behind an unrelated change).
fn overlaps(conn: &mut DbConn, site: &SiteRow, after: &After) -> QueryResult<Vec<Overlap>> {
    let set: Vec<(CodeItem, &str)> = [
        (CodeItem::HoldCode, after.hold_code.as_deref()),
        (CodeItem::DialConfirmCode, after.dial_confirm_code.as_deref()),
        (CodeItem::PushToneSendCode, after.push_tone_send_code.as_deref()),
    ]
    .into_iter()
    .filter_map(|(item, code)| code.map(|code| (item, code)))
    .collect();
    let gateways = site.gateway_list();
    let mut fixed = vec![
        (CodeItem::ParkHoldCode, site.park_hold_code.as_str()),
        (CodeItem::SiteNumber, site.site_number.as_str()),
    ];
    fixed.extend(gateways.iter().map(|id| (CodeItem::GatewayId, id.as_str())));
    let mut found: Vec<Overlap> = conflicts_among(&set, &fixed)
        .into_iter()
        .map(|(item, value, other, other_value)| Overlap {
            field: item.as_str().to_owned(),
            value: value.to_owned(),
            item: other,
            item_value: other_value.to_owned(),
        })
        .collect();
    for (item, code) in set {
        for number in overlapping_extensions(conn, site.id, code)? {
            found.push(Overlap {
                field: item.as_str().to_owned(),
                value: code.to_owned(),
                item: CodeItem::Extension,
                item_value: number,
            });
        }
    }
    Ok(found)
}

/// The first extension numbers of the site that begin with `code` or begin it.
fn overlapping_extensions(conn: &mut DbConn, site: SiteId, code: &str) -> QueryResult<Vec<String>> {
    // Extension numbers are digits: a code with * or # overlaps none.
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Vec::new());
    }
    let prefixes: Vec<&str> = (1..=code.len()).filter_map(|end| code.get(..end)).collect();
    extensions::table
        .filter(extensions::site_id.eq(site))
        .filter(
            extensions::number
                .like(format!("{code}%"))
                .or(extensions::number.eq_any(prefixes)),
        )
        .select(extensions::number)
        .order(extensions::number)
        .limit(EXTENSIONS_NAMED)
        .load(conn)
}

fn warnings(hold_code: Option<&str>, lang: Lang) -> Vec<FieldError> {
    match hold_code {
        Some(code) if code.len() < 2 => vec![FieldError {
            field: "hold_code".to_owned(),
            code: "short_hold_code".to_owned(),
            message: lang
                .pick(
                    "保留特番は2桁以上を設定してください。1桁で設定した場合、ご利用の環境によっては周囲の音を保留特番と誤認識し保留される可能性がございます。",
                    "Use a hold code of 2 keys or more: with 1, the noise around may be taken for the code and put calls on hold.",
                )
                .to_owned(),
        }],
        _ => Vec::new(),
    }
}

fn dto(site: SiteRow, lang: Lang) -> FeatureCodes {
    FeatureCodes {
        warnings: warnings(site.hold_code.as_deref(), lang),
        gateway_ids: site.gateway_list(),
        hold_code: site.hold_code,
        hold_after_transfer: site.hold_after_transfer,
        dial_confirm_code: site.dial_confirm_code,
        push_tone_send_code: site.push_tone_send_code,
        push_tone_erase: site.push_tone_erase,
        park_hold_code: site.park_hold_code,
        site_number: site.site_number,
    }
}

/// A site's feature codes and push-tone settings, with the numbers they must not overlap.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    responses(
        (status = 200, description = "The settings; `warnings` advise without refusing", body = FeatureCodes),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/feature-codes")]
pub async fn get_feature_codes(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    id: web::Path<SiteId>,
) -> Result<web::Json<FeatureCodes>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, site) = (user.scope(), id.into_inner());
    let (row, _) = db::run(&state.pool, move |conn| find_site(conn, scope, site)).await?;
    Ok(web::Json(dto(row, lang)))
}

/// Change feature codes and push-tone settings: an absent field stays, an empty code
/// deletes it. Every overlap → 409 `code_conflict`, each named in `conflicts`.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = FeatureCodesUpdate,
    responses(
        (status = 200, description = "The settings as they are now; `warnings` advise (a 1-key hold code)", body = FeatureCodes),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A code overlaps another code, the park-hold code, the site number, a gateway id or an extension (`code_conflict`, every overlap in `conflicts`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A code of other keys or length, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/pbx-sites/{id}/feature-codes")]
pub async fn change_feature_codes(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    RequestLang(lang): RequestLang,
    id: web::Path<SiteId>,
    body: Json<FeatureCodesUpdate>,
) -> Result<web::Json<FeatureCodes>, ApiError> {
    user.require(Permission::Pbx)?;
    let update = body.into_inner();
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let row = db::transaction(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        lock_site(conn, site)?;
        // Read again under the lock: the codes checked are the codes replaced.
        let (before, _) = find_site(conn, scope, site)?;
        let after = after(&before, &update)?;
        let found = overlaps(conn, &before, &after)?;
        if !found.is_empty() {
            return Err(ApiError::CodeConflicts(found));
        }
        let hold_after_transfer = update.hold_after_transfer.unwrap_or(before.hold_after_transfer);
        let push_tone_erase = update.push_tone_erase.unwrap_or(before.push_tone_erase);
        let unchanged = after.hold_code == before.hold_code
            && after.dial_confirm_code == before.dial_confirm_code
            && after.push_tone_send_code == before.push_tone_send_code
            && hold_after_transfer == before.hold_after_transfer
            && push_tone_erase == before.push_tone_erase;
        // Nothing to change: nothing written, nothing audited.
        if unchanged {
            return Ok(before);
        }
        let row: SiteRow = diesel::update(pbx_sites::table.find(site))
            .set((
                pbx_sites::hold_code.eq(&after.hold_code),
                pbx_sites::hold_after_transfer.eq(hold_after_transfer),
                pbx_sites::dial_confirm_code.eq(&after.dial_confirm_code),
                pbx_sites::push_tone_send_code.eq(&after.push_tone_send_code),
                pbx_sites::push_tone_erase.eq(push_tone_erase),
                pbx_sites::updated_at.eq(now),
            ))
            .returning(pbx_sites::all_columns)
            .get_result(conn)?;
        let settings = |site: &SiteRow| {
            json!({
                "hold_code": site.hold_code,
                "hold_after_transfer": site.hold_after_transfer,
                "dial_confirm_code": site.dial_confirm_code,
                "push_tone_send_code": site.push_tone_send_code,
                "push_tone_erase": site.push_tone_erase,
            })
        };
        audit::record(
            conn,
            &audit::Event::new(AuditAction::FeatureCodesChanged, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": row.name, "from": settings(&before), "to": settings(&row)})),
            now,
        )?;
        Ok(row)
    })
    .await?;
    Ok(web::Json(dto(row, lang)))
}

/// What a change of the feature codes would meet, without saving it (the settings page
/// explains conflicts while the user types).
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = FeatureCodesUpdate,
    responses(
        (status = 200, description = "Every overlap and warning of the change (none: it would be accepted)", body = CodeCheck),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A code of other keys or length, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/feature-codes/check")]
pub async fn check_feature_codes(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    id: web::Path<SiteId>,
    body: Json<FeatureCodesUpdate>,
) -> Result<web::Json<CodeCheck>, ApiError> {
    user.require(Permission::Pbx)?;
    let update = body.into_inner();
    let (scope, site) = (user.scope(), id.into_inner());
    let check = db::run(&state.pool, move |conn| {
        let (row, _) = find_site(conn, scope, site)?;
        let after = after(&row, &update)?;
        let found = overlaps(conn, &row, &after)?;
        Ok(CodeCheck {
            conflicts: found.iter().map(|overlap| overlap.dto(lang)).collect(),
            warnings: warnings(after.hold_code.as_deref(), lang),
        })
    })
    .await?;
    Ok(web::Json(check))
}
