//! Names of roles, statuses and audited actions, and audit details in words, in the
//! reader's language.

use madoguchi_types::accounts::{AccountStatus, AuditAction, Role};
use madoguchi_types::contracts::{ContractStatus, EmailHolder, Service};
use madoguchi_types::documents::DocumentKind;
use madoguchi_types::knowledge::ArticleCategory;
use madoguchi_types::products::EntryKind;
use madoguchi_types::tickets::{TicketCategory, TicketChannel, TicketKind, TicketStatus};
use serde_json::Value;

use crate::i18n::catalogue::{labels as text, tickets};
use crate::i18n::{Lang, Text};

pub fn ticket_status_label(status: TicketStatus) -> Text {
    match status {
        TicketStatus::New => tickets::STATUS_NEW,
        TicketStatus::Open => tickets::STATUS_OPEN,
        TicketStatus::InProgress => tickets::STATUS_IN_PROGRESS,
        TicketStatus::WaitingForCustomer => tickets::STATUS_WAITING,
        TicketStatus::Resolved => tickets::STATUS_RESOLVED,
        TicketStatus::Closed => tickets::STATUS_CLOSED,
    }
}

pub fn ticket_kind_label(kind: TicketKind) -> Text {
    match kind {
        TicketKind::Inquiry => tickets::KIND_INQUIRY,
        TicketKind::Incident => tickets::KIND_INCIDENT,
    }
}

pub fn ticket_category_label(category: TicketCategory) -> Text {
    match category {
        TicketCategory::TechnicalQuestion => tickets::CATEGORY_TECHNICAL,
        TicketCategory::Fault => tickets::CATEGORY_FAULT,
        TicketCategory::ConfigurationRequest => tickets::CATEGORY_CONFIGURATION,
        TicketCategory::Contract => tickets::CATEGORY_CONTRACT,
        TicketCategory::Other => tickets::CATEGORY_OTHER,
    }
}

pub fn ticket_channel_label(channel: TicketChannel) -> Text {
    match channel {
        TicketChannel::Web => tickets::CHANNEL_WEB,
        TicketChannel::Email => tickets::CHANNEL_EMAIL,
        TicketChannel::Phone => tickets::CHANNEL_PHONE,
    }
}

pub fn role_label(role: Role) -> Text {
    match role {
        Role::Staff => text::ROLE_STAFF,
        Role::UserAdmin => text::ROLE_USER_ADMIN,
        Role::ContractManager => text::ROLE_CONTRACT_MANAGER,
        Role::InquiryAdmin => text::ROLE_INQUIRY_ADMIN,
        Role::InquiryStaff => text::ROLE_INQUIRY_STAFF,
    }
}

pub fn status_label(status: AccountStatus, locked: bool) -> Text {
    match (status, locked) {
        (AccountStatus::Disabled, _) => text::STATUS_DISABLED,
        (AccountStatus::Provisional, _) => text::STATUS_PROVISIONAL,
        (AccountStatus::Active, true) => text::STATUS_LOCKED,
        (AccountStatus::Active, false) => text::STATUS_ACTIVE,
    }
}

pub fn service_label(service: Service) -> Text {
    match service {
        Service::ProductMaintenance => text::SERVICE_PRODUCT_MAINTENANCE,
        Service::ManagedService => text::SERVICE_MANAGED_SERVICE,
        Service::HardwareMaintenance => text::SERVICE_HARDWARE_MAINTENANCE,
        Service::SoftwareMaintenance => text::SERVICE_SOFTWARE_MAINTENANCE,
        Service::OfficeLink => text::SERVICE_OFFICE_LINK,
        Service::BusinessMobile => text::SERVICE_BUSINESS_MOBILE,
        Service::CxSupport => text::SERVICE_CX_SUPPORT,
    }
}

pub fn contract_status_label(status: ContractStatus) -> Text {
    match status {
        ContractStatus::Active => text::CONTRACT_ACTIVE,
        ContractStatus::Expired => text::CONTRACT_EXPIRED,
        ContractStatus::Cancelled => text::CONTRACT_CANCELLED,
    }
}

