//! Pickup and hunting groups, feature codes and the forwarding overview (SPEC §8.2–8.3, seed
//! 003 §5): the limits at their boundaries (64/65 members; 4096/4097 pickup and
//! 10000/10001 hunting groups, seeded in bulk then crossed through the API), the one-
//! hunting-group rule, the representative, the ring order, the delete of a grouped
//! extension, and every kind of code conflict.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_api::accounts::Role;
use madoguchi_api::db;
use madoguchi_api::schema::{extensions, hunting_groups, pickup_groups};
use madoguchi_api::sealing::SealingKey;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PBX_SECRET_KEY, TestApp, spawn_app};

/// An organization with a site (site number 0012, gateways 81 and 82, park hold *8) and
/// its administrator: the site's id and the administrator's token.
async fn site_with_admin(app: &TestApp, number: &str, domain: &str, admin: &str) -> (i64, String) {
    let organization = app
        .organization_with_contract(number, "グループ株式会社", &format!("hosyu@{domain}"))
        .await;
    app.account(Some(organization), admin, Role::UserAdmin).await;
    let staff_login = format!("{admin}-staff");
    app.account(None, &staff_login, Role::Staff).await;
    let staff = app.access_token(&staff_login).await;
    let site = app
        .post_as(
            &staff,
            "/api/v1/pbx-sites",
            json!({"organization_id": organization.0, "name": "本社", "domain_name": format!("pbx.{domain}"),
                   "site_number": "0012", "gateway_ids": ["81", "82"], "park_hold_code": "*8"}),
        )
        .await
        .expect(StatusCode::CREATED);
    (site["id"].as_i64().expect("id"), app.access_token(admin).await)
}

/// Extensions `first..first+count` on the site, straight into the database: their ids.
async fn seed_extensions(app: &TestApp, site: i64, first: u32, count: u32) -> Vec<i64> {
    let now = app.clock.now_naive();
    db::transaction(&app.pool, move |conn| {
        let sealed = SealingKey::from_secret(PBX_SECRET_KEY)
            .expect("key")
            .seal("Abcd1234");
        let mut ids = Vec::new();
        for number in first..first + count {
            let id: i64 = diesel::insert_into(extensions::table)
                .values((
                    extensions::site_id.eq(site),
                    extensions::number.eq(number.to_string()),
                    extensions::sip_user.eq(number.to_string()),
                    extensions::sip_password_sealed.eq(&sealed),
                    extensions::web_user.eq(format!("u{number}")),
                    extensions::web_password_sealed.eq(&sealed),
                    extensions::created_at.eq(now),
                    extensions::updated_at.eq(now),
                ))
                .returning(extensions::id)
                .get_result(conn)?;
            ids.push(id);
        }
        Ok(ids)
    })
    .await
    .expect("extensions seeded")
}

/// `count` groups of a kind numbered from 1, in batches: the fast path to a full site.
async fn seed_groups(app: &TestApp, site: i64, hunting: bool, count: usize) {
    let now = app.clock.now_naive();
    db::transaction(&app.pool, move |conn| {
        let numbers: Vec<String> = (1..=count).map(|number| number.to_string()).collect();
        for chunk in numbers.chunks(500) {
            insert_groups(conn, site, hunting, chunk, now)?;
        }
        Ok(())
    })
    .await
    .expect("groups seeded");
}

fn insert_groups(
    conn: &mut db::DbConn,
    site: i64,
    hunting: bool,
    numbers: &[String],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if hunting {
        let rows: Vec<_> = numbers
            .iter()
            .map(|number| {
                (
                    hunting_groups::site_id.eq(site),
                    hunting_groups::number.eq(number.as_str()),
                    hunting_groups::strategy.eq("round_robin"),
                    hunting_groups::created_at.eq(now),
                    hunting_groups::updated_at.eq(now),
                )
            })
            .collect();
        madoguchi_api::with_inner!(conn, |inner| diesel::insert_into(hunting_groups::table)
            .values(&rows)
            .execute(inner))
    } else {
        let rows: Vec<_> = numbers
            .iter()
            .map(|number| {
                (
                    pickup_groups::site_id.eq(site),
                    pickup_groups::number.eq(number.as_str()),
                    pickup_groups::created_at.eq(now),
                    pickup_groups::updated_at.eq(now),
                )
            })
            .collect();
        madoguchi_api::with_inner!(conn, |inner| diesel::insert_into(pickup_groups::table)
            .values(&rows)
            .execute(inner))
    }
}

