//! PBX administration (SPEC §8.1, seed 003 §3–4): an organization's sites (拠点), which
//! provider staff set up, and their extensions (内線番号) with their profiles and an
//! assigned Office Link mobile number. The SIP and web passwords are sealed at rest
//! ([`crate::sealing`]) and never part of an answer.

pub mod bulk;
pub mod csv;
pub mod features;
pub mod forwarding;
pub mod routes;
pub mod sites;
pub mod transfer;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::extensions::{Extension, Site};
use madoguchi_types::features::{HoldAfterTransfer, PushToneErase};
use madoguchi_types::ids::{ExtensionId, MobileLineId, OrganizationId, SiteId};

use crate::db::DbConn;
use crate::error::ApiError;
use crate::policy::Scope;
use crate::schema::{extensions, mobile_lines, organizations, pbx_sites};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    sites::routes(config);
    bulk::routes(config);
    features::routes(config);
    forwarding::routes(config);
    transfer::routes(config);
    routes::routes(config);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = pbx_sites)]
pub struct SiteRow {
    pub id: SiteId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub domain_name: String,
    pub site_number: String,
    pub gateway_ids: String,
    pub park_hold_code: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub hold_code: Option<String>,
    pub hold_after_transfer: HoldAfterTransfer,
    pub dial_confirm_code: Option<String>,
    pub push_tone_send_code: Option<String>,
    pub push_tone_erase: PushToneErase,
}

impl SiteRow {
    pub fn gateway_list(&self) -> Vec<String> {
        self.gateway_ids
            .split(',')
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn dto(self, organization_name: String, extension_count: i64) -> Site {
        Site {
            gateway_ids: self.gateway_list(),
            id: self.id,
            organization_id: self.organization_id,
            organization_name,
            name: self.name,
            domain_name: self.domain_name,
            site_number: self.site_number,
            park_hold_code: self.park_hold_code,
            extension_count,
            created_at: self.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = extensions)]
pub struct ExtensionRow {
    pub id: ExtensionId,
    pub site_id: SiteId,
    pub number: String,
    pub sip_user: String,
    pub sip_password_sealed: String,
    pub web_user: String,
    pub web_password_sealed: String,
    pub mobile_line_id: Option<MobileLineId>,
    pub forward_always: Option<String>,
    pub forward_busy: Option<String>,
    pub forward_no_answer: Option<String>,
    pub forward_no_answer_seconds: Option<i32>,
    pub forward_unreachable: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ExtensionRow {
    pub fn forwarding(&self) -> madoguchi_types::extensions::Forwarding {
        madoguchi_types::extensions::Forwarding {
            always: self.forward_always.clone(),
            busy: self.forward_busy.clone(),
            no_answer: self.forward_no_answer.clone(),
            no_answer_seconds: self.forward_no_answer_seconds,
            unreachable: self.forward_unreachable.clone(),
        }
    }

    pub fn dto(self, mobile_number: Option<String>) -> Extension {
        Extension {
            id: self.id,
            site_id: self.site_id,
            number: self.number,
            sip_user: self.sip_user,
            web_user: self.web_user,
            mobile_number,
            updated_at: self.updated_at.and_utc(),
        }
    }
}

/// A site the scope shows with its organization's name; another organization's is 404.
pub fn find_site(conn: &mut DbConn, scope: Scope, id: SiteId) -> Result<(SiteRow, String), ApiError> {
    let query = pbx_sites::table
        .inner_join(organizations::table)
        .filter(pbx_sites::id.eq(id))
        .select((SiteRow::as_select(), organizations::name))
        .into_boxed();
    crate::scoped!(query, pbx_sites::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// An extension of a site the scope shows, with its site; another organization's is 404.
pub fn find_extension(
    conn: &mut DbConn,
    scope: Scope,
    id: ExtensionId,
) -> Result<(ExtensionRow, SiteRow, Option<String>), ApiError> {
    let query = extensions::table
        .inner_join(pbx_sites::table)
        .left_join(mobile_lines::table)
        .filter(extensions::id.eq(id))
        .select((
            ExtensionRow::as_select(),
            SiteRow::as_select(),
            mobile_lines::mobile_number.nullable(),
        ))
        .into_boxed();
    crate::scoped!(query, pbx_sites::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

pub use crate::groups::{groups_of, groups_of_site, remove_memberships};

/// A current Office Link line of the organization with this number (assigned or not).
pub fn office_link_line(
    conn: &mut DbConn,
    organization: OrganizationId,
    number: &str,
) -> QueryResult<Option<MobileLineId>> {
    mobile_lines::table
        .filter(mobile_lines::organization_id.eq(organization))
        .filter(mobile_lines::mobile_number.eq(number))
        .filter(mobile_lines::deleted_on.is_null())
        .filter(mobile_lines::office_link.eq(true))
        .select(mobile_lines::id)
        .first(conn)
        .optional()
}
