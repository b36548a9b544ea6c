//! The OpenAPI document. Routes are registered through utoipa's actix integration, so the
//! document is collected from the very services the server mounts and cannot drift;
//! `openapi/openapi.json` is its committed copy (a test keeps it current, and another
//! validates it against the OpenAPI 3.1 schema).
//!
//! After collection, [`Conventions`] adds what every operation shares: the problem answers
//! the extractors and middleware produce (400 malformed, 401, 405, 413, 415, 422, 429 with
//! `Retry-After`, 503), and a description on every response.

use actix_web::App;
use utoipa::OpenApi;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::{self, ContentBuilder, Ref, ResponseBuilder, schema};
use utoipa_actix_web::AppExt;

use crate::net::{RateLimits, TrustedProxies, rate_limit};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Madoguchi API",
        description = "Madoguchi (窓口): one self-service portal for business customers — support tickets and incidents, contracts and documents, PBX administration, mobile lines and call analytics.\n\nEvery error answer is `application/problem+json` (RFC 9457) with a stable `code` and, for input errors, one entry per field in `errors`. Messages follow `Accept-Language` (Japanese by default, English).",
        license(name = "Proprietary", identifier = "LicenseRef-Proprietary")
    ),
    tags(
        (name = "auth", description = "Sign-in with email one-time passwords, tokens, password recovery"),
        (name = "accounts", description = "Registration, profile, account administration, API tokens, audit log"),
        (name = "organizations", description = "Customers: staff create, rename, list and search them; a customer reads its own"),
        (name = "contracts", description = "契約情報: a customer's valid contracts with their maintenance emails and equipment; staff create and change them"),
        (name = "projects", description = "案件 and 顧客案件グループ: staff group contracts into projects and restrict accounts to them"),
        (name = "documents", description = "見積書・契約書・請求書: PDFs attached to contracts; user administrators, contract managers and staff search and download them"),
        (name = "products", description = "製品サポート情報: makers → product series → downloads, documents, standard shipping versions, end of support; a customer sees the series its contracts' equipment covers"),
        (name = "knowledge", description = "ナレッジ: articles by category and product series, searchable by any substring (Japanese included)"),
        (name = "pbx", description = "PBX (Office Link): sites (拠点) and extensions (内線番号) with their profiles, sealed passwords and assigned mobile numbers; feature codes (特番) and push-tone settings with their conflict checks; the forwarding overview"),
        (name = "analytics", description = "Toll-free call analytics (CX サポート): subscriptions per operator ID with their AN and DN numbers, call-record ingestion by staff with rollups, groups of numbers (standard plan), the reports of the free and standard plans with their filters, Erlang-B line sizing"),
        (name = "cdrs", description = "Call-detail records (通信履歴) of a PBX site: ingestion by staff, the secret question and its short grants, browse, per-day CSV files of at most 40,000 records, 92-day retention"),
        (name = "groups", description = "Pickup groups (ピックアップグループ) and call hunting groups (コールハンティンググループ) of a PBX site: limits, members, ring order"),
        (name = "mobile", description = "モバイル回線: Business Mobile lines — register up to 15 at once, 30-day minimum usage period, search; the Office Link ones are the extensions' pool"),
        (name = "tickets", description = "お問い合わせ: inquiries and incident reports, their timeline, status workflow with `If-Match`, attachments, replies by mail"),
        (name = "uploads", description = "Resumable uploads of files up to 1 GB (tus-shaped): announce, send bytes at the server's offset, resume after a cut, attach to a ticket"),
        (name = "jobs", description = "Background work: state, progress and results"),
        (name = "system", description = "Health and crash reports"),
    ),
    // Types only a path parameter names: an operation's own schemas are collected with it,
    // a parameter's `$ref` is not; a job's result is named only by a description.
    components(schemas(
        madoguchi_types::analytics::DownloadFormat,
        madoguchi_types::analytics::RenderedFile
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// `Authorization: Bearer <token>`: an access token from sign-in, or a personal API token.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
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
        components.add_security_scheme(
            "inbound_mail",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The inbound-mail token of the configuration (MADOGUCHI_INBOUND_MAIL_TOKEN), for the mail server's pipe or webhook",
                    ))
                    .build(),
            ),
        );
    }
}

