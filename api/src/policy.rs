//! The one access policy: what a caller may do ([`Permission`], SPEC §1) and which
//! organizations' rows it sees ([`Scope`], SPEC §2). Handlers ask `user.require(…)` and
//! filter every query through `user.scope()`; nothing else decides either.

use madoguchi_types::accounts::Role;
use madoguchi_types::ids::{AccountId, OrganizationId};
pub use madoguchi_types::policy::Permission;

/// Feature grants an administrator sets per account (SPEC §1: `pbx_admin`, `analytics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Grants {
    pub pbx_admin: bool,
    pub analytics: bool,
}

/// The permission table of SPEC §1. Staff may do everything; customers by role, plus the
/// PBX and analytics grants.
pub fn allows(role: Role, grants: Grants, permission: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match (permission, role) {
        (_, R::Staff) => true,
        (P::Tickets | P::Contracts, _) => true,
        (P::Documents, R::UserAdmin | R::ContractManager) => true,
        (P::AddAccounts, R::UserAdmin | R::InquiryAdmin) => true,
        (P::AdministerAccounts | P::AuditLog, R::UserAdmin) => true,
        (P::Pbx, R::UserAdmin) => true,
        (P::Pbx, _) => grants.pbx_admin,
        (P::Analytics, R::UserAdmin) => true,
        (P::Analytics, _) => grants.analytics,
        _ => false,
    }
}

/// Every permission the role and grants give, in the table's order.
pub fn permissions(role: Role, grants: Grants) -> Vec<Permission> {
    Permission::ALL
        .iter()
        .copied()
        .filter(|permission| allows(role, grants, *permission))
        .collect()
}

/// The roles an account with `role` may give when it creates or edits an account: staff
/// and user administrators any customer role; inquiry administrators only inquiry roles
/// (no way to rights they lack themselves). Nobody makes staff through the API.
pub fn may_assign(role: Role, assigned: Role) -> bool {
    match role {
        Role::Staff | Role::UserAdmin => assigned != Role::Staff,
        Role::InquiryAdmin => matches!(assigned, Role::InquiryAdmin | Role::InquiryStaff),
        Role::ContractManager | Role::InquiryStaff => false,
    }
}

/// Which organizations' rows a caller sees, and within an organization which projects'
/// (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Provider staff: every organization.
    AllOrganizations,
    /// A customer user in no customer project group: their whole organization.
    Organization(OrganizationId),
    /// A customer user in at least one customer project group: their organization, and in
    /// it only the contracts (and what hangs on them: documents, tickets, products,
    /// knowledge) of their groups' projects.
    Projects {
        organization: OrganizationId,
        account: AccountId,
    },
    /// An account without an organization that is not staff (never written by us): nothing.
    Nothing,
}

impl Scope {
    /// `in_project_group`: whether the account belongs to any customer project group.
    pub fn of(
        role: Role,
        organization: Option<OrganizationId>,
        account: AccountId,
        in_project_group: bool,
    ) -> Self {
        match (role, organization) {
            (Role::Staff, _) => Self::AllOrganizations,
            (_, Some(organization)) if in_project_group => Self::Projects {
                organization,
                account,
            },
            (_, Some(organization)) => Self::Organization(organization),
            (_, None) => Self::Nothing,
        }
    }

    /// Whether a row of `organization` is visible. Rows of no organization (staff accounts,
    /// system jobs) are visible to staff only. Project-restricted rows (contracts and what
    /// hangs on them) filter further with [`scoped_contracts!`](crate::scoped_contracts).
    pub fn includes(self, organization: Option<OrganizationId>) -> bool {
        match self {
            Self::AllOrganizations => true,
            Self::Organization(own)
            | Self::Projects {
                organization: own, ..
            } => organization == Some(own),
            Self::Nothing => false,
        }
    }

    /// The organization to filter a query by: `None` for staff (no filter). For
    /// [`Scope::Nothing`] an id no row has, so that the query finds nothing.
    pub fn organization_filter(self) -> Option<OrganizationId> {
        match self {
            Self::AllOrganizations => None,
            Self::Organization(own)
            | Self::Projects {
                organization: own, ..
            } => Some(own),
            Self::Nothing => Some(OrganizationId(-1)),
        }
    }

    /// The account whose project groups limit what it sees, if any.
    pub fn project_member(self) -> Option<AccountId> {
        match self {
            Self::Projects { account, .. } => Some(account),
            _ => None,
        }
    }

    /// Narrows the scope to one organization a caller asked for (staff filtering a list);
    /// customers stay in their own whatever they ask.
    pub fn narrowed_to(self, asked: Option<OrganizationId>) -> Self {
        match (self, asked) {
            (Self::AllOrganizations, Some(organization)) => Self::Organization(organization),
            (scope, _) => scope,
        }
    }
}

/// Filters a boxed diesel query by the scope on an organization column:
/// `scoped!(query, accounts::organization_id, user.scope())`.
#[macro_export]
macro_rules! scoped {
    ($query:expr, $column:expr, $scope:expr) => {{
        let query = $query;
        match $crate::policy::Scope::organization_filter($scope) {
            Some(organization) => query.filter($column.eq(organization)),
            None => query,
        }
    }};
}

