//! HTTP concerns shared by every role: one error type, request ids, the auth extractor, health
//! and API docs. Each role's routes live in their own folder.

pub mod admin;
pub mod auth;
pub mod client_address;
pub mod customer;
pub mod error;
pub mod health;
pub mod openapi;
pub mod request_id;
pub mod scheduler;
pub mod system;
pub mod traveler_profile;

use actix_web::web;

use crate::http::error::ApiError;

/// Largest JSON body any endpoint accepts.
pub const JSON_LIMIT_BYTES: usize = 64 * 1024;

/// Turns actix's plain-text extractor failures into JSON problems, and unknown routes into 404s.
pub fn configure_extractors(config: &mut web::ServiceConfig) {
    config
        .app_data(
            web::JsonConfig::default()
                .limit(JSON_LIMIT_BYTES)
                .error_handler(|error, _| json_body_error(&error).into()),
        )
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("malformed query: {error}")).into()
        }))
        .app_data(web::PathConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("malformed path: {error}")).into()
        }));
}

/// Why a JSON body was refused, worded for the sender. A body with a field the endpoint does not
/// know is refused rather than ignored (every request body denies unknown fields), and serde's
/// message names the field: "unknown field `role`, expected one of `name`, `email`, `password`".
fn json_body_error(error: &actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::{JsonPayloadError, PayloadError};
    match error {
        JsonPayloadError::ContentType => ApiError::BadRequest(
            "expected a JSON body with Content-Type: application/json".to_owned(),
        ),
        JsonPayloadError::Overflow { .. }
        | JsonPayloadError::OverflowKnownLength { .. }
        | JsonPayloadError::Payload(PayloadError::Overflow) => ApiError::PayloadTooLarge {
            limit_bytes: JSON_LIMIT_BYTES,
        },
        JsonPayloadError::Deserialize(cause) => {
            ApiError::BadRequest(format!("invalid JSON body: {cause}"))
        }
        other => ApiError::BadRequest(format!("unreadable JSON body: {other}")),
    }
}

pub async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound("route"))
}

/// Parses a path id; a malformed id is a 404 (no such resource), not a 500.
pub fn parse_id(raw: &str, what: &'static str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(raw).map_err(|_| ApiError::NotFound(what))
}

impl From<crate::domain::RuleViolation> for ApiError {
    fn from(violation: crate::domain::RuleViolation) -> Self {
        ApiError::Validation(violation.0)
    }
}
