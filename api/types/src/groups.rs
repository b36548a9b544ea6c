//! Pickup groups (ピックアップグループ) and call hunting groups (コールハンティンググループ) of a
//! PBX site (SPEC §8.2, seed 003 §5.1, §5.3): their limits, the rule of a group number,
//! and the bodies of the group endpoints.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ExtensionId, HuntingGroupId, PickupGroupId, SiteId};
use crate::validation::Invalid;

/// Pickup groups a site holds at most (seed 003 §5.1: 最大4096グループ).
pub const MAX_PICKUP_GROUPS: usize = 4096;
/// Hunting groups a site holds at most (seed 003 §5.3: 最大10000グループ).
pub const MAX_HUNTING_GROUPS: usize = 10_000;
/// Members of one group, of either kind (最大64内線番号).
pub const MAX_GROUP_MEMBERS: usize = 64;

/// A group number: 1–5 half-width digits (a site numbers up to 10,000 hunting groups).
pub fn group_number_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if !value.is_ascii() {
        return Err(Invalid::NotHalfWidth);
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::Format { expected: "digits" });
    }
    if value.len() > 5 {
        return Err(Invalid::TooLong { max: 5 });
    }
    Ok(())
}

crate::text_enum! {
    /// How a hunting group picks the member a call rings (seed 003 §5.3).
    pub enum HuntingStrategy {
        /// 均等着信方式: members in turn (round robin).
        RoundRobin = "round_robin",
        /// パイロット方式: members in their order, the first free one rings.
        Priority = "priority",
    }
}

/// An extension in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct GroupMember {
    pub extension_id: ExtensionId,
    /// The extension number.
    pub number: String,
    /// The extension's mobile number, if it has one.
    pub mobile_number: Option<String>,
}

/// A pickup group in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PickupGroupSummary {
    pub id: PickupGroupId,
    pub number: String,
    #[cfg_attr(feature = "schema", schema(minimum = 0, maximum = 64))]
    pub member_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// A page of a site's pickup groups, with the site's count against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PickupGroupPage {
    pub items: Vec<PickupGroupSummary>,
    /// Groups matching the search.
    pub total: i64,
    /// Groups of the site.
    pub site_total: i64,
    /// Groups a site holds at most (4096).
    pub limit: i64,
}

/// A pickup group with its members (by extension number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PickupGroup {
    pub id: PickupGroupId,
    pub site_id: SiteId,
    pub number: String,
    #[cfg_attr(feature = "schema", schema(max_items = 64))]
    pub members: Vec<GroupMember>,
    /// Members a group holds at most (64).
    pub member_limit: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A pickup group to create, with its first members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PickupGroupRequest {
    /// ピックアップグループ番号: 1–5 digits, unique among the site's pickup groups.
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{1,5}$", example = "1"))]
    pub number: String,
    /// Extensions of the site.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 64))]
    pub members: Vec<ExtensionId>,
}

/// An extension to add to a group (a hunting group's new member rings last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberRequest {
    pub extension_id: ExtensionId,
}

/// A hunting group in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct HuntingGroupSummary {
    pub id: HuntingGroupId,
    pub number: String,
    pub strategy: HuntingStrategy,
    /// The representative extension's number; absent when it was deleted by force (the
    /// group rings nobody until another is chosen).
    pub representative_number: Option<String>,
    #[cfg_attr(feature = "schema", schema(minimum = 0, maximum = 64))]
    pub member_count: i64,
    pub updated_at: DateTime<Utc>,
}

/// A page of a site's hunting groups, with the site's count against its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct HuntingGroupPage {
    pub items: Vec<HuntingGroupSummary>,
    pub total: i64,
    pub site_total: i64,
    /// Groups a site holds at most (10000).
    pub limit: i64,
}

/// A hunting group with its members in ring order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct HuntingGroup {
    pub id: HuntingGroupId,
    pub site_id: SiteId,
    pub number: String,
    pub strategy: HuntingStrategy,
    /// 代表内線番号: calls to it go to the group. Absent after a forced delete of it.
    pub representative: Option<GroupMember>,
    /// In ring order (a priority group rings the first free one from the top).
    #[cfg_attr(feature = "schema", schema(max_items = 64))]
    pub members: Vec<GroupMember>,
    pub member_limit: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A hunting group to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HuntingGroupRequest {
    /// コールハンティンググループ番号: 1–5 digits, unique among the site's hunting groups.
    #[cfg_attr(feature = "schema", schema(pattern = "^[0-9]{1,5}$", example = "10"))]
    pub number: String,
    /// 代表内線番号: an extension of the site, representative of no other hunting group.
    pub representative_extension_id: ExtensionId,
    pub strategy: HuntingStrategy,
    /// Extensions of the site in ring order, each in no other hunting group.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_items = 64))]
    pub members: Vec<ExtensionId>,
}

/// A change of a hunting group: what is absent stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HuntingGroupUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative_extension_id: Option<ExtensionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<HuntingStrategy>,
}

/// The members of a hunting group in their new ring order: exactly its members, each once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberOrder {
    #[cfg_attr(feature = "schema", schema(max_items = 64))]
    pub extension_ids: Vec<ExtensionId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_numbers() {
        for good in ["0", "1", "4096", "10000", "00001"] {
            assert_eq!(group_number_shape(good), Ok(()), "{good}");
        }
        assert_eq!(group_number_shape(""), Err(Invalid::Required));
        assert_eq!(group_number_shape("１"), Err(Invalid::NotHalfWidth));
        assert_eq!(group_number_shape("123456"), Err(Invalid::TooLong { max: 5 }));
        assert!(matches!(group_number_shape("1a"), Err(Invalid::Format { .. })));
    }
}