fn numbers(group: &Value) -> Vec<String> {
    group["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|member| member["number"].as_str().expect("number").to_owned())
        .collect()
}

#[tokio::test]
async fn pickup_groups_hold_64_members_of_their_own_site() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000001", "pickup.co.jp", "pickup").await;
    let (other_site, other_admin) = site_with_admin(&app, "N740000002", "yoso.co.jp", "yoso").await;
    let ids = seed_extensions(&app, site, 2001, 66).await;
    let theirs = seed_extensions(&app, other_site, 2001, 1).await;
    let groups = format!("/api/v1/pbx-sites/{site}/pickup-groups");

    // Bad numbers and members, each named; another organization's extension is no
    // extension of this site, exactly as a missing one.
    let bad = app.post_as(&admin, &groups, json!({"number": "12a"})).await;
    assert_eq!(bad.field_code("number"), Some("invalid_format"), "{}", bad.body);
    let bad = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "1", "members": [ids[0], 987_654_321, theirs[0], ids[0]]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.field_code("members[1]"), Some("not_on_site"));
    assert_eq!(bad.field_code("members[2]"), Some("not_on_site"));
    assert_eq!(bad.field_code("members[3]"), Some("duplicate"));
    assert_eq!(bad.field_code("members[0]"), None);

    let created = app
        .post_as(&admin, &groups, json!({"number": "1", "members": &ids[..63]}))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created["members"].as_array().map(Vec::len), Some(63));
    assert_eq!(created["member_limit"], 64);
    let group = created["id"].as_i64().expect("id");
    let taken = app.post_as(&admin, &groups, json!({"number": "1"})).await;
    assert_eq!(
        (taken.status, taken.field_code("number")),
        (StatusCode::CONFLICT, Some("taken"))
    );

    // The 64th member is accepted, the 65th refused with the limit named.
    let members = format!("/api/v1/pickup-groups/{group}/members");
    let full = app
        .post_as(&admin, &members, json!({"extension_id": ids[63]}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(full["members"].as_array().map(Vec::len), Some(64));
    let over = app
        .post_as(&admin, &members, json!({"extension_id": ids[64]}))
        .await;
    assert_eq!((over.status, over.code()), (StatusCode::CONFLICT, "member_limit"));
    assert_eq!(over.body["limit"], 64);
    assert!(
        over.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("64")),
        "{}",
        over.body
    );
    // A group of 65 at creation is refused the same way.
    let over = app
        .post_as(&admin, &groups, json!({"number": "2", "members": &ids[..65]}))
        .await;
    assert_eq!(over.code(), "member_limit");
    // Another organization's extension, and a member already in, change nothing.
    let foreign = app
        .post_as(&admin, &members, json!({"extension_id": theirs[0]}))
        .await;
    assert_eq!(foreign.field_code("extension_id"), Some("not_on_site"));
    let again = app
        .post_as(&admin, &members, json!({"extension_id": ids[0]}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(again["members"].as_array().map(Vec::len), Some(64));

    // Out, then in the list with its count; the other organization sees none of it.
    let out = app
        .delete_as(&admin, &format!("{members}/{}", ids[10]))
        .await
        .expect(StatusCode::OK);
    assert!(!numbers(&out).contains(&"2011".to_owned()));
    let not_in = app.delete_as(&admin, &format!("{members}/{}", ids[10])).await;
    assert_eq!(not_in.status, StatusCode::NOT_FOUND);
    app.post_as(&admin, &groups, json!({"number": "20", "members": [ids[10]]}))
        .await
        .expect(StatusCode::CREATED);
    let list = app.get_as(&admin, &groups).await.expect(StatusCode::OK);
    assert_eq!(
        (
            list["total"].as_i64(),
            list["site_total"].as_i64(),
            list["limit"].as_i64()
        ),
        (Some(2), Some(2), Some(4096))
    );
    let counts: Vec<(String, i64)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            (
                item["number"].as_str().expect("n").to_owned(),
                item["member_count"].as_i64().expect("c"),
            )
        })
        .collect();
    assert_eq!(counts, vec![("1".to_owned(), 63), ("20".to_owned(), 1)]);
    let searched = app
        .get_as(&admin, &format!("{groups}?q=2"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(searched["total"], 1);
    let theirs_list = app
        .get_as(
            &other_admin,
            &format!("/api/v1/pbx-sites/{other_site}/pickup-groups"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(theirs_list["total"], 0);

    app.delete_as(&admin, &format!("/api/v1/pickup-groups/{group}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    let gone = app
        .get_as(&admin, &format!("/api/v1/pickup-groups/{group}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let extension = app
        .get_as(&admin, &format!("/api/v1/extensions/{}", ids[0]))
        .await;
    assert_eq!(extension.status, StatusCode::OK, "its extensions stay");
}

#[tokio::test]
async fn a_site_holds_4096_pickup_and_10000_hunting_groups() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000003", "ippai.co.jp", "ippai").await;
    let ids = seed_extensions(&app, site, 2001, 2).await;
    seed_groups(&app, site, false, 4095).await;
    seed_groups(&app, site, true, 9999).await;

    let pickup = format!("/api/v1/pbx-sites/{site}/pickup-groups");
    app.post_as(&admin, &pickup, json!({"number": "5000"}))
        .await
        .expect(StatusCode::CREATED);
    let over = app.post_as(&admin, &pickup, json!({"number": "5001"})).await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::CONFLICT, "pickup_group_limit")
    );
    assert_eq!(over.body["limit"], 4096);
    assert!(
        over.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("4096")),
        "{}",
        over.body
    );

    let hunting = format!("/api/v1/pbx-sites/{site}/hunting-groups");
    app.post_as(
        &admin,
        &hunting,
        json!({"number": "10000", "representative_extension_id": ids[0], "strategy": "priority"}),
    )
    .await
    .expect(StatusCode::CREATED);
    let over = app
        .post_as(
            &admin,
            &hunting,
            json!({"number": "10001", "representative_extension_id": ids[1], "strategy": "priority"}),
        )
        .await;
    assert_eq!(
        (over.status, over.code()),
        (StatusCode::CONFLICT, "hunting_group_limit")
    );
    assert_eq!(over.body["limit"], 10000);
    let list = app
        .get_as(&admin, &format!("{hunting}?per_page=1"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (list["site_total"].as_i64(), list["limit"].as_i64()),
        (Some(10000), Some(10000))
    );
}

#[tokio::test]
async fn hunting_groups_ring_their_members_in_order_and_share_none() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000004", "hunt.co.jp", "hunt").await;
    let (other_site, _) = site_with_admin(&app, "N740000005", "hoka.co.jp", "hoka").await;
    let ids = seed_extensions(&app, site, 3001, 70).await;
    let theirs = seed_extensions(&app, other_site, 3001, 1).await;
    let groups = format!("/api/v1/pbx-sites/{site}/hunting-groups");

    // The representative must be an extension of the site.
    for representative in [987_654_321, theirs[0]] {
        let bad = app
            .post_as(
                &admin,
                &groups,
                json!({"number": "10", "representative_extension_id": representative, "strategy": "priority"}),
            )
            .await;
        assert_eq!(
            bad.field_code("representative_extension_id"),
            Some("not_on_site"),
            "{}",
            bad.body
        );
    }
    let bad = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "10", "representative_extension_id": ids[0], "strategy": "sequential"}),
        )
        .await;
    assert!(bad.status.is_client_error(), "an unknown strategy: {}", bad.body);

    let created = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "10", "representative_extension_id": ids[0], "strategy": "priority",
                   "members": [ids[1], ids[2], ids[3]]}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(numbers(&created), ["3002", "3003", "3004"]);
    assert_eq!(created["representative"]["number"], "3001");
    let group = created["id"].as_i64().expect("id");

    // An extension is in one hunting group at most: the answer names the group.
    let second = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "11", "representative_extension_id": ids[10], "strategy": "round_robin",
                   "members": [ids[11], ids[2]]}),
        )
        .await;
    assert_eq!(
        (second.status, second.code()),
        (StatusCode::CONFLICT, "in_hunting_group")
    );
    assert_eq!(second.body["groups"], json!(["10"]));
    assert!(
        second.body["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains("3003") && detail.contains("10"))
    );
    // One representative per group.
    let shared = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "11", "representative_extension_id": ids[0], "strategy": "round_robin"}),
        )
        .await;
    assert_eq!(shared.code(), "representative_taken");
    // A representative is a member of no hunting group, its own included (a loop).
    let own = app
        .post_as(&admin, &groups, json!({"number": "11", "representative_extension_id": ids[10], "strategy": "round_robin", "members": [ids[10]]}))
        .await;
    assert_eq!(
        (own.code(), &own.body["groups"]),
        ("representative_taken", &json!(["11"]))
    );
    let member_as_representative = app
        .post_as(
            &admin,
            &groups,
            json!({"number": "11", "representative_extension_id": ids[1], "strategy": "round_robin"}),
        )
        .await;
    assert_eq!(
        (
            member_as_representative.code(),
            &member_as_representative.body["groups"]
        ),
        ("in_hunting_group", &json!(["10"]))
    );
    let representative_as_member = app
        .post_as(
            &admin,
            &format!("/api/v1/hunting-groups/{group}/members"),
            json!({"extension_id": ids[0]}),
        )
        .await;
    assert_eq!(representative_as_member.code(), "representative_taken");
    let other = app
        .post_as(&admin, &groups, json!({"number": "11", "representative_extension_id": ids[10], "strategy": "round_robin", "members": [ids[11]]}))
        .await
        .expect(StatusCode::CREATED);
    let other_id = other["id"].as_i64().expect("id");
    let moved = app
        .post_as(
            &admin,
            &format!("/api/v1/hunting-groups/{other_id}/members"),
            json!({"extension_id": ids[1]}),
        )
        .await;
    assert_eq!(
        (moved.code(), &moved.body["groups"]),
        ("in_hunting_group", &json!(["10"]))
    );

    // Members join at the end; the order is changed as a whole and kept.
    let members = format!("/api/v1/hunting-groups/{group}/members");
    let joined = app
        .post_as(&admin, &members, json!({"extension_id": ids[4]}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&joined), ["3002", "3003", "3004", "3005"]);
    let order = format!("/api/v1/hunting-groups/{group}/member-order");
    for wrong in [
        json!([ids[4], ids[3], ids[2]]),
        json!([ids[4], ids[3], ids[2], ids[2]]),
        json!([ids[4], ids[3], ids[2], ids[1], ids[9]]),
        json!([ids[4], ids[3], ids[2], ids[9]]),
    ] {
        let refused = app
            .request_as(
                &admin,
                reqwest::Method::PUT,
                &order,
                Some(&json!({"extension_ids": wrong})),
            )
            .await;
        assert_eq!(
            refused.field_code("extension_ids"),
            Some("not_the_members"),
            "{wrong}"
        );
    }
    let reordered = app
        .request_as(
            &admin,
            reqwest::Method::PUT,
            &order,
            Some(&json!({"extension_ids": [ids[4], ids[1], ids[3], ids[2]]})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&reordered), ["3005", "3002", "3004", "3003"]);
    let removed = app
        .delete_as(&admin, &format!("{members}/{}", ids[1]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        numbers(&removed),
        ["3005", "3004", "3003"],
        "the others keep their order"
    );
    let read = app
        .get_as(&admin, &format!("/api/v1/hunting-groups/{group}"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&read), ["3005", "3004", "3003"]);

    // Representative and strategy change; the list shows both with the count.
    let changed = app
        .patch_as(
            &admin,
            &format!("/api/v1/hunting-groups/{group}"),
            json!({"strategy": "round_robin", "representative_extension_id": ids[20]}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (&changed["strategy"], &changed["representative"]["number"]),
        (&json!("round_robin"), &json!("3021"))
    );
    let taken = app
        .patch_as(
            &admin,
            &format!("/api/v1/hunting-groups/{group}"),
            json!({"representative_extension_id": ids[10]}),
        )
        .await;
    assert_eq!(taken.code(), "representative_taken");
    let a_member = app
        .patch_as(
            &admin,
            &format!("/api/v1/hunting-groups/{group}"),
            json!({"representative_extension_id": ids[3]}),
        )
        .await;
    assert_eq!(a_member.code(), "in_hunting_group");
    // A change that changes nothing writes nothing.
    let same = app
        .patch_as(
            &admin,
            &format!("/api/v1/hunting-groups/{group}"),
            json!({"strategy": "round_robin"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(same["updated_at"], changed["updated_at"]);
    let list = app.get_as(&admin, &groups).await.expect(StatusCode::OK);
    assert_eq!(list["items"][0]["representative_number"], "3021");
    assert_eq!(list["items"][0]["member_count"], 3);

    // 64 members, not 65: 61 more of the extensions in no hunting group join the 3.
    // Not the members of groups 10 and 11, nor their representatives.
    let busy = [ids[2], ids[3], ids[4], ids[11], ids[10], ids[20]];
    let mut free = ids.iter().filter(|id| !busy.contains(id));
    for id in free.by_ref().take(61) {
        app.post_as(&admin, &members, json!({"extension_id": id}))
            .await
            .expect(StatusCode::OK);
    }
    let over = app
        .post_as(
            &admin,
            &members,
            json!({"extension_id": free.next().expect("one more")}),
        )
        .await;
    assert_eq!((over.status, over.code()), (StatusCode::CONFLICT, "member_limit"));
    assert_eq!(over.body["limit"], 64);

    app.delete_as(&admin, &format!("/api/v1/hunting-groups/{other_id}"))
        .await
        .expect(StatusCode::NO_CONTENT);
    let free = app.post_as(&admin, &format!("/api/v1/pbx-sites/{site}/hunting-groups"), json!({"number": "12", "representative_extension_id": ids[10], "strategy": "priority", "members": [ids[11]]})).await;
    assert_eq!(
        free.status,
        StatusCode::CREATED,
        "a deleted group frees its members: {}",
        free.body
    );
}

#[tokio::test]
async fn a_grouped_extension_is_deleted_only_by_force_which_leaves_its_groups() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000006", "sakujo.co.jp", "sakujo").await;
    let ids = seed_extensions(&app, site, 4001, 4).await;
    let pickup = app
        .post_as(
            &admin,
            &format!("/api/v1/pbx-sites/{site}/pickup-groups"),
            json!({"number": "7", "members": [ids[0], ids[1]]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let hunting = app
        .post_as(
            &admin,
            &format!("/api/v1/pbx-sites/{site}/hunting-groups"),
            json!({"number": "70", "representative_extension_id": ids[2], "strategy": "priority", "members": [ids[0], ids[3]]}),
        )
        .await
        .expect(StatusCode::CREATED);

    let refused = app
        .delete_as(&admin, &format!("/api/v1/extensions/{}", ids[0]))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "in_groups")
    );
    assert_eq!(
        refused.body["groups"],
        json!(["ピックアップグループ7", "コールハンティンググループ70"])
    );
    let representative = app
        .delete_as(&admin, &format!("/api/v1/extensions/{}", ids[2]))
        .await;
    assert_eq!(
        representative.body["groups"],
        json!(["コールハンティンググループ70(代表内線番号)"])
    );

    app.advance(chrono::TimeDelta::minutes(5));
    app.delete_as(&admin, &format!("/api/v1/extensions/{}?force=true", ids[0]))
        .await
        .expect(StatusCode::NO_CONTENT);
    app.delete_as(&admin, &format!("/api/v1/extensions/{}?force=true", ids[2]))
        .await
        .expect(StatusCode::NO_CONTENT);
    let pickup = app
        .get_as(&admin, &format!("/api/v1/pickup-groups/{}", pickup["id"]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&pickup), ["4002"]);
    assert_ne!(
        pickup["updated_at"], pickup["created_at"],
        "the group is marked changed"
    );
    let hunting = app
        .get_as(&admin, &format!("/api/v1/hunting-groups/{}", hunting["id"]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(numbers(&hunting), ["4004"]);
    assert_eq!(
        hunting["representative"],
        Value::Null,
        "the group waits for a new representative"
    );

    // A bulk delete by CSV: refused while grouped, by force it leaves the groups too.
    let csv = "4002,,000000000000\r\n";
    let refused = app
        .send(
            app.client
                .post(app.url(&format!("/api/v1/pbx-sites/{site}/extensions/csv?action=delete")))
                .bearer_auth(&admin)
                .header("Content-Type", "text/csv")
                .body(csv),
        )
        .await;
    assert_eq!(refused.body["rows"][0]["code"], "in_groups", "{}", refused.body);
    let forced = app
        .send(
            app.client
                .post(app.url(&format!(
                    "/api/v1/pbx-sites/{site}/extensions/csv?action=delete&force=true"
                )))
                .bearer_auth(&admin)
                .header("Content-Type", "text/csv")
                .body(csv),
        )
        .await;
    assert_eq!(forced.status, StatusCode::OK, "{}", forced.body);
    assert_eq!(forced.body["memberships_removed"], 1);
    let pickup = app
        .get_as(&admin, &format!("/api/v1/pickup-groups/{}", pickup["id"]))
        .await
        .expect(StatusCode::OK);
    assert!(numbers(&pickup).is_empty());
}

async fn change_codes(app: &TestApp, admin: &str, site: i64, body: Value) -> crate::helpers::Answer {
    app.patch_as(admin, &format!("/api/v1/pbx-sites/{site}/feature-codes"), body)
        .await
}

/// The (field, item, item value) of every conflict of a refused change.
fn conflicts(answer: &crate::helpers::Answer) -> Vec<(String, String, String)> {
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::CONFLICT, "code_conflict"),
        "{}",
        answer.body
    );
    answer.body["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .map(|conflict| {
            (
                conflict["field"].as_str().expect("field").to_owned(),
                conflict["item"].as_str().expect("item").to_owned(),
                conflict["item_value"].as_str().expect("value").to_owned(),
            )
        })
        .collect()
}

fn triple(field: &str, item: &str, value: &str) -> (String, String, String) {
    (field.to_owned(), item.to_owned(), value.to_owned())
}

#[tokio::test]
async fn feature_codes_overlap_nothing_the_pbx_dials() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000007", "tokuban.co.jp", "tokuban").await;
    seed_extensions(&app, site, 2001, 1).await;
    let path = format!("/api/v1/pbx-sites/{site}/feature-codes");

    let initial = app.get_as(&admin, &path).await.expect(StatusCode::OK);
    assert_eq!(
        (
            &initial["hold_code"],
            &initial["hold_after_transfer"],
            &initial["push_tone_erase"],
            &initial["park_hold_code"]
        ),
        (
            &Value::Null,
            &json!("stay_connected"),
            &json!("keep"),
            &json!("*8")
        ),
        "非切断 and 消去しない by default"
    );

    // Shapes, each named.
    let bad = change_codes(
        &app,
        &admin,
        site,
        json!({"hold_code": "#7123", "dial_confirm_code": "71", "push_tone_send_code": "＃1"}),
    )
    .await;
    assert_eq!(bad.field_code("hold_code"), Some("too_long"));
    assert_eq!(bad.field_code("dial_confirm_code"), Some("invalid_format"));
    assert_eq!(bad.field_code("push_tone_send_code"), Some("not_half_width"));
    // Only an empty value deletes a code: spaces alone are refused.
    let blank = change_codes(&app, &admin, site, json!({"hold_code": "   "})).await;
    assert_eq!(
        blank.field_code("hold_code"),
        Some("invalid_format"),
        "{}",
        blank.body
    );

    // A 1-key hold code is accepted with a warning; 切断 is kept.
    let short = change_codes(
        &app,
        &admin,
        site,
        json!({"hold_code": "#", "hold_after_transfer": "disconnect"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(short["warnings"][0]["code"], "short_hold_code");
    assert_eq!(short["hold_after_transfer"], "disconnect");
    let set = change_codes(&app, &admin, site, json!({"hold_code": "#7"}))
        .await
        .expect(StatusCode::OK);
    assert!(set.get("warnings").is_none(), "{set}");

    // The seed's example: hold #7 with dial-confirm #71 (the code has the hold code as
    // prefix), and the other way round (the code is the hold code's prefix), and equal.
    let prefix = change_codes(&app, &admin, site, json!({"dial_confirm_code": "#71"})).await;
    assert_eq!(
        conflicts(&prefix),
        [
            triple("hold_code", "dial_confirm_code", "#71"),
            triple("dial_confirm_code", "hold_code", "#7")
        ]
    );
    let message = prefix.body["errors"][1]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("ダイヤル確定特番「#71」") && message.contains("保留特番「#7」"),
        "{message}"
    );
    let shorter = change_codes(&app, &admin, site, json!({"push_tone_send_code": "#"})).await;
    assert!(conflicts(&shorter).contains(&triple("push_tone_send_code", "hold_code", "#7")));
    let equal = change_codes(&app, &admin, site, json!({"dial_confirm_code": "#7"})).await;
    assert!(conflicts(&equal).contains(&triple("dial_confirm_code", "hold_code", "#7")));

    // Against the park-hold code, the site number, a gateway id and an extension.
    let park = change_codes(&app, &admin, site, json!({"push_tone_send_code": "*81"})).await;
    assert_eq!(
        conflicts(&park),
        [triple("push_tone_send_code", "park_hold_code", "*8")]
    );
    let site_number = change_codes(&app, &admin, site, json!({"hold_code": "001"})).await;
    assert_eq!(
        conflicts(&site_number),
        [triple("hold_code", "site_number", "0012")]
    );
    let gateway = change_codes(&app, &admin, site, json!({"hold_code": "820"})).await;
    assert_eq!(conflicts(&gateway), [triple("hold_code", "gateway_id", "82")]);
    let extension = change_codes(&app, &admin, site, json!({"hold_code": "20"})).await;
    assert_eq!(conflicts(&extension), [triple("hold_code", "extension", "2001")]);
    let whole = change_codes(&app, &admin, site, json!({"hold_code": "2001"})).await;
    assert_eq!(conflicts(&whole), [triple("hold_code", "extension", "2001")]);
    // Nothing of a refused change was applied.
    let kept = app.get_as(&admin, &path).await.expect(StatusCode::OK);
    assert_eq!(
        (&kept["hold_code"], &kept["dial_confirm_code"]),
        (&json!("#7"), &Value::Null)
    );

    // The check answers the same without saving.
    let check = app
        .post_as(
            &admin,
            &format!("{path}/check"),
            json!({"dial_confirm_code": "#71", "hold_code": "3"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(check["conflicts"].as_array().map(Vec::len), Some(0), "{check}");
    assert_eq!(check["warnings"][0]["code"], "short_hold_code");
    let check = app
        .post_as(
            &admin,
            &format!("{path}/check"),
            json!({"dial_confirm_code": "#71"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(check["conflicts"].as_array().map(Vec::len), Some(2));

    // Codes that fit; push-tone settings; an empty value deletes.
    let fine = change_codes(
        &app,
        &admin,
        site,
        json!({"hold_code": "#70", "dial_confirm_code": "#9", "push_tone_send_code": "*#", "push_tone_erase": "erase"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        (
            &fine["hold_code"],
            &fine["dial_confirm_code"],
            &fine["push_tone_send_code"],
            &fine["push_tone_erase"]
        ),
        (&json!("#70"), &json!("#9"), &json!("*#"), &json!("erase"))
    );
    let deleted = change_codes(&app, &admin, site, json!({"dial_confirm_code": ""}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (&deleted["dial_confirm_code"], &deleted["hold_code"]),
        (&Value::Null, &json!("#70"))
    );

    // A new extension whose number overlaps a code is refused the same way, by API and CSV.
    change_codes(&app, &admin, site, json!({"hold_code": "55"}))
        .await
        .expect(StatusCode::OK);
    let extensions = format!("/api/v1/pbx-sites/{site}/extensions");
    let refused = app
        .post_as(
            &admin,
            &extensions,
            json!({"number": "5501", "web_user": "yamada", "web_password": "Abcd1234"}),
        )
        .await;
    assert_eq!(conflicts(&refused), [triple("number", "hold_code", "55")]);
    let short = app
        .post_as(
            &admin,
            &extensions,
            json!({"number": "55", "web_user": "yamada", "web_password": "Abcd1234"}),
        )
        .await;
    assert_eq!(conflicts(&short), [triple("number", "hold_code", "55")]);
    let csv = app
        .send(
            app.client
                .post(app.url(&format!("{extensions}/csv?action=register")))
                .bearer_auth(&admin)
                .header("Content-Type", "text/csv")
                .body("5502,\r\n5602,\r\n"),
        )
        .await;
    assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", csv.body);
    assert_eq!(csv.body["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (&csv.body["rows"][0]["line"], &csv.body["rows"][0]["code"]),
        (&json!(1), &json!("code_conflict"))
    );
    app.post_as(
        &admin,
        &extensions,
        json!({"number": "5601", "web_user": "yamada", "web_password": "Abcd1234"}),
    )
    .await
    .expect(StatusCode::CREATED);
}

#[tokio::test]
async fn the_forwarding_overview_shows_every_extensions_forwarding() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000008", "tensou.co.jp", "tensou").await;
    let ids = seed_extensions(&app, site, 2001, 3).await;
    app.request_as(
        &admin,
        reqwest::Method::PUT,
        &format!("/api/v1/extensions/{}/forwarding", ids[1]),
        Some(&json!({"busy": "0312345678", "no_answer": "2003", "no_answer_seconds": 15})),
    )
    .await
    .expect(StatusCode::OK);
    let path = format!("/api/v1/pbx-sites/{site}/forwarding");
    let all = app.get_as(&admin, &path).await.expect(StatusCode::OK);
    assert_eq!(all["total"], 3);
    assert_eq!(all["items"][1]["number"], "2002");
    assert_eq!(
        all["items"][1]["forwarding"],
        json!({"always": null, "busy": "0312345678", "no_answer": "2003", "no_answer_seconds": 15, "unreachable": null})
    );
    let forwarded = app
        .get_as(&admin, &format!("{path}?forwarded=true"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (forwarded["total"].as_i64(), &forwarded["items"][0]["number"]),
        (Some(1), &json!("2002"))
    );
    let one = app
        .get_as(&admin, &format!("{path}?q=2003"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (one["total"].as_i64(), &one["items"][0]["number"]),
        (Some(1), &json!("2003"))
    );
}

/// Ten requests at once against a group of 60: exactly four get in, the site's lock
/// (PostgreSQL) or the single writer (SQLite) counting each against the others.
#[tokio::test]
async fn the_member_limit_holds_under_concurrent_requests() {
    let app = spawn_app().await;
    let (site, admin) = site_with_admin(&app, "N740000009", "douji.co.jp", "douji").await;
    let ids = seed_extensions(&app, site, 2001, 70).await;
    let group = app
        .post_as(
            &admin,
            &format!("/api/v1/pbx-sites/{site}/hunting-groups"),
            json!({"number": "1", "representative_extension_id": ids[69], "strategy": "round_robin", "members": &ids[..60]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let members = format!("/api/v1/hunting-groups/{}/members", group["id"]);
    let answers = futures_util::future::join_all(
        ids[60..69]
            .iter()
            .chain(&ids[59..60])
            .map(|id| app.post_as(&admin, &members, json!({"extension_id": id}))),
    )
    .await;
    let added = answers
        .iter()
        .filter(|answer| answer.status == StatusCode::OK && answer.body["members"].is_array())
        .count();
    let refused = answers
        .iter()
        .filter(|answer| answer.code() == "member_limit")
        .count();
    // One of the ten is a member already: it answers 200 and changes nothing.
    assert_eq!(
        (added, refused),
        (5, 5),
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    let read = app
        .get_as(&admin, &format!("/api/v1/hunting-groups/{}", group["id"]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(read["members"].as_array().map(Vec::len), Some(64));
}
