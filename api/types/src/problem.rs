//! The error body of every 4xx/5xx answer: RFC 9457 problem details.

use serde::{Deserialize, Serialize};

/// Media type of [`Problem`] bodies.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem document, extended with a stable machine `code` and per-field errors.
///
/// `title` and `detail` are in the language the client asked for (`Accept-Language`:
/// Japanese by default, English on request); `code` never changes with the language, so
/// scripts should match on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem (`urn:madoguchi:problem:<code>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short, human-readable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong with this request, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path this problem belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`, `conflict`.
    pub code: String,
    /// One entry per invalid field (empty unless `code` is about input).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The states the resource may move to instead (an illegal transition).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
    /// The bytes the server has of an upload (an offset mismatch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Why an inbound mail was refused (`sender_not_allowed`, `no_ticket`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The groups an extension belongs to (a delete without `force`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// The first day a mobile line may be deleted (inside its minimum usage period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletable_from: Option<chrono::NaiveDate>,
    /// A refused CSV file: every bad row (line, column, value, reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<crate::extensions::CsvRowError>,
    /// A CSV file: the encoding it was read in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<crate::extensions::CsvEncoding>,
    /// The limit reached (`pickup_group_limit`, `hunting_group_limit`, `member_limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Every overlap of a feature code or extension number with another number the PBX
    /// dials (`code_conflict`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<crate::features::CodeConflict>,
    /// Identifier of the request in the server's logs, for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Why one input field was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request (JSON pointer-like for nested fields, e.g. `emails/0`).
    pub field: String,
    /// Stable machine-readable reason, e.g. `required`, `too_long`, `invalid_format`, `taken`.
    pub code: String,
    /// The reason for a person, in the requested language.
    pub message: String,
}

impl Problem {
    /// The message for one field, if that field was refused.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_type_member_and_omits_empty_optionals() {
        let problem = Problem {
            problem_type: "urn:madoguchi:problem:not_found".into(),
            title: "Not Found".into(),
            status: 404,
            detail: None,
            instance: None,
            code: "not_found".into(),
            errors: vec![],
            allowed: vec![],
            offset: None,
            reason: None,
            groups: vec![],
            deletable_from: None,
            rows: vec![],
            encoding: None,
            limit: None,
            conflicts: vec![],
            request_id: None,
        };
        let json = serde_json::to_value(&problem).expect("serializes");
        assert_eq!(json["type"], "urn:madoguchi:problem:not_found");
        assert!(json.get("detail").is_none());
        assert!(json.get("errors").is_none());
        let back: Problem = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, problem);
    }
}
