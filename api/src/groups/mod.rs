//! Pickup groups (ピックアップグループ) and call hunting groups (コールハンティンググループ) of
//! a PBX site (SPEC §8.2, seed 003 §5.1, §5.3). Both kinds hold extensions of their own site
//! only, 64 at most; a site holds 4096 pickup and 10000 hunting groups; an extension is in
//! one hunting group at most. Changes of a site's groups take the site's lock
//! ([`crate::extensions::features::lock_site`]), so that limits are counted under it.
//!
//! The extensions side: an extension in groups is deleted only by force, which removes its
//! memberships ([`remove_memberships`]).

pub mod hunting;
pub mod pickup;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::groups::GroupMember;
use madoguchi_types::ids::{ExtensionId, SiteId};

use crate::db::DbConn;
use crate::domain::Invalid;
use crate::error::{ApiError, GroupLimit, Violations};
use crate::schema::{
    extensions, hunting_group_members, hunting_groups, mobile_lines, pickup_group_members, pickup_groups,
};

pub fn routes(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    pickup::routes(config);
    hunting::routes(config);
}

/// How a group is named in answers and the audit log (the seed's screen names).
pub fn pickup_label(number: &str) -> String {
    format!("ピックアップグループ{number}")
}

pub fn hunting_label(number: &str) -> String {
    format!("コールハンティンググループ{number}")
}

fn representative_label(number: &str) -> String {
    format!("コールハンティンググループ{number}(代表内線番号)")
}

/// The groups an extension is in (or represents), by name.
pub fn groups_of(conn: &mut DbConn, extension: ExtensionId) -> QueryResult<Vec<String>> {
    Ok(memberships(conn, Of::Extensions(&[extension]))?
        .remove(&extension)
        .unwrap_or_default())
}

/// The groups of each grouped extension of a site.
pub fn groups_of_site(conn: &mut DbConn, site: SiteId) -> QueryResult<HashMap<ExtensionId, Vec<String>>> {
    memberships(conn, Of::Site(site))
}

/// Whose memberships [`memberships`] reads.
#[derive(Clone, Copy)]
enum Of<'a> {
    Site(SiteId),
    Extensions(&'a [ExtensionId]),
}

fn memberships(conn: &mut DbConn, of: Of<'_>) -> QueryResult<HashMap<ExtensionId, Vec<String>>> {
    let mut pickup = pickup_group_members::table
        .inner_join(pickup_groups::table)
        .select((pickup_group_members::extension_id, pickup_groups::number))
        .order((pickup_groups::number, pickup_groups::id))
        .into_boxed();
    let mut hunting = hunting_group_members::table
        .inner_join(hunting_groups::table)
        .select((hunting_group_members::extension_id, hunting_groups::number))
        .into_boxed();
    let mut representing = hunting_groups::table
        .select((
            hunting_groups::representative_extension_id.assume_not_null(),
            hunting_groups::number,
        ))
        .filter(hunting_groups::representative_extension_id.is_not_null())
        .into_boxed();
    match of {
        Of::Site(site) => {
            pickup = pickup.filter(pickup_groups::site_id.eq(site));
            hunting = hunting.filter(hunting_groups::site_id.eq(site));
            representing = representing.filter(hunting_groups::site_id.eq(site));
        }
        Of::Extensions(ids) => {
            pickup = pickup.filter(pickup_group_members::extension_id.eq_any(ids));
            hunting = hunting.filter(hunting_group_members::extension_id.eq_any(ids));
            representing = representing.filter(hunting_groups::representative_extension_id.eq_any(ids));
        }
    }
    let mut groups: HashMap<ExtensionId, Vec<String>> = HashMap::new();
    for (extension, number) in pickup.load::<(ExtensionId, String)>(conn)? {
        groups.entry(extension).or_default().push(pickup_label(&number));
    }
    for (extension, number) in hunting.load::<(ExtensionId, String)>(conn)? {
        groups.entry(extension).or_default().push(hunting_label(&number));
    }
    for (extension, number) in representing.load::<(ExtensionId, String)>(conn)? {
        groups
            .entry(extension)
            .or_default()
            .push(representative_label(&number));
    }
    Ok(groups)
}

