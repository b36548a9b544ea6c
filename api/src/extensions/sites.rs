//! `/pbx-sites`: provider staff set up an organization's PBX site (domain name, site
//! number, gateway ids, park-hold code); the organization's PBX administrators list and
//! read their sites.

use actix_web::{HttpResponse, get, post, web};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::extensions::{
    Site, SiteRequest, domain_name_shape, park_hold_code_shape, site_number_shape,
};
use madoguchi_types::ids::{OrganizationId, SiteId};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SiteRow, find_site};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{extensions, organizations, pbx_sites};
use crate::{audit, organizations as orgs};

/// Gateway ids per site.
const GATEWAYS_MAX: usize = 20;

pub fn routes(config: &mut ServiceConfig) {
    config.service(list_sites).service(get_site).service(create_site);
}

pub(super) fn extension_count(conn: &mut DbConn, site: SiteId) -> QueryResult<i64> {
    extensions::table
        .filter(extensions::site_id.eq(site))
        .count()
        .get_result(conn)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteFilter {
    /// Staff: one organization's sites.
    pub organization_id: Option<OrganizationId>,
}

/// The sites the caller administers (staff: every organization's, or one's).
#[utoipa::path(
    tag = "pbx",
    params(SiteFilter),
    responses(
        (status = 200, description = "Sites by organization and name", body = Vec<Site>),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites")]
pub async fn list_sites(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<SiteFilter>,
) -> Result<web::Json<Vec<Site>>, ApiError> {
    user.require(Permission::Pbx)?;
    let scope = user.scope().narrowed_to(filter.organization_id);
    let sites = db::run(&state.pool, move |conn| {
        let query = pbx_sites::table
            .inner_join(organizations::table)
            .select((SiteRow::as_select(), organizations::name))
            .into_boxed();
        let rows: Vec<(SiteRow, String)> = crate::scoped!(query, pbx_sites::organization_id, scope)
            .order((pbx_sites::organization_id, pbx_sites::name, pbx_sites::id))
            .load(conn)?;
        let mut sites = Vec::with_capacity(rows.len());
        for (row, organization) in rows {
            let count = extension_count(conn, row.id)?;
            sites.push(row.dto(organization, count));
        }
        Ok(sites)
    })
    .await?;
    Ok(web::Json(sites))
}

#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id")),
    responses(
        (status = 200, description = "The site", body = Site),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site, or one the caller does not administer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}")]
pub async fn get_site(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
) -> Result<web::Json<Site>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, id) = (user.scope(), id.into_inner());
    let site = db::run(&state.pool, move |conn| {
        let (row, organization) = find_site(conn, scope, id)?;
        let count = extension_count(conn, row.id)?;
        Ok(row.dto(organization, count))
    })
    .await?;
    Ok(web::Json(site))
}

/// Set up a site for an organization (provider staff). The domain name is unique.
#[utoipa::path(
    tag = "pbx",
    request_body = SiteRequest,
    responses(
        (status = 201, description = "Created", body = Site),
        (status = 403, description = "Only provider staff set up sites", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The domain name belongs to another site", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; no such organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites")]
pub async fn create_site(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<SiteRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    let name = violations.check("name", DisplayName::parse(&request.name));
    let domain_name = request.domain_name.trim().to_ascii_lowercase();
    violations.check("domain_name", domain_name_shape(&domain_name));
    let site_number = request.site_number.trim().to_owned();
    violations.check("site_number", site_number_shape(&site_number));
    let park_hold_code = request.park_hold_code.trim().to_owned();
    violations.check("park_hold_code", park_hold_code_shape(&park_hold_code));
    if request.gateway_ids.len() > GATEWAYS_MAX {
        violations.add("gateway_ids", Invalid::TooMany { max: GATEWAYS_MAX });
    }
    let gateways: Vec<String> = request
        .gateway_ids
        .iter()
        .map(|id| id.trim().to_owned())
        .collect();
    for (index, gateway) in gateways.iter().enumerate() {
        violations.check(&format!("gateway_ids[{index}]"), site_number_shape(gateway));
    }
    violations.finish()?;
    let Some(name) = name else {
        return Err(ApiError::invalid("name", Invalid::Required));
    };
    let (actor, now, organization) = (user.id(), state.clock.now_naive(), request.organization_id);
    let site = db::transaction(&state.pool, move |conn| {
        let Some(owner) = orgs::find(conn, organization)? else {
            return Err(ApiError::invalid("organization_id", Invalid::NotAllowed));
        };
        let taken: i64 = pbx_sites::table
            .filter(pbx_sites::domain_name.eq(&domain_name))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::invalid("domain_name", Invalid::Taken));
        }
        let row: SiteRow = diesel::insert_into(pbx_sites::table)
            .values((
                pbx_sites::organization_id.eq(organization),
                pbx_sites::name.eq(name.as_str()),
                pbx_sites::domain_name.eq(&domain_name),
                pbx_sites::site_number.eq(&site_number),
                pbx_sites::gateway_ids.eq(gateways.join(",")),
                pbx_sites::park_hold_code.eq(&park_hold_code),
                pbx_sites::created_at.eq(now),
                pbx_sites::updated_at.eq(now),
            ))
            .returning(pbx_sites::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::PbxSiteCreated, &client)
                .organization(Some(organization))
                .actor(Some(actor))
                .detail(json!({"name": row.name, "domain_name": row.domain_name})),
            now,
        )?;
        Ok(row.dto(owner.name, 0))
    })
    .await?;
    Ok(HttpResponse::Created().json(site))
}