/// Filters a boxed diesel query of contract rows (or rows hanging on a contract) by the
/// scope: the organization column as [`scoped!`], and for a project-restricted account the
/// contract column to its groups' projects' contracts:
/// `scoped_contracts!(query, contracts::id, contracts::organization_id, user.scope())`.
#[macro_export]
macro_rules! scoped_contracts {
    ($query:expr, $contract:expr, $organization:expr, $scope:expr) => {{
        let scope = $scope;
        let query = $crate::scoped!($query, $organization, scope);
        match $crate::policy::Scope::project_member(scope) {
            Some(account) => query.filter($contract.eq_any($crate::projects::contracts_of_member(account))),
            None => query,
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Grants = Grants {
        pbx_admin: false,
        analytics: false,
    };
    const PBX: Grants = Grants {
        pbx_admin: true,
        analytics: false,
    };
    const ANALYTICS: Grants = Grants {
        pbx_admin: false,
        analytics: true,
    };

    /// SPEC §1, row by row: tickets · documents · add accounts · administer · audit log.
    #[test]
    fn the_role_table_of_the_spec() {
        use Permission as P;
        let table: [(Role, [bool; 5]); 5] = [
            (Role::Staff, [true, true, true, true, true]),
            (Role::UserAdmin, [true, true, true, true, true]),
            (Role::ContractManager, [true, true, false, false, false]),
            (Role::InquiryAdmin, [true, false, true, false, false]),
            (Role::InquiryStaff, [true, false, false, false, false]),
        ];
        let columns = [
            P::Tickets,
            P::Documents,
            P::AddAccounts,
            P::AdministerAccounts,
            P::AuditLog,
        ];
        for (role, row) in table {
            for (permission, expected) in columns.into_iter().zip(row) {
                assert_eq!(allows(role, NONE, permission), expected, "{role} / {permission}");
            }
            assert!(allows(role, NONE, P::Contracts), "{role} sees contracts");
            assert_eq!(
                allows(role, NONE, P::ProviderOperations),
                role == Role::Staff,
                "{role} / provider operations"
            );
        }
    }

    /// PBX and analytics: user administrators and staff always; others only with the grant.
    #[test]
    fn pbx_and_analytics_follow_the_grants() {
        for role in Role::ALL.iter().copied() {
            let always = matches!(role, Role::Staff | Role::UserAdmin);
            assert_eq!(allows(role, NONE, Permission::Pbx), always, "{role}");
            assert_eq!(allows(role, NONE, Permission::Analytics), always, "{role}");
            assert!(allows(role, PBX, Permission::Pbx), "{role}");
            assert_eq!(allows(role, PBX, Permission::Analytics), always, "{role}");
            assert!(allows(role, ANALYTICS, Permission::Analytics), "{role}");
            // A grant never widens anything else.
            assert_eq!(
                permissions(role, PBX).len(),
                permissions(role, NONE).len() + usize::from(!always)
            );
        }
    }

    #[test]
    fn who_may_assign_which_role() {
        for role in Role::CUSTOMER {
            assert!(may_assign(Role::Staff, role));
            assert!(may_assign(Role::UserAdmin, role));
            assert!(!may_assign(Role::ContractManager, role));
            assert!(!may_assign(Role::InquiryStaff, role));
        }
        assert!(may_assign(Role::InquiryAdmin, Role::InquiryStaff));
        assert!(may_assign(Role::InquiryAdmin, Role::InquiryAdmin));
        assert!(!may_assign(Role::InquiryAdmin, Role::UserAdmin));
        assert!(!may_assign(Role::InquiryAdmin, Role::ContractManager));
        for role in Role::ALL.iter().copied() {
            assert!(!may_assign(role, Role::Staff), "{role} makes staff");
        }
    }

    #[test]
    fn scopes() {
        let own = OrganizationId(7);
        let other = OrganizationId(8);
        let me = AccountId(3);
        let staff = Scope::of(Role::Staff, None, me, false);
        let customer = Scope::of(Role::InquiryStaff, Some(own), me, false);
        let restricted = Scope::of(Role::InquiryStaff, Some(own), me, true);
        assert!(staff.includes(Some(other)) && staff.includes(None));
        assert!(customer.includes(Some(own)));
        assert!(!customer.includes(Some(other)));
        assert!(!customer.includes(None), "staff rows are not a customer's");
        assert_eq!(staff.organization_filter(), None);
        assert_eq!(customer.organization_filter(), Some(own));
        assert_eq!(staff.narrowed_to(Some(other)), Scope::Organization(other));
        assert_eq!(customer.narrowed_to(Some(other)), customer);
        let orphan = Scope::of(Role::UserAdmin, None, me, false);
        assert!(!orphan.includes(None) && !orphan.includes(Some(own)));
        // A project-restricted account stays in its organization, limited to its projects.
        assert!(restricted.includes(Some(own)) && !restricted.includes(Some(other)));
        assert_eq!(restricted.organization_filter(), Some(own));
        assert_eq!(restricted.project_member(), Some(me));
        assert_eq!(customer.project_member(), None);
        assert_eq!(restricted.narrowed_to(Some(other)), restricted);
        assert_eq!(Scope::of(Role::Staff, None, me, true), Scope::AllOrganizations);
    }
}
