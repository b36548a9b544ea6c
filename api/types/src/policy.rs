//! What a caller may do. The server decides (its permission table is the one source); the
//! caller's own permissions are part of `GET /api/v1/me`, so that the SPA shows only what
//! the server would allow.

crate::text_enum! {
    /// One thing a caller may do (SPEC §1).
    pub enum Permission {
        /// File tickets and incident reports, follow them (every role).
        Tickets = "tickets",
        /// See the organization's contracts (every role).
        Contracts = "contracts",
        /// Quotes, contract documents and invoices (見積書・契約書・請求書).
        Documents = "documents",
        /// Add accounts to the organization.
        AddAccounts = "add_accounts",
        /// Change roles and feature grants, disable and unlock accounts.
        AdministerAccounts = "administer_accounts",
        /// Read the audit log.
        AuditLog = "audit_log",
        /// Administer the PBX: extensions, groups, feature codes, call-detail records.
        Pbx = "pbx",
        /// Call analytics (CX Support).
        Analytics = "analytics",
        /// Provider staff's work across organizations: organizations, contracts, sites,
        /// answering tickets.
        ProviderOperations = "provider_operations",
    }
}
