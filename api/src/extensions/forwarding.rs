//! `/pbx-sites/{id}/forwarding`: the forwarding of every extension of a site at a glance
//! (留守番・各種転送設定確認, seed 003 FAQ: "an extension cannot be reached" is most often a
//! forwarding its user set and forgot).

use actix_web::{get, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::features::{ForwardingEntry, ForwardingPage};
use madoguchi_types::ids::SiteId;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{ExtensionRow, find_site};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::error::ApiError;
use crate::listing::{self, Window};
use crate::policy::Permission;
use crate::schema::{extensions, mobile_lines};

pub fn routes(config: &mut ServiceConfig) {
    config.service(forwarding_overview);
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForwardingFilter {
    /// Part of the extension number.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only extensions with some forwarding on.
    pub forwarded: Option<bool>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<i64>,
}

/// The forwarding of a site's extensions by number (an absent destination is off).
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id"), ForwardingFilter),
    responses(
        (status = 200, description = "A page of extensions with their forwarding", body = ForwardingPage),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A search too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/forwarding")]
pub async fn forwarding_overview(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
    filter: web::Query<ForwardingFilter>,
) -> Result<web::Json<ForwardingPage>, ApiError> {
    user.require(Permission::Pbx)?;
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let window = Window::new(filter.page, filter.per_page, 100, 500);
    let forwarded = filter.forwarded.unwrap_or(false);
    let (scope, site) = (user.scope(), id.into_inner());
    let page = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        let query = || {
            let mut query = extensions::table
                .left_join(mobile_lines::table)
                .filter(extensions::site_id.eq(site))
                .into_boxed();
            if let Some(pattern) = pattern.clone() {
                query = query.filter(extensions::number.like(pattern).escape('\\'));
            }
            if forwarded {
                query = query.filter(
                    extensions::forward_always
                        .is_not_null()
                        .or(extensions::forward_busy.is_not_null())
                        .or(extensions::forward_no_answer.is_not_null())
                        .or(extensions::forward_unreachable.is_not_null()),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(ExtensionRow, Option<String>)> = query()
            .select((ExtensionRow::as_select(), mobile_lines::mobile_number.nullable()))
            .order((extensions::number, extensions::id))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(ForwardingPage {
            items: rows
                .into_iter()
                .map(|(row, mobile_number)| ForwardingEntry {
                    forwarding: row.forwarding(),
                    extension_id: row.id,
                    number: row.number,
                    mobile_number,
                })
                .collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}
