//! Transfer (譲渡, seed 003 §6.1) and swap (交換, §6.2) of extension numbers between
//! mobile numbers. The seed has the administrator release, delete and reassign by hand,
//! leaving people unreachable in between; here each is one request and one transaction,
//! with a choice to keep or clear the forwarding the extensions had.

use actix_web::{post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::extensions::{
    ForwardingChoice, SwapOutcome, SwapRequest, TransferOutcome, TransferRequest,
};
use madoguchi_types::ids::{ExtensionId, MobileLineId, SiteId};
use madoguchi_types::mobile::{mobile_number_shape, normalize_mobile_number};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ExtensionRow, find_extension, find_site, groups_of};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::extensions;

pub fn routes(config: &mut ServiceConfig) {
    config.service(swap).service(transfer);
}

/// Moves an extension from the line it was read with (`from`) to `to`, and clears its
/// forwarding when asked. When another request moved it in between (PostgreSQL re-checks
/// the condition after waiting for that request's row lock), nothing is written: 409.
fn set_line(
    conn: &mut DbConn,
    id: ExtensionId,
    from: Option<MobileLineId>,
    to: Option<MobileLineId>,
    forwarding: ForwardingChoice,
    now: NaiveDateTime,
) -> Result<ExtensionRow, ApiError> {
    let changes = (extensions::mobile_line_id.eq(to), extensions::updated_at.eq(now));
    let row: Option<ExtensionRow> = match from {
        Some(line) => diesel::update(
            extensions::table
                .find(id)
                .filter(extensions::mobile_line_id.eq(line)),
        )
        .set(changes)
        .returning(extensions::all_columns)
        .get_result(conn)
        .optional()?,
        None => diesel::update(
            extensions::table
                .find(id)
                .filter(extensions::mobile_line_id.is_null()),
        )
        .set(changes)
        .returning(extensions::all_columns)
        .get_result(conn)
        .optional()?,
    };
    let row = row.ok_or_else(|| ApiError::Conflict {
        field: "mobile_number".into(),
    })?;
    if forwarding == ForwardingChoice::Keep {
        return Ok(row);
    }
    diesel::update(extensions::table.find(id))
        .set((
            extensions::forward_always.eq(None::<String>),
            extensions::forward_busy.eq(None::<String>),
            extensions::forward_no_answer.eq(None::<String>),
            extensions::forward_no_answer_seconds.eq(None::<i32>),
            extensions::forward_unreachable.eq(None::<String>),
        ))
        .returning(extensions::all_columns)
        .get_result(conn)
        .map_err(ApiError::from)
}