/// The base document (info, tags, security scheme) that route collection extends.
pub fn base() -> openapi::OpenApi {
    ApiDoc::openapi()
}

/// The document as the server serves it.
pub fn document() -> openapi::OpenApi {
    let trusted = std::sync::Arc::new(TrustedProxies::default());
    let limits = RateLimits {
        auth: rate_limit(&trusted, 60, 10),
        sensitive: rate_limit(&trusted, 60, 10),
    };
    let (_app, mut document) =
        crate::router::mount_api(App::new().into_utoipa_app().openapi(base()), &limits).split_for_parts();
    utoipa::Modify::modify(&Conventions, &mut document);
    document
}

/// Pretty JSON with a final newline, exactly as committed in `openapi/openapi.json`.
pub fn to_json(document: &openapi::OpenApi) -> Result<String, serde_json::Error> {
    document.to_pretty_json().map(|json| json + "\n")
}

fn problem(description: &str) -> openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            madoguchi_types::PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn with_retry_after(description: &str) -> openapi::Response {
    let mut response = problem(description);
    response.headers.insert(
        "Retry-After".into(),
        HeaderBuilder::new()
            .schema(Some(
                schema::ObjectBuilder::new()
                    .schema_type(schema::Type::Integer)
                    .minimum(Some(0)),
            ))
            .description(Some("Seconds to wait before trying again"))
            .build()
            .into(),
    );
    response
}

/// The shared answers, as `#/components/responses/<name>`.
const SHARED: [(&str, &str); 8] = [
    ("400", "MalformedRequest"),
    ("401", "Unauthenticated"),
    ("405", "MethodNotAllowed"),
    ("413", "PayloadTooLarge"),
    ("415", "UnsupportedMediaType"),
    ("422", "InvalidFields"),
    ("429", "TooManyRequests"),
    ("503", "ServiceUnavailable"),
];

struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let shared = [
            (
                "MalformedRequest",
                problem("The body or a parameter could not be read (malformed JSON, wrong type)"),
            ),
            (
                "Unauthenticated",
                problem("No valid access token or API token; or the session ended"),
            ),
            ("MethodNotAllowed", {
                let mut response = problem("The path exists, but not with this method");
                response.headers.insert(
                    "Allow".into(),
                    HeaderBuilder::new()
                        .schema(Some(
                            schema::ObjectBuilder::new().schema_type(schema::Type::String),
                        ))
                        .description(Some("The methods the path answers to"))
                        .build()
                        .into(),
                );
                response
            }),
            (
                "PayloadTooLarge",
                problem("The body is larger than this endpoint accepts"),
            ),
            (
                "UnsupportedMediaType",
                problem(
                    "The body is not of the media type the operation reads (application/json unless it says otherwise)",
                ),
            ),
            (
                "InvalidFields",
                problem("Some fields are invalid; `errors` lists each"),
            ),
            (
                "TooManyRequests",
                with_retry_after("Too many requests; wait for `Retry-After` seconds"),
            ),
            (
                "ServiceUnavailable",
                problem("The database cannot be reached right now"),
            ),
        ];
        for (name, response) in shared {
            components.responses.insert(name.into(), response.into());
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                add_shared_answers(operation);
            }
        }
    }
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

