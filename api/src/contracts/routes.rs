//! `/contracts`: the "契約情報一覧" of a customer (the contracts its scope shows, never a
//! cancelled one) with filters and paging, one contract with its maintenance emails,
//! equipment and projects; staff create and change contracts.

use std::collections::HashSet;

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{NaiveDate, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::contracts::{
    Contract as ContractDto, ContractEmail, ContractPage, ContractProject, ContractUpdate, Equipment,
    MAX_EMAILS, MAX_EQUIPMENT, NewContractRequest,
};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Contract, ContractId, ContractStatus, EmailHolder, EquipmentItem, NewContract, Service};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{ContractNumber, DisplayName, EmailAddress, Invalid};
use crate::error::{ApiError, Violations};
use crate::json::Json;
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::organizations::{Organization, OrganizationId};
use crate::policy::{Permission, Scope};
use crate::schema::{contract_equipment, contracts, organizations};
use crate::{audit, organizations as orgs, projects};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_contracts)
        .service(get_contract)
        .service(create_contract)
        .service(update_contract);
}

/// Longest look-ahead of "ending within N days" (ten years).
const ENDING_WITHIN_MAX: i64 = 3650;

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractFilter {
    /// Staff: only this organization's contracts (customers always see their own).
    pub organization_id: Option<OrganizationId>,
    pub service: Option<Service>,
    pub status: Option<ContractStatus>,
    /// Active contracts whose end date is within this many days from today (Japan).
    #[param(minimum = 0, maximum = 3650)]
    pub ending_within_days: Option<i64>,
    /// Part of the contract number, the customer's number or name, or an equipment's
    /// maker, model or serial number (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Contracts per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// The contracts (joined with their organization) a scope shows: customers never see a
/// cancelled contract ("valid contracts", SPEC §4), restricted accounts only their
/// projects' ones.
macro_rules! visible_contracts {
    ($scope:expr) => {{
        let scope: Scope = $scope;
        let mut query = contracts::table.inner_join(organizations::table).into_boxed();
        query = crate::scoped_contracts!(query, contracts::id, contracts::organization_id, scope);
        if scope != Scope::AllOrganizations {
            query = query.filter(contracts::status.ne(ContractStatus::Cancelled));
        }
        query
    }};
}

/// The contract, if the scope shows it, as the detail answer.
fn detail(
    conn: &mut DbConn,
    scope: Scope,
    id: ContractId,
    today: NaiveDate,
) -> Result<ContractDto, ApiError> {
    let (contract, organization): (Contract, Organization) = visible_contracts!(scope)
        .filter(contracts::id.eq(id))
        .select((Contract::as_select(), Organization::as_select()))
        .get_result(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let emails = super::emails_of(conn, id)?
        .into_iter()
        .map(|(holder, email)| ContractEmail { holder, email })
        .collect();
    let equipment: Vec<Equipment> = super::equipment_of(conn, id)?
        .into_iter()
        .map(|row| Equipment {
            maker: row.maker,
            model: row.model,
            serial_number: row.serial_number,
            os_version: row.os_version,
        })
        .collect();
    let projects = projects::of_contract(conn, id, scope.project_member())?
        .into_iter()
        .map(|(id, name)| ContractProject { id, name })
        .collect();
    let created_at = contract.created_at.and_utc();
    Ok(ContractDto {
        summary: super::summary(contract, &organization, equipment.len() as i64, today),
        emails,
        equipment,
        projects,
        created_at,
    })
}

/// Contracts soonest end first, with filters and paging (契約情報一覧).
#[utoipa::path(
    tag = "contracts",
    params(ContractFilter),
    responses(
        (status = 200, description = "A page of contracts", body = ContractPage),
        (status = 422, description = "A filter out of range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/contracts")]
pub async fn list_contracts(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<ContractFilter>,
) -> Result<web::Json<ContractPage>, ApiError> {
    user.require(Permission::Contracts)?;
    let filter = filter.into_inner();
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    if let Some(days) = filter.ending_within_days
        && !(0..=ENDING_WITHIN_MAX).contains(&days)
    {
        return Err(ApiError::invalid(
            "ending_within_days",
            Invalid::Format {
                expected: "0 to 3650 days",
            },
        ));
    }
    let scope = user.scope();
    let today = state.clock.today();
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = visible_contracts!(scope);
            // Within the scope: a customer asking for another organization finds nothing.
            if let Some(organization) = filter.organization_id {
                query = query.filter(contracts::organization_id.eq(organization));
            }
            if let Some(service) = filter.service {
                query = query.filter(contracts::service.eq(service));
            }
            if let Some(status) = filter.status {
                query = query.filter(contracts::status.eq(status));
            }
            if let Some(days) = filter.ending_within_days {
                query = query
                    .filter(contracts::status.eq(ContractStatus::Active))
                    .filter(contracts::ends_on.ge(today))
                    .filter(contracts::ends_on.le(today + TimeDelta::days(days)));
            }
            if let Some(pattern) = pattern.clone() {
                let like = || lower(pattern.clone());
                let equipment = contract_equipment::table
                    .filter(
                        lower(contract_equipment::serial_number)
                            .like(like())
                            .escape('\\')
                            .or(lower(contract_equipment::model).like(like()).escape('\\'))
                            .or(lower(contract_equipment::maker).like(like()).escape('\\')),
                    )
                    .select(contract_equipment::contract_id);
                query = query.filter(
                    lower(contracts::contract_number)
                        .like(like())
                        .escape('\\')
                        .or(lower(organizations::name).like(like()).escape('\\'))
                        .or(lower(organizations::customer_number).like(like()).escape('\\'))
                        .or(contracts::id.eq_any(equipment)),
                );
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(Contract, Organization)> = query()
            .select((Contract::as_select(), Organization::as_select()))
            .order((contracts::ends_on.asc(), contracts::contract_number.asc()))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        let items = super::summaries(conn, rows, today)?;
        Ok(ContractPage { items, total })
    })
    .await?;
    Ok(web::Json(page))
}

/// One contract with its maintenance emails, equipment and projects.
#[utoipa::path(
    tag = "contracts",
    params(("id" = ContractId, Path, description = "The contract's id")),
    responses(
        (status = 200, description = "The contract", body = ContractDto),
        (status = 404, description = "No such contract, or one the caller does not see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/contracts/{id}")]
pub async fn get_contract(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<ContractId>,
) -> Result<web::Json<ContractDto>, ApiError> {
    user.require(Permission::Contracts)?;
    let (id, scope, today) = (id.into_inner(), user.scope(), state.clock.today());
    let contract = db::run(&state.pool, move |conn| detail(conn, scope, id, today)).await?;
    Ok(web::Json(contract))
}

/// The maintenance emails, each valid and none twice; field names index the list.
fn valid_emails(emails: &[ContractEmail], violations: &mut Violations) -> Vec<(EmailHolder, EmailAddress)> {
    if emails.len() > MAX_EMAILS {
        violations.add("emails", Invalid::TooMany { max: MAX_EMAILS });
        return Vec::new();
    }
    let mut seen = HashSet::new();
    let mut valid = Vec::new();
    for (index, entry) in emails.iter().enumerate() {
        let field = format!("emails[{index}].email");
        if let Some(email) = violations.check(&field, EmailAddress::parse(&entry.email)) {
            if seen.insert(email.clone()) {
                valid.push((entry.holder, email));
            } else {
                violations.add(field, Invalid::Duplicate);
            }
        }
    }
    valid
}

/// The covered equipment, each piece valid; field names index the list.
fn valid_equipment(equipment: &[Equipment], violations: &mut Violations) -> Vec<EquipmentItem> {
    if equipment.len() > MAX_EQUIPMENT {
        violations.add("equipment", Invalid::TooMany { max: MAX_EQUIPMENT });
        return Vec::new();
    }
    let mut valid = Vec::new();
    for (index, item) in equipment.iter().enumerate() {
        let field = |name: &str| format!("equipment[{index}].{name}");
        let maker = violations.check(&field("maker"), DisplayName::parse(&item.maker));
        let model = violations.check(&field("model"), DisplayName::parse(&item.model));
        let serial_number =
            violations.check(&field("serial_number"), DisplayName::parse(&item.serial_number));
        let os_version = if item.os_version.trim().is_empty() {
            Some(None)
        } else {
            violations
                .check(&field("os_version"), DisplayName::parse(&item.os_version))
                .map(Some)
        };
        if let (Some(maker), Some(model), Some(serial_number), Some(os_version)) =
            (maker, model, serial_number, os_version)
        {
            valid.push(EquipmentItem {
                maker,
                model,
                serial_number,
                os_version,
            });
        }
    }
    valid
}

/// Create a contract (staff).
#[utoipa::path(
    tag = "contracts",
    request_body = NewContractRequest,
    responses(
        (status = 201, description = "Created", body = ContractDto),
        (status = 403, description = "Only provider staff create contracts", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The contract number is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each one named), or no such organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/contracts")]
pub async fn create_contract(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<NewContractRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    let number = violations.check("contract_number", ContractNumber::parse(&request.contract_number));
    violations.check("starts_on", crate::domain::business_date(request.starts_on));
    violations.check("ends_on", crate::domain::business_date(request.ends_on));
    if request.ends_on < request.starts_on {
        violations.add("ends_on", Invalid::EndsBeforeStart);
    }
    let emails = valid_emails(&request.emails, &mut violations);
    let equipment = valid_equipment(&request.equipment, &mut violations);
    let Some(number) = number.filter(|_| violations.is_empty()) else {
        return Err(violations.into_error());
    };
    let new = NewContract {
        organization: request.organization_id,
        number,
        service: request.service,
        starts_on: request.starts_on,
        ends_on: request.ends_on,
        status: request.status,
        emails,
        equipment,
    };
    let (now, today) = (state.clock.now_naive(), state.clock.today());
    let created = db::transaction(&state.pool, move |conn| {
        if orgs::find(conn, new.organization)?.is_none() {
            return Err(ApiError::invalid("organization_id", Invalid::NotAllowed));
        }
        let contract = super::insert(conn, &new, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ContractCreated, &client)
                .organization(Some(contract.organization_id))
                .actor(Some(user.id()))
                .detail(json!({
                    "contract_number": contract.contract_number,
                    "service": contract.service,
                    "ends_on": contract.ends_on,
                })),
            now,
        )?;
        detail(conn, Scope::AllOrganizations, contract.id, today)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Change a contract (staff): service, dates, status; `emails` and `equipment` replace the
/// lists. Changing nothing records nothing.
#[utoipa::path(
    tag = "contracts",
    params(("id" = ContractId, Path, description = "The contract's id")),
    request_body = ContractUpdate,
    responses(
        (status = 200, description = "The contract as it is now", body = ContractDto),
        (status = 403, description = "Only provider staff change contracts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each one named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/contracts/{id}")]
pub async fn update_contract(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ContractId>,
    body: Json<ContractUpdate>,
) -> Result<web::Json<ContractDto>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let update = body.into_inner();
    let mut violations = Violations::default();
    for (field, date) in [("starts_on", update.starts_on), ("ends_on", update.ends_on)] {
        if let Some(date) = date {
            violations.check(field, crate::domain::business_date(date));
        }
    }
    let emails = update
        .emails
        .as_deref()
        .map(|emails| valid_emails(emails, &mut violations));
    let equipment = update
        .equipment
        .as_deref()
        .map(|equipment| valid_equipment(equipment, &mut violations));
    violations.finish()?;
    let (id, now, today) = (id.into_inner(), state.clock.now_naive(), state.clock.today());
    let contract = db::transaction(&state.pool, move |conn| {
        let before: Contract = contracts::table
            .find(id)
            .select(Contract::as_select())
            .get_result(conn)
            .optional()?
            .ok_or(ApiError::NotFound)?;
        let service = update.service.unwrap_or(before.service);
        let status = update.status.unwrap_or(before.status);
        let starts_on = update.starts_on.unwrap_or(before.starts_on);
        let ends_on = update.ends_on.unwrap_or(before.ends_on);
        if ends_on < starts_on {
            return Err(ApiError::invalid("ends_on", Invalid::EndsBeforeStart));
        }
        let mut changed = Vec::new();
        for (field, differs) in [
            ("service", service != before.service),
            ("status", status != before.status),
            ("starts_on", starts_on != before.starts_on),
            ("ends_on", ends_on != before.ends_on),
        ] {
            if differs {
                changed.push(field);
            }
        }
        if let Some(emails) = &emails {
            let current: Vec<(EmailHolder, String)> = super::emails_of(conn, id)?;
            let mut wanted: Vec<(EmailHolder, String)> = emails
                .iter()
                .map(|(holder, email)| (*holder, email.as_str().to_owned()))
                .collect();
            wanted.sort();
            let mut current_sorted = current;
            current_sorted.sort();
            if wanted != current_sorted {
                super::replace_emails(conn, id, emails)?;
                changed.push("emails");
            }
        }
        if let Some(equipment) = &equipment {
            let current: Vec<(String, String, String, String)> = super::equipment_of(conn, id)?
                .into_iter()
                .map(|row| (row.maker, row.model, row.serial_number, row.os_version))
                .collect();
            let wanted: Vec<(String, String, String, String)> = equipment
                .iter()
                .map(|item| {
                    (
                        item.maker.to_string(),
                        item.model.to_string(),
                        item.serial_number.to_string(),
                        item.os_version
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                    )
                })
                .collect();
            if wanted != current {
                super::replace_equipment(conn, id, equipment)?;
                changed.push("equipment");
            }
        }
        if changed.is_empty() {
            return detail(conn, Scope::AllOrganizations, id, today);
        }
        diesel::update(contracts::table.find(id))
            .set((
                contracts::service.eq(service),
                contracts::status.eq(status),
                contracts::starts_on.eq(starts_on),
                contracts::ends_on.eq(ends_on),
                contracts::updated_at.eq(now),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ContractUpdated, &client)
                .organization(Some(before.organization_id))
                .actor(Some(user.id()))
                .detail(json!({"contract_number": before.contract_number, "fields": changed})),
            now,
        )?;
        detail(conn, Scope::AllOrganizations, id, today)
    })
    .await?;
    Ok(web::Json(contract))
}