pub fn document_kind_label(kind: DocumentKind) -> Text {
    match kind {
        DocumentKind::Quote => text::DOCUMENT_QUOTE,
        DocumentKind::Contract => text::DOCUMENT_CONTRACT,
        DocumentKind::Invoice => text::DOCUMENT_INVOICE,
        DocumentKind::PurchaseOrder => text::DOCUMENT_PURCHASE_ORDER,
    }
}

pub fn holder_label(holder: EmailHolder) -> Text {
    match holder {
        EmailHolder::SalesAgent => text::HOLDER_SALES_AGENT,
        EmailHolder::Operator => text::HOLDER_OPERATOR,
        EmailHolder::EndUser => text::HOLDER_END_USER,
    }
}

pub fn action_label(action: AuditAction) -> Text {
    use AuditAction as A;
    match action {
        A::Registered => text::ACTION_REGISTERED,
        A::RegistrationConfirmed => text::ACTION_REGISTRATION_CONFIRMED,
        A::SignIn => text::ACTION_SIGN_IN,
        A::SignInFailed => text::ACTION_SIGN_IN_FAILED,
        A::AccountLocked => text::ACTION_ACCOUNT_LOCKED,
        A::AccountUnlocked => text::ACTION_ACCOUNT_UNLOCKED,
        A::SignOut => text::ACTION_SIGN_OUT,
        A::RefreshTokenReused => text::ACTION_REFRESH_TOKEN_REUSED,
        A::PasswordChanged => text::ACTION_PASSWORD_CHANGED,
        A::PasswordReset => text::ACTION_PASSWORD_RESET,
        A::TwoFactorEnabled => text::ACTION_TWO_FACTOR_ENABLED,
        A::TwoFactorDisabled => text::ACTION_TWO_FACTOR_DISABLED,
        A::TwoFactorReleased => text::ACTION_TWO_FACTOR_RELEASED,
        A::AccountCreated => text::ACTION_ACCOUNT_CREATED,
        A::AccountUpdated => text::ACTION_ACCOUNT_UPDATED,
        A::ProfileUpdated => text::ACTION_PROFILE_UPDATED,
        A::EmailChangeRequested => text::ACTION_EMAIL_CHANGE_REQUESTED,
        A::EmailChanged => text::ACTION_EMAIL_CHANGED,
        A::ApiTokenCreated => text::ACTION_API_TOKEN_CREATED,
        A::ApiTokenRevoked => text::ACTION_API_TOKEN_REVOKED,
        A::PasswordCheckFailed => text::ACTION_PASSWORD_CHECK_FAILED,
        A::OrganizationCreated => text::ACTION_ORGANIZATION_CREATED,
        A::OrganizationRenamed => text::ACTION_ORGANIZATION_RENAMED,
        A::ContractCreated => text::ACTION_CONTRACT_CREATED,
        A::ContractUpdated => text::ACTION_CONTRACT_UPDATED,
        A::ProjectCreated => text::ACTION_PROJECT_CREATED,
        A::ProjectUpdated => text::ACTION_PROJECT_UPDATED,
        A::ProjectDeleted => text::ACTION_PROJECT_DELETED,
        A::ProjectMemberAdded => text::ACTION_PROJECT_MEMBER_ADDED,
        A::ProjectMemberRemoved => text::ACTION_PROJECT_MEMBER_REMOVED,
        A::DocumentUploaded => text::ACTION_DOCUMENT_UPLOADED,
        A::DocumentDeleted => text::ACTION_DOCUMENT_DELETED,
        A::QuoteOrdered => text::ACTION_QUOTE_ORDERED,
        A::RequoteRequested => text::ACTION_REQUOTE_REQUESTED,
        A::CatalogChanged => text::ACTION_CATALOG_CHANGED,
        A::KnowledgeChanged => text::ACTION_KNOWLEDGE_CHANGED,
        A::MobileLinesRegistered => text::ACTION_MOBILE_LINES_REGISTERED,
        A::MobileLineChanged => text::ACTION_MOBILE_LINE_CHANGED,
        A::MobileLineDeleted => text::ACTION_MOBILE_LINE_DELETED,
        A::PbxSiteCreated => text::ACTION_PBX_SITE_CREATED,
        A::ExtensionCreated => text::ACTION_EXTENSION_CREATED,
        A::ExtensionChanged => text::ACTION_EXTENSION_CHANGED,
        A::ExtensionDeleted => text::ACTION_EXTENSION_DELETED,
        A::ExtensionsImported => text::ACTION_EXTENSIONS_IMPORTED,
        A::ExtensionsBulkDeleted => text::ACTION_EXTENSIONS_BULK_DELETED,
        A::ExtensionsExported => text::ACTION_EXTENSIONS_EXPORTED,
        A::ExtensionTransferred => text::ACTION_EXTENSION_TRANSFERRED,
        A::ExtensionsSwapped => text::ACTION_EXTENSIONS_SWAPPED,
        A::GroupCreated => text::ACTION_GROUP_CREATED,
        A::GroupChanged => text::ACTION_GROUP_CHANGED,
        A::GroupDeleted => text::ACTION_GROUP_DELETED,
        A::FeatureCodesChanged => text::ACTION_FEATURE_CODES_CHANGED,
        A::CdrSecretSet => text::ACTION_CDR_SECRET_SET,
        A::CdrAnswerRefused => text::ACTION_CDR_ANSWER_REFUSED,
        A::CdrAccessGranted => text::ACTION_CDR_ACCESS_GRANTED,
        A::CallRecordsIngested => text::ACTION_CALL_RECORDS_INGESTED,
        A::CallRecordsDownloaded => text::ACTION_CALL_RECORDS_DOWNLOADED,
        A::AnalyticsSubscriptionCreated => text::ACTION_ANALYTICS_SUBSCRIPTION_CREATED,
        A::AnalyticsPlanChanged => text::ACTION_ANALYTICS_PLAN_CHANGED,
        A::AnalyticsNumbersChanged => text::ACTION_ANALYTICS_NUMBERS_CHANGED,
        A::AnalyticsGroupChanged => text::ACTION_ANALYTICS_GROUP_CHANGED,
        A::AnalyticsCallsIngested => text::ACTION_ANALYTICS_CALLS_INGESTED,
        A::AnalyticsSignedUp => text::ACTION_ANALYTICS_SIGNED_UP,
        A::AnalyticsSignupConfirmed => text::ACTION_ANALYTICS_SIGNUP_CONFIRMED,
        A::AnalyticsChildIdChanged => text::ACTION_ANALYTICS_CHILD_ID_CHANGED,
    }
}