fn add_shared_answers(operation: &mut Operation) {
    let authenticated = operation
        .security
        .as_ref()
        // Required only when no alternative is the empty requirement (optional sign-in).
        .is_some_and(|requirements| {
            !requirements.is_empty()
                && requirements
                    .iter()
                    .all(|requirement| requirement != &Default::default())
        });
    let has_body = operation.request_body.is_some();
    let has_parameters = operation
        .parameters
        .as_ref()
        .is_some_and(|parameters| !parameters.is_empty());
    for (status, name) in SHARED {
        let applies = match status {
            "401" => authenticated,
            "400" | "422" => has_body || has_parameters,
            "413" | "415" => has_body,
            _ => true,
        };
        if applies {
            operation
                .responses
                .responses
                .entry(status.into())
                .or_insert_with(|| Ref::new(format!("#/components/responses/{name}")).into());
        }
    }
    for response in operation.responses.responses.values_mut() {
        if let openapi::RefOr::T(response) = response
            && response.description.is_empty()
        {
            response.description = "Success".into();
        }
    }
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

    /// The document is a valid OpenAPI 3.1 document: checked against the official JSON
    /// Schema (`openapi/schema/openapi-3.1.json`, published 2022-10-07).
    #[test]
    fn document_is_valid_openapi_3_1() {
        let schema_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/schema/openapi-3.1.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema file"))
                .expect("schema JSON");
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        let document = serde_json::to_value(document()).expect("serializes");
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|error| format!("{}: {error}", error.instance_path()))
            .take(20)
            .collect();
        assert!(errors.is_empty(), "invalid OpenAPI 3.1:\n{}", errors.join("\n"));
        // The validator is not vacuous: a response without its description is refused.
        let mut broken = document.clone();
        broken["paths"]["/api/v1/health"]["get"]["responses"]["200"]
            .as_object_mut()
            .expect("response")
            .remove("description");
        assert!(!validator.is_valid(&broken));
    }

    /// Every name field of a request publishes the server's name rule
    /// (`validation::NAME_PATTERN`, held to `DisplayName` by a test in `domain`).
    #[test]
    fn name_fields_publish_the_one_name_rule() {
        let json = serde_json::to_value(document()).expect("serializes");
        let mut names = 0;
        for (schema_name, schema) in json["components"]["schemas"].as_object().expect("schemas") {
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                let Some(pattern) = property["pattern"].as_str() else {
                    continue;
                };
                if pattern.starts_with("^[^\\u0000") {
                    names += 1;
                    assert_eq!(
                        pattern,
                        madoguchi_types::validation::NAME_PATTERN,
                        "{schema_name}.{field}"
                    );
                }
            }
        }
        assert!(names >= 8, "only {names} name fields found");
    }

    /// Enums publish exactly the strings the server reads and writes.
    #[test]
    fn enums_publish_their_wire_strings() {
        use madoguchi_types::accounts::{AccountStatus, AuditAction, Role};
        use madoguchi_types::jobs::{JobKind, JobState};
        use madoguchi_types::policy::Permission;
        let json = serde_json::to_value(document()).expect("serializes");
        let published = |name: &str| -> Vec<String> {
            json["components"]["schemas"][name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is not published as an enum"))
                .iter()
                .map(|value| value.as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let serialized = |values: Vec<serde_json::Value>| -> Vec<String> {
            values
                .into_iter()
                .map(|value| value.as_str().unwrap_or_default().to_owned())
                .collect()
        };
        assert_eq!(
            published("Role"),
            serialized(Role::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert_eq!(
            published("AccountStatus"),
            serialized(AccountStatus::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert_eq!(
            published("AuditAction"),
            serialized(AuditAction::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert_eq!(
            published("Permission"),
            serialized(Permission::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert_eq!(
            published("JobKind"),
            serialized(JobKind::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert_eq!(
            published("JobState"),
            serialized(JobState::ALL.iter().map(|v| serde_json::json!(v)).collect())
        );
        assert!(published("Role").contains(&"user_admin".to_owned()));
    }

    #[test]
    fn every_operation_declares_its_shared_answers() {
        let json = serde_json::to_value(document()).expect("serializes");
        assert_eq!(json["openapi"], "3.1.0");
        assert_eq!(json["info"]["license"]["identifier"], "LicenseRef-Proprietary");
        for (path, item) in json["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("item") {
                let responses = operation["responses"].as_object().expect("responses");
                for status in ["405", "429", "503"] {
                    assert!(responses.contains_key(status), "{method} {path} lacks {status}");
                }
                if operation.get("requestBody").is_some() {
                    for status in ["400", "413", "415", "422"] {
                        assert!(responses.contains_key(status), "{method} {path} lacks {status}");
                    }
                }
            }
        }
    }
}
