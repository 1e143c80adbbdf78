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
pub mod system;

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
                .error_handler(|error, _| {
                    let message = match &error {
                        actix_web::error::JsonPayloadError::ContentType => {
                            "expected a JSON body with Content-Type: application/json".to_owned()
                        }
                        actix_web::error::JsonPayloadError::Overflow { .. }
                        | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                            format!("JSON body larger than {JSON_LIMIT_BYTES} bytes")
                        }
                        other => format!("malformed JSON body: {other}"),
                    };
                    ApiError::BadRequest(message).into()
                }),
        )
        .app_data(web::QueryConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("malformed query: {error}")).into()
        }))
        .app_data(web::PathConfig::default().error_handler(|error, _| {
            ApiError::BadRequest(format!("malformed path: {error}")).into()
        }));
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