pub fn entry_kind_label(kind: EntryKind) -> Text {
    match kind {
        EntryKind::Download => text::ENTRY_DOWNLOAD,
        EntryKind::Document => text::ENTRY_DOCUMENT,
        EntryKind::ShippingVersion => text::ENTRY_SHIPPING_VERSION,
        EntryKind::EndOfSupport => text::ENTRY_END_OF_SUPPORT,
    }
}

pub fn category_label(category: ArticleCategory) -> Text {
    match category {
        ArticleCategory::Qa => text::CATEGORY_QA,
        ArticleCategory::TroubleCase => text::CATEGORY_TROUBLE_CASE,
        ArticleCategory::Bug => text::CATEGORY_BUG,
        ArticleCategory::Patch => text::CATEGORY_PATCH,
        ArticleCategory::ProductInfo => text::CATEGORY_PRODUCT_INFO,
        ArticleCategory::SecurityAdvisory => text::CATEGORY_SECURITY_ADVISORY,
    }
}

fn role_name(value: &Value, lang: Lang) -> String {
    value
        .as_str()
        .and_then(|role| role.parse::<Role>().ok())
        .map_or_else(|| value.to_string(), |role| role_label(role).get(lang).to_owned())
}

fn status_name(value: &Value, lang: Lang) -> String {
    value
        .as_str()
        .and_then(|status| status.parse::<AccountStatus>().ok())
        .map_or_else(
            || value.to_string(),
            |status| status_label(status, false).get(lang).to_owned(),
        )
}

fn on_off(value: &Value, lang: Lang) -> &'static str {
    if value.as_bool() == Some(true) {
        text::ON.get(lang)
    } else {
        text::OFF.get(lang)
    }
}

