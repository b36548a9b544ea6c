//! Contracts (SPEC §4): the services, statuses and certificate holders.

crate::text_enum! {
    /// The services a contract can be for.
    pub enum Service {
        ProductMaintenance = "product_maintenance",
        ManagedService = "managed_service",
        HardwareMaintenance = "hardware_maintenance",
        SoftwareMaintenance = "software_maintenance",
        OfficeLink = "office_link",
        BusinessMobile = "business_mobile",
        CxSupport = "cx_support",
    }
}

crate::text_enum! {
    pub enum ContractStatus {
        Active = "active",
        Expired = "expired",
        Cancelled = "cancelled",
    }
}

crate::text_enum! {
    /// Whose email it is on the support-service certificate.
    pub enum EmailHolder {
        SalesAgent = "sales_agent",
        Operator = "operator",
        EndUser = "end_user",
    }
}