/// Removes the extensions from their pickup and hunting groups (a forced delete): the
/// memberships removed. A hunting group they represent keeps its members and loses its
/// representative (it rings nobody until another is chosen).
pub fn remove_memberships(
    conn: &mut DbConn,
    extensions: &[ExtensionId],
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let mut removed = 0;
    // Bound the parameters of one statement (SQLite allows 32766).
    for chunk in extensions.chunks(5_000) {
        // The groups that change are marked changed.
        let pickup = pickup_group_members::table
            .filter(pickup_group_members::extension_id.eq_any(chunk))
            .select(pickup_group_members::group_id);
        diesel::update(pickup_groups::table.filter(pickup_groups::id.eq_any(pickup)))
            .set(pickup_groups::updated_at.eq(now))
            .execute(conn)?;
        let hunting = hunting_group_members::table
            .filter(hunting_group_members::extension_id.eq_any(chunk))
            .select(hunting_group_members::group_id);
        diesel::update(
            hunting_groups::table.filter(
                hunting_groups::id
                    .eq_any(hunting)
                    .or(hunting_groups::representative_extension_id.eq_any(chunk)),
            ),
        )
        .set(hunting_groups::updated_at.eq(now))
        .execute(conn)?;
        removed += diesel::delete(
            pickup_group_members::table.filter(pickup_group_members::extension_id.eq_any(chunk)),
        )
        .execute(conn)?;
        removed += diesel::delete(
            hunting_group_members::table.filter(hunting_group_members::extension_id.eq_any(chunk)),
        )
        .execute(conn)?;
        removed += diesel::update(
            hunting_groups::table.filter(hunting_groups::representative_extension_id.eq_any(chunk)),
        )
        .set(hunting_groups::representative_extension_id.eq(None::<ExtensionId>))
        .execute(conn)?;
    }
    Ok(i64::try_from(removed).unwrap_or(i64::MAX))
}

/// The extensions of `site` among `ids`, as members, in the order given. An id that is no
/// extension of the site (none, another site's, another organization's) is refused by its
/// place in `field` (`members[2]`), as is an id given twice.
pub fn site_members(
    conn: &mut DbConn,
    site: SiteId,
    ids: &[ExtensionId],
    field: &str,
) -> Result<Vec<GroupMember>, ApiError> {
    let found: Vec<(ExtensionId, String, Option<String>)> = extensions::table
        .left_join(mobile_lines::table)
        .filter(extensions::site_id.eq(site))
        .filter(extensions::id.eq_any(ids))
        .select((
            extensions::id,
            extensions::number,
            mobile_lines::mobile_number.nullable(),
        ))
        .load(conn)?;
    let found: HashMap<ExtensionId, (String, Option<String>)> = found
        .into_iter()
        .map(|(id, number, mobile)| (id, (number, mobile)))
        .collect();
    let mut violations = Violations::default();
    let mut seen = HashSet::new();
    let mut members = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let place = format!("{field}[{index}]");
        if !seen.insert(*id) {
            violations.add(&place, Invalid::Duplicate);
        } else if let Some((number, mobile_number)) = found.get(id) {
            members.push(GroupMember {
                extension_id: *id,
                number: number.clone(),
                mobile_number: mobile_number.clone(),
            });
        } else {
            violations.add(&place, Invalid::NotOnSite);
        }
    }
    violations.finish()?;
    Ok(members)
}

/// One extension of the site as a member; another is refused as `field`.
pub fn site_member(
    conn: &mut DbConn,
    site: SiteId,
    id: ExtensionId,
    field: &str,
) -> Result<GroupMember, ApiError> {
    site_members(conn, site, &[id], field)
        .map_err(|_| ApiError::invalid(field, Invalid::NotOnSite))?
        .pop()
        .ok_or_else(|| ApiError::invalid(field, Invalid::NotOnSite))
}

/// Refuses a group of more than 64 members.
pub fn within_member_limit(members: usize) -> Result<(), ApiError> {
    if members > GroupLimit::Members.max() {
        Err(ApiError::LimitReached(GroupLimit::Members))
    } else {
        Ok(())
    }
}

/// Refuses another group on a site that has `count` of its kind already.
pub fn within_group_limit(count: i64, limit: GroupLimit) -> Result<(), ApiError> {
    if usize::try_from(count).unwrap_or(usize::MAX) >= limit.max() {
        Err(ApiError::LimitReached(limit))
    } else {
        Ok(())
    }
}