/// An audit event's details as a sentence.
pub fn detail_summary(action: AuditAction, detail: &Value, lang: Lang) -> String {
    let field = |name: &str| detail.get(name).cloned().unwrap_or(Value::Null);
    let words = |value: &Value| {
        value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string())
    };
    match action {
        AuditAction::SignInFailed | AuditAction::PasswordCheckFailed => match field("reason").as_str() {
            Some("wrong_password") => {
                text::wrong_password_in_a_row(lang, field("in_a_row").as_i64().unwrap_or(0))
            }
            Some("locked") => text::REFUSED_LOCKED.get(lang).to_owned(),
            Some("unknown_or_inactive") => text::unknown_login_id(lang, &words(&field("login_id"))),
            _ => String::new(),
        },
        AuditAction::SignIn => match field("method").as_str() {
            Some("password_and_one_time_password") => text::BY_PASSWORD_AND_CODE.get(lang).to_owned(),
            Some("two_factor_released") => text::BY_RELEASE.get(lang).to_owned(),
            _ => text::BY_PASSWORD.get(lang).to_owned(),
        },
        AuditAction::AccountLocked => text::locked_for(lang, field("minutes").as_i64().unwrap_or(60)),
        AuditAction::AccountUpdated => {
            let mut parts = Vec::new();
            if let Some(change) = detail.get("role") {
                parts.push(format!(
                    "{}: {} → {}",
                    text::ROLE.get(lang),
                    role_name(&change["from"], lang),
                    role_name(&change["to"], lang)
                ));
            }
            if let Some(change) = detail.get("status") {
                parts.push(format!(
                    "{}: {} → {}",
                    text::STATUS.get(lang),
                    status_name(&change["from"], lang),
                    status_name(&change["to"], lang)
                ));
            }
            for (name, label) in [("pbx_admin", text::PBX), ("analytics", text::ANALYTICS)] {
                if let Some(change) = detail.get(name) {
                    parts.push(format!(
                        "{}: {} → {}",
                        label.get(lang),
                        on_off(&change["from"], lang),
                        on_off(&change["to"], lang)
                    ));
                }
            }
            if detail.get("activated_unconfirmed_registration").is_some() {
                parts.push(text::ACTIVATED_UNCONFIRMED.get(lang).to_owned());
            }
            parts.join(" / ")
        }
        AuditAction::AccountCreated => {
            format!("{}: {}", text::ROLE.get(lang), role_name(&field("role"), lang))
        }
        AuditAction::PasswordChanged if field("api_tokens_revoked").as_bool() == Some(true) => {
            text::TOKENS_REVOKED_TOO.get(lang).to_owned()
        }
        AuditAction::EmailChangeRequested | AuditAction::EmailChanged => words(&field("new_email")),
        AuditAction::TwoFactorEnabled => words(&field("email")),
        AuditAction::OrganizationCreated => {
            format!("{} {}", words(&field("customer_number")), words(&field("name")))
        }
        AuditAction::OrganizationRenamed => {
            let name = field("name");
            format!("{} → {}", words(&name["from"]), words(&name["to"]))
        }
        AuditAction::ContractCreated => words(&field("contract_number")),
        AuditAction::ContractUpdated | AuditAction::ProjectUpdated => {
            let subject = if action == AuditAction::ContractUpdated {
                "contract_number"
            } else {
                "name"
            };
            let fields = field("fields")
                .as_array()
                .map(|fields| fields.iter().map(words).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            format!("{} ({fields})", words(&field(subject)))
        }
        AuditAction::ProjectCreated | AuditAction::ProjectDeleted => words(&field("name")),
        AuditAction::DocumentUploaded
        | AuditAction::DocumentDeleted
        | AuditAction::QuoteOrdered
        | AuditAction::RequoteRequested => {
            format!("{} {}", words(&field("contract_number")), words(&field("number")))
        }
        AuditAction::ProjectMemberAdded | AuditAction::ProjectMemberRemoved => {
            format!("{} / {}", words(&field("project")), words(&field("group_name")))
        }
        AuditAction::ApiTokenCreated => format!("{} ({}…)", words(&field("name")), words(&field("prefix"))),
        AuditAction::ProfileUpdated => field("fields")
            .as_array()
            .map(|fields| fields.iter().map(words).collect::<Vec<_>>().join(", "))
            .unwrap_or_default(),
        _ => detail.get("note").map(words).unwrap_or_default(),
    }
}