/// Move the extension to another mobile number (譲渡). The number must be a current Office
/// Link line of the organization; the extension that held it is left without a number, or
/// deleted with `delete_previous` (the seed's step ②; refused while it is in a group). The
/// extension's former number returns to the pool.
#[utoipa::path(
    tag = "pbx",
    params(("id" = ExtensionId, Path, description = "The extension that moves")),
    request_body = TransferRequest,
    responses(
        (status = 200, description = "Moved, in one transaction", body = TransferOutcome),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such extension of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The extension to delete is in groups (named); or another request moved the number at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a current Office Link number of the organization, or the extension's own", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/extensions/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ExtensionId>,
    body: Json<TransferRequest>,
) -> Result<web::Json<TransferOutcome>, ApiError> {
    user.require(Permission::Pbx)?;
    let request = body.into_inner();
    let number = normalize_mobile_number(&request.mobile_number);
    mobile_number_shape(&number).map_err(|reason| ApiError::invalid("mobile_number", reason))?;
    let (scope, actor, now, id) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let outcome = db::transaction(&state.pool, move |conn| {
        let (row, site, before) = find_extension(conn, scope, id)?;
        let Some(line) = super::office_link_line(conn, site.organization_id, &number)? else {
            return Err(ApiError::invalid("mobile_number", Invalid::NotInPool));
        };
        if row.mobile_line_id == Some(line) {
            return Err(ApiError::invalid("mobile_number", Invalid::NotAllowed));
        }
        let holder: Option<ExtensionRow> = extensions::table
            .filter(extensions::mobile_line_id.eq(line))
            .select(ExtensionRow::as_select())
            .first(conn)
            .optional()?;
        let mut released = None;
        let mut deleted_number = None;
        // Rows are written in the order of their ids, so that two transfers or swaps of
        // the same extensions wait for each other instead of deadlocking.
        let mut from = row.mobile_line_id;
        if holder.as_ref().is_some_and(|holder| holder.id > id) {
            set_line(conn, id, from, None, ForwardingChoice::Keep, now)?;
            from = None;
        }
        if let Some(holder) = holder {
            if request.delete_previous {
                let groups = groups_of(conn, holder.id)?;
                if !groups.is_empty() {
                    return Err(ApiError::InGroups { groups });
                }
                let deleted = diesel::delete(
                    extensions::table
                        .find(holder.id)
                        .filter(extensions::mobile_line_id.eq(line)),
                )
                .execute(conn)?;
                if deleted == 0 {
                    return Err(ApiError::Conflict {
                        field: "mobile_number".into(),
                    });
                }
                deleted_number = Some(holder.number);
            } else {
                let holder = set_line(conn, holder.id, Some(line), None, request.forwarding, now)?;
                released = Some(holder.dto(None));
            }
        }
        let moved = set_line(conn, id, from, Some(line), request.forwarding, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionTransferred, &client)
                .organization(Some(site.organization_id))
                .actor(Some(actor))
                .detail(json!({
                    "site": site.name,
                    "number": moved.number,
                    "mobile_number": {"from": before, "to": number},
                    "released": released.as_ref().map(|extension: &madoguchi_types::extensions::Extension| extension.number.clone()),
                    "deleted": deleted_number,
                    "forwarding": request.forwarding,
                })),
            now,
        )?;
        Ok(TransferOutcome {
            extension: moved.dto(Some(number)),
            released,
            deleted_number,
        })
    })
    .await?;
    Ok(web::Json(outcome))
}

/// Exchange the mobile numbers of two extensions of the site (交換), in one transaction.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site of both extensions")),
    request_body = SwapRequest,
    responses(
        (status = 200, description = "Both extensions with their new numbers", body = SwapOutcome),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site, or an extension the caller does not administer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another request changed a number at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The same extension twice, or one of another site", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/extensions/swap")]
pub async fn swap(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<SwapRequest>,
) -> Result<web::Json<SwapOutcome>, ApiError> {
    user.require(Permission::Pbx)?;
    let request = body.into_inner();
    if request.first == request.second {
        return Err(ApiError::invalid("second", Invalid::Duplicate));
    }
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let outcome = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        let (first, _, first_mobile) = find_extension(conn, scope, request.first)?;
        let (second, _, second_mobile) = find_extension(conn, scope, request.second)?;
        let mut violations = Violations::default();
        for (field, extension) in [("first", &first), ("second", &second)] {
            if extension.site_id != site {
                violations.add(field, Invalid::NotAllowed);
            }
        }
        violations.finish()?;
        // A number is held by one extension at a time: the lower id gives its number up
        // first (rows in id order, so that concurrent swaps wait instead of deadlocking),
        // the other takes it, then the first takes the other's.
        let (low, high) = if first.id < second.id { (&first, &second) } else { (&second, &first) };
        set_line(conn, low.id, low.mobile_line_id, None, ForwardingChoice::Keep, now)?;
        let high_now = set_line(conn, high.id, high.mobile_line_id, low.mobile_line_id, request.forwarding, now)?;
        let low_now = set_line(conn, low.id, None, high.mobile_line_id, request.forwarding, now)?;
        let (first_now, second_now) = if first.id < second.id { (low_now, high_now) } else { (high_now, low_now) };
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionsSwapped, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({
                    "site": site_row.name,
                    "first": {"number": first_now.number, "mobile_number": {"from": first_mobile, "to": second_mobile}},
                    "second": {"number": second_now.number, "mobile_number": {"from": second_mobile, "to": first_mobile}},
                    "forwarding": request.forwarding,
                })),
            now,
        )?;
        Ok(SwapOutcome {
            first: first_now.dto(second_mobile),
            second: second_now.dto(first_mobile),
        })
    })
    .await?;
    Ok(web::Json(outcome))
}
