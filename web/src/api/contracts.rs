//! Contracts (契約情報) and projects (案件): the customer's list and detail, the staff's
//! forms.

use gloo_net::http::Method;
use madoguchi_types::contracts::{
    Contract, ContractPage, ContractStatus, ContractUpdate, NewContractRequest, Service,
};
use madoguchi_types::ids::{AccountId, ContractId, OrganizationId, ProjectId};
use madoguchi_types::projects::{NewProjectRequest, Project, ProjectPage, ProjectUpdate};

use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

/// The list's filters, as the page holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContractQuery {
    pub q: String,
    pub service: Option<Service>,
    pub status: Option<ContractStatus>,
    pub ending_within_days: Option<i64>,
    pub organization: Option<OrganizationId>,
    pub page: i64,
    pub per_page: i64,
}

pub async fn contracts(auth: Auth, lang: Lang, query: &ContractQuery) -> Result<ContractPage, ApiError> {
    let mut path = format!(
        "/api/v1/contracts?page={}&per_page={}",
        query.page.max(1),
        query.per_page.max(1)
    );
    if !query.q.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(query.q.trim())));
    }
    if let Some(service) = query.service {
        path.push_str(&format!("&service={service}"));
    }
    if let Some(status) = query.status {
        path.push_str(&format!("&status={status}"));
    }
    if let Some(days) = query.ending_within_days {
        path.push_str(&format!("&ending_within_days={days}"));
    }
    if let Some(organization) = query.organization {
        path.push_str(&format!("&organization_id={organization}"));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn contract(auth: Auth, lang: Lang, id: ContractId) -> Result<Contract, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/contracts/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_contract(
    auth: Auth,
    lang: Lang,
    request: &NewContractRequest,
) -> Result<Contract, ApiError> {
    private(auth, Method::POST, "/api/v1/contracts", lang, Some(request)).await
}

pub async fn update_contract(
    auth: Auth,
    lang: Lang,
    id: ContractId,
    update: &ContractUpdate,
) -> Result<Contract, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/contracts/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn projects(
    auth: Auth,
    lang: Lang,
    q: &str,
    page: i64,
    per_page: i64,
) -> Result<ProjectPage, ApiError> {
    let mut path = format!(
        "/api/v1/projects?page={}&per_page={}",
        page.max(1),
        per_page.max(1)
    );
    if !q.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(q.trim())));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn project(auth: Auth, lang: Lang, id: ProjectId) -> Result<Project, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/projects/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn create_project(
    auth: Auth,
    lang: Lang,
    request: &NewProjectRequest,
) -> Result<Project, ApiError> {
    private(auth, Method::POST, "/api/v1/projects", lang, Some(request)).await
}

pub async fn update_project(
    auth: Auth,
    lang: Lang,
    id: ProjectId,
    update: &ProjectUpdate,
) -> Result<Project, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/projects/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn delete_project(auth: Auth, lang: Lang, id: ProjectId) -> Result<(), ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/projects/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn add_member(
    auth: Auth,
    lang: Lang,
    id: ProjectId,
    account: AccountId,
) -> Result<Project, ApiError> {
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/projects/{id}/members/{account}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn remove_member(
    auth: Auth,
    lang: Lang,
    id: ProjectId,
    account: AccountId,
) -> Result<Project, ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/projects/{id}/members/{account}"),
        lang,
        NO_BODY,
    )
    .await
}
