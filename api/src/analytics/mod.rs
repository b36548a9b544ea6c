//! Toll-free call analytics (CX サポート, SPEC §9, seed 000). Provider staff create a
//! subscription per operator ID (OPID) for an organization and register its numbers; the
//! calls collected for them are ingested in batches, and every report reads the rollups
//! the ingestion adds to in the same transaction — never the raw calls. An organization's
//! user administrators, and its accounts with the `analytics` grant, read the reports their
//! plan shows; standard-plan subscriptions also define groups of numbers to filter by.

mod area_codes;
pub mod callers;
pub mod chart;
pub mod child_ids;
pub mod demo;
pub mod downloads;
pub mod erlang;
pub mod groups;
pub mod ingest;
pub mod own_data;
pub mod reports;
pub mod retention;
pub mod signups;
pub mod subscriptions;
pub mod warming;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::analytics::{NumberKind, Plan, PlanFeature, Region, ReportKind};
use madoguchi_types::ids::{OrganizationId, SubscriptionId};

use crate::db::DbConn;
use crate::error::ApiError;
use crate::policy::Scope;
use crate::schema::{analytics_numbers, analytics_subscriptions, organizations};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig, limits: &crate::net::RateLimits) {
    signups::routes(config, limits);
    subscriptions::routes(config);
    child_ids::routes(config);
    own_data::routes(config);
    groups::routes(config);
    ingest::routes(config);
    reports::routes(config);
    downloads::routes(config);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = analytics_subscriptions)]
pub struct SubscriptionRow {
    pub id: SubscriptionId,
    pub organization_id: OrganizationId,
    pub opid: String,
    pub analytics_id: String,
    pub plan: Plan,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Grows whenever ingestion or the purge changes the subscription's data: the version
    /// a cached report was computed from.
    pub data_version: i64,
    /// 請求用電話番号 and 請求用FD/ND番号, where given (a charged plan needs both).
    pub billing_phone: Option<String>,
    pub billing_number: Option<String>,
}

/// The columns of a [`SubscriptionRow`], for `RETURNING` (which the two-backend connection
/// takes as columns, not as a `Selectable`).
pub const SUBSCRIPTION_COLUMNS: (
    analytics_subscriptions::id,
    analytics_subscriptions::organization_id,
    analytics_subscriptions::opid,
    analytics_subscriptions::analytics_id,
    analytics_subscriptions::plan,
    analytics_subscriptions::created_at,
    analytics_subscriptions::updated_at,
    analytics_subscriptions::data_version,
    analytics_subscriptions::billing_phone,
    analytics_subscriptions::billing_number,
) = (
    analytics_subscriptions::id,
    analytics_subscriptions::organization_id,
    analytics_subscriptions::opid,
    analytics_subscriptions::analytics_id,
    analytics_subscriptions::plan,
    analytics_subscriptions::created_at,
    analytics_subscriptions::updated_at,
    analytics_subscriptions::data_version,
    analytics_subscriptions::billing_phone,
    analytics_subscriptions::billing_number,
);

/// A subscription the scope shows, with its organization's name; another organization's
/// is 404.
pub fn find(
    conn: &mut DbConn,
    scope: Scope,
    id: SubscriptionId,
) -> Result<(SubscriptionRow, String), ApiError> {
    let query = analytics_subscriptions::table
        .inner_join(organizations::table)
        .filter(analytics_subscriptions::id.eq(id))
        .select((SubscriptionRow::as_select(), organizations::name))
        .into_boxed();
    crate::scoped!(query, analytics_subscriptions::organization_id, scope)
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Refuses a report the subscription's plan does not show: 403 naming the least plan that
/// does (the plans table, [`madoguchi_types::analytics::PLANS`], decides).
pub fn require_report(subscription: &SubscriptionRow, report: ReportKind) -> Result<(), ApiError> {
    if subscription.plan.shows(report) {
        return Ok(());
    }
    Err(ApiError::PlanRequired { plan: report.plan() })
}

/// Refuses a feature the subscription's plan does not unlock, likewise.
pub fn require_feature(subscription: &SubscriptionRow, feature: PlanFeature) -> Result<(), ApiError> {
    if subscription.plan.unlocks(feature) {
        return Ok(());
    }
    Err(ApiError::PlanRequired {
        plan: Plan::least_with(|terms| terms.features.contains(&feature)),
    })
}

/// The subscription's numbers of a kind, sorted.
pub fn numbers_of(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    kind: NumberKind,
) -> QueryResult<Vec<String>> {
    analytics_numbers::table
        .filter(analytics_numbers::subscription_id.eq(subscription))
        .filter(analytics_numbers::kind.eq(kind))
        .select(analytics_numbers::number)
        .order(analytics_numbers::number)
        .load(conn)
}

/// Where a number is: its prefecture by the longest area-code prefix of libphonenumber's
/// data, or its kind (mobile 070/080/090/020, IP phone 050, withheld: empty or
/// `anonymous`); anything else (toll-free, international, unknown codes) is `Other`.
pub fn region_of(number: &str) -> Region {
    let number = number.trim();
    if number.is_empty() || ["anonymous", "非通知", "withheld", "private"].contains(&number) {
        return Region::Withheld;
    }
    if !number.starts_with('0') || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Region::Other;
    }
    if ["070", "080", "090", "020"]
        .iter()
        .any(|head| number.starts_with(head))
    {
        return Region::Mobile;
    }
    if number.starts_with("050") {
        return Region::IpPhone;
    }
    // Toll-free and other non-geographic services (0120 shares digits with Hokkaido's 012x).
    if ["0120", "0800", "0570", "0180", "0990", "0910"]
        .iter()
        .any(|head| number.starts_with(head))
    {
        return Region::Other;
    }
    // Area codes are 2 to 6 digits with the leading 0; the longest listed prefix decides.
    for length in (2..=number.len().min(7)).rev() {
        let prefix = &number[..length];
        if let Ok(found) = area_codes::AREA_CODES.binary_search_by(|(code, _)| (*code).cmp(prefix)) {
            return Region::Prefecture(area_codes::AREA_CODES[found].1);
        }
    }
    Region::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_codes_name_the_prefecture() {
        for (number, prefecture) in [
            ("0312345678", 13), // Tokyo 03
            ("0612345678", 27), // Osaka 06
            ("0112345678", 1),  // Sapporo 011
            ("0988612345", 47), // Naha 098
            ("0471234567", 12), // Kashiwa 04-71
            ("0521234567", 23), // Nagoya 052
            ("0922345678", 40), // Fukuoka 092
            ("0578821234", 21), // Kamioka 0578 (corrected from the source's Akita)
        ] {
            assert_eq!(region_of(number), Region::Prefecture(prefecture), "{number}");
        }
        assert_eq!(region_of("09012345678"), Region::Mobile);
        assert_eq!(region_of("08012345678"), Region::Mobile);
        assert_eq!(region_of("05012345678"), Region::IpPhone);
        assert_eq!(region_of(""), Region::Withheld);
        assert_eq!(region_of("anonymous"), Region::Withheld);
        assert_eq!(region_of("0120123456"), Region::Other);
        assert_eq!(region_of("+12025550123"), Region::Other);
    }

    #[test]
    fn the_generated_table_is_sorted_and_covers_every_prefecture() {
        let table = area_codes::AREA_CODES;
        assert!(table.windows(2).all(|pair| pair[0].0 < pair[1].0));
        for prefecture in 1..=47u8 {
            assert!(table.iter().any(|(_, code)| *code == prefecture), "{prefecture}");
        }
    }
}
