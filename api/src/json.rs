//! The JSON request body extractor every handler uses. actix's `web::Json` reads the body
//! (content type → 415, size → 413, syntax → 400, through `JsonConfig`); then this one
//! insists on an object (serde would otherwise read `["N123456789", "名前"]` as the
//! fields in order) and names the field a value is missing from or of the wrong type in a
//! 422, instead of a 400 with the parser's sentence.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::Invalid;
use crate::error::ApiError;

/// A request body of type `T`, read from a JSON object.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<Value>::from_request(request, payload);
        Box::pin(async move {
            let value = body.await?.into_inner();
            Ok(Self(from_object(value)?))
        })
    }
}

/// `T` from a JSON object; what does not fit is a 422 naming the field (`a.b` for nested
/// fields, `items[2]` for list entries).
pub fn from_object<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    if !value.is_object() {
        return Err(ApiError::MalformedBody("the body must be a JSON object".into()));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        let (field, reason) = match missing {
            Some(name) => (join(&path, name), Invalid::Required),
            None if message.starts_with("invalid type: null") => (path, Invalid::Required),
            None => (path, Invalid::WrongType),
        };
        if field == "." {
            ApiError::MalformedBody(message)
        } else {
            ApiError::invalid(field, reason)
        }
    })
}

/// The field `name` inside the object at `path` (`.` is the body itself).
fn join(path: &str, name: &str) -> String {
    if path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Request {
        name: String,
        count: Option<i64>,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        code: String,
    }

    fn field_error(value: Value) -> (String, &'static str) {
        match from_object::<Request>(value) {
            Err(ApiError::Validation(violations)) => {
                let first = violations.first().expect("a field error");
                (first.field.clone(), first.reason.code())
            }
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn bodies_are_objects_and_refusals_name_the_field() {
        assert!(from_object::<Request>(json!({"name": "窓口"})).is_ok());
        assert!(matches!(
            from_object::<Request>(json!(["窓口"])),
            Err(ApiError::MalformedBody(_))
        ));
        assert_eq!(field_error(json!({})), ("name".into(), "required"));
        assert_eq!(field_error(json!({"name": null})), ("name".into(), "required"));
        assert_eq!(field_error(json!({"name": 5})), ("name".into(), "wrong_type"));
        assert_eq!(
            field_error(json!({"name": "a", "count": "many"})),
            ("count".into(), "wrong_type")
        );
        assert_eq!(
            field_error(json!({"name": "a", "inner": {}})),
            ("inner.code".into(), "required")
        );
    }
}
