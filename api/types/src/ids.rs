//! Typed ids of the tables the API exposes: an `AccountId` cannot be passed where an
//! `OrganizationId` is expected. On the wire and in the database they are plain integers.

crate::id_type! {
    /// An organization (tenant).
    pub struct OrganizationId;
    /// An account: a customer user or provider staff.
    pub struct AccountId;
    /// A contract of an organization.
    pub struct ContractId;
    /// A project (案件): contracts of one organization with its customer project group.
    pub struct ProjectId;
    /// A document (quote, contract, invoice, purchase order) attached to a contract.
    pub struct DocumentId;
    /// A personal API token.
    pub struct ApiTokenId;
    /// An entry of the audit log.
    pub struct AuditEventId;
    /// A background job (mail, imports, purges, renderings).
    pub struct JobId;
}
