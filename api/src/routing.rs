//! What the router needs besides the resources: the table of documented routes (from the
//! OpenAPI document, so it lists exactly what is mounted), and the fallback that answers an
//! unmatched request 405 with `Allow` when the path exists under other methods, else 404.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

/// Every documented path template with its methods.
#[derive(Debug, Default)]
pub struct RouteTable(Vec<(Vec<String>, Vec<String>)>);

impl RouteTable {
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(method, _)| method.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        Self(routes)
    }

    /// The methods a concrete path answers to (empty: no such path; a trailing slash makes
    /// another path).
    pub fn methods_of(&self, path: &str) -> Vec<String> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut methods: Vec<String> = self
            .0
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(expected, actual)| {
                        (expected.starts_with('{') && !actual.is_empty()) || expected == actual
                    })
            })
            .flat_map(|(_, methods)| methods.iter().cloned())
            .collect();
        methods.sort();
        methods.dedup();
        methods
    }
}

/// The fallback of every API scope.
pub async fn fallback(
    request: HttpRequest,
    table: Option<web::Data<RouteTable>>,
) -> Result<HttpResponse, ApiError> {
    let allowed = table
        .map(|table| table.methods_of(request.path()))
        .unwrap_or_default();
    if allowed.is_empty() {
        Err(ApiError::NotFound)
    } else {
        Err(ApiError::MethodNotAllowed(allowed))
    }
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::OpenApiBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};

    use super::*;

    #[test]
    fn matches_templates_and_lists_methods() {
        let document = OpenApiBuilder::new()
            .paths(
                PathsBuilder::new()
                    .path(
                        "/api/v1/accounts/{id}",
                        PathItem::new(HttpMethod::Get, OperationBuilder::new()),
                    )
                    .path(
                        "/api/v1/accounts/{id}/unlock",
                        PathItem::new(HttpMethod::Post, OperationBuilder::new()),
                    ),
            )
            .build();
        let mut document = document;
        if let Some(item) = document.paths.paths.get_mut("/api/v1/accounts/{id}") {
            item.patch = Some(OperationBuilder::new().build());
        }
        let table = RouteTable::from_document(&document);
        assert_eq!(table.methods_of("/api/v1/accounts/42"), vec!["GET", "PATCH"]);
        assert_eq!(table.methods_of("/api/v1/accounts/42/unlock"), vec!["POST"]);
        assert!(table.methods_of("/api/v1/accounts").is_empty());
        assert!(table.methods_of("/api/v1/accounts/42/other").is_empty());
        assert!(
            table.methods_of("/api/v1/accounts/42/").is_empty(),
            "a trailing slash is another path"
        );
    }
}
