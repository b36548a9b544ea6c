//! Pickup and hunting groups, feature codes and push-tone settings, the forwarding overview
//! of a PBX site.

use gloo_net::http::Method;
use madoguchi_types::features::{CodeCheck, FeatureCodes, FeatureCodesUpdate, ForwardingPage};
use madoguchi_types::groups::{
    HuntingGroup, HuntingGroupPage, HuntingGroupRequest, HuntingGroupUpdate, MemberOrder, MemberRequest,
    PickupGroup, PickupGroupPage, PickupGroupRequest,
};
use madoguchi_types::ids::{ExtensionId, HuntingGroupId, PickupGroupId, SiteId};

use super::{ApiError, NO_BODY, encode, private};
use crate::auth::Auth;
use crate::i18n::Lang;

/// Which kind of group a path is about.
fn page_path(site: SiteId, kind: &str, search: &str, page: i64, per_page: i64) -> String {
    let mut path = format!(
        "/api/v1/pbx-sites/{site}/{kind}?page={}&per_page={per_page}",
        page.max(1)
    );
    if !search.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(search.trim())));
    }
    path
}

pub async fn pickup_groups(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    search: &str,
    page: i64,
    per_page: i64,
) -> Result<PickupGroupPage, ApiError> {
    let path = page_path(site, "pickup-groups", search, page, per_page);
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn create_pickup(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    request: &PickupGroupRequest,
) -> Result<PickupGroup, ApiError> {
    let path = format!("/api/v1/pbx-sites/{site}/pickup-groups");
    private(auth, Method::POST, &path, lang, Some(request)).await
}

pub async fn pickup(auth: Auth, lang: Lang, id: PickupGroupId) -> Result<PickupGroup, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/pickup-groups/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn delete_pickup(auth: Auth, lang: Lang, id: PickupGroupId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/pickup-groups/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn add_pickup_member(
    auth: Auth,
    lang: Lang,
    id: PickupGroupId,
    extension_id: ExtensionId,
) -> Result<PickupGroup, ApiError> {
    let body = MemberRequest { extension_id };
    private(
        auth,
        Method::POST,
        &format!("/api/v1/pickup-groups/{id}/members"),
        lang,
        Some(&body),
    )
    .await
}

pub async fn remove_pickup_member(
    auth: Auth,
    lang: Lang,
    id: PickupGroupId,
    extension: ExtensionId,
) -> Result<PickupGroup, ApiError> {
    let path = format!("/api/v1/pickup-groups/{id}/members/{extension}");
    private(auth, Method::DELETE, &path, lang, NO_BODY).await
}

pub async fn hunting_groups(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    search: &str,
    page: i64,
    per_page: i64,
) -> Result<HuntingGroupPage, ApiError> {
    let path = page_path(site, "hunting-groups", search, page, per_page);
    private(auth, Method::GET, &path, lang, NO_BODY).await
}

pub async fn create_hunting(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    request: &HuntingGroupRequest,
) -> Result<HuntingGroup, ApiError> {
    let path = format!("/api/v1/pbx-sites/{site}/hunting-groups");
    private(auth, Method::POST, &path, lang, Some(request)).await
}

pub async fn hunting(auth: Auth, lang: Lang, id: HuntingGroupId) -> Result<HuntingGroup, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/hunting-groups/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn change_hunting(
    auth: Auth,
    lang: Lang,
    id: HuntingGroupId,
    update: &HuntingGroupUpdate,
) -> Result<HuntingGroup, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/hunting-groups/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn delete_hunting(auth: Auth, lang: Lang, id: HuntingGroupId) -> Result<(), ApiError> {
    private::<()>(
        auth,
        Method::DELETE,
        &format!("/api/v1/hunting-groups/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn add_hunting_member(
    auth: Auth,
    lang: Lang,
    id: HuntingGroupId,
    extension_id: ExtensionId,
) -> Result<HuntingGroup, ApiError> {
    let body = MemberRequest { extension_id };
    private(
        auth,
        Method::POST,
        &format!("/api/v1/hunting-groups/{id}/members"),
        lang,
        Some(&body),
    )
    .await
}

pub async fn remove_hunting_member(
    auth: Auth,
    lang: Lang,
    id: HuntingGroupId,
    extension: ExtensionId,
) -> Result<HuntingGroup, ApiError> {
    let path = format!("/api/v1/hunting-groups/{id}/members/{extension}");
    private(auth, Method::DELETE, &path, lang, NO_BODY).await
}

pub async fn order_hunting_members(
    auth: Auth,
    lang: Lang,
    id: HuntingGroupId,
    extension_ids: Vec<ExtensionId>,
) -> Result<HuntingGroup, ApiError> {
    let body = MemberOrder { extension_ids };
    private(
        auth,
        Method::PUT,
        &format!("/api/v1/hunting-groups/{id}/member-order"),
        lang,
        Some(&body),
    )
    .await
}

pub async fn feature_codes(auth: Auth, lang: Lang, site: SiteId) -> Result<FeatureCodes, ApiError> {
    private(
        auth,
        Method::GET,
        &format!("/api/v1/pbx-sites/{site}/feature-codes"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn change_feature_codes(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    update: &FeatureCodesUpdate,
) -> Result<FeatureCodes, ApiError> {
    let path = format!("/api/v1/pbx-sites/{site}/feature-codes");
    private(auth, Method::PATCH, &path, lang, Some(update)).await
}

/// What a change would meet, without saving it.
pub async fn check_feature_codes(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    update: &FeatureCodesUpdate,
) -> Result<CodeCheck, ApiError> {
    let path = format!("/api/v1/pbx-sites/{site}/feature-codes/check");
    private(auth, Method::POST, &path, lang, Some(update)).await
}

pub async fn forwarding(
    auth: Auth,
    lang: Lang,
    site: SiteId,
    (search, forwarded): (&str, bool),
    page: i64,
    per_page: i64,
) -> Result<ForwardingPage, ApiError> {
    let mut path = page_path(site, "forwarding", search, page, per_page);
    if forwarded {
        path.push_str("&forwarded=true");
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}
