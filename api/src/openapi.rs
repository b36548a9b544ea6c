//! The OpenAPI document. Routes are registered through utoipa's actix integration, so the
//! document is collected from the very services the server mounts and cannot drift;
//! `openapi/openapi.json` is its committed copy (a test keeps it current).

use actix_web::App;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use crate::startup::mount_api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Madoguchi API",
        description = "Madoguchi (窓口): one self-service portal for business customers — support tickets and incidents, contracts and documents, PBX administration, mobile lines and call analytics.\n\nEvery error answer is `application/problem+json` (RFC 9457) with a stable `code` and, for input errors, one entry per field in `errors`. Messages follow `Accept-Language` (Japanese by default, English).",
        license(name = "Proprietary")
    ),
    tags(
        (name = "auth", description = "Sign-in with email one-time passwords, tokens, password recovery"),
        (name = "accounts", description = "Registration, profile, account administration, API tokens, audit log"),
        (name = "system", description = "Health and metadata"),
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// `Authorization: Bearer <token>`: an access token from sign-in, or a personal API token.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An access token from sign-in, or a personal API token (mdg_…)",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as the server serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let limit = crate::startup::auth_rate_limit(60, 10);
    let (_app, document) = mount_api(App::new().into_utoipa_app(), &limit).split_for_parts();
    document
}

/// The base document (info, tags) that route collection extends.
pub(crate) fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Pretty JSON with a final newline, exactly as committed in `openapi/openapi.json`.
pub fn to_json(document: &utoipa::openapi::OpenApi) -> Result<String, serde_json::Error> {
    document.to_pretty_json().map(|json| json + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerates the document and compares it with the committed copy.
    /// Refresh with `cargo xtask openapi`.
    #[test]
    fn committed_openapi_document_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
        let generated = to_json(&document()).expect("document serializes");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        if generated != committed {
            let first_difference = generated
                .lines()
                .zip(committed.lines())
                .enumerate()
                .find(|(_, (new, old))| new != old)
                .map(|(index, (new, old))| {
                    format!("line {}:\n  committed: {old}\n  generated: {new}", index + 1)
                })
                .unwrap_or_else(|| "one file is a prefix of the other".into());
            panic!(
                "openapi/openapi.json is stale; run `cargo xtask openapi` and commit it.\nFirst difference at {first_difference}"
            );
        }
    }

    #[test]
    fn document_declares_license_and_problem_schema() {
        let json = serde_json::to_value(document()).expect("serializes");
        assert_eq!(json["openapi"], "3.1.0");
        assert_eq!(json["info"]["license"]["name"], "Proprietary");
        assert!(json["components"]["schemas"]["Problem"].is_object());
        assert!(json["paths"]["/api/v1/health"]["get"].is_object());
    }
}
