//! The one error type every handler returns, mapped to HTTP in one place. Bodies are
//! `{code, message, request_id}`; internal causes are logged with the request id, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::launch::LaunchStatus;
use crate::http::request_id::current_request_id;
use crate::usecases::launches::LaunchError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Validation(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("this action is not allowed for your role")]
    Forbidden,
    /// The right password for an account that IT disabled.
    #[error("this account is disabled")]
    AccountDisabled,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the body is larger than {limit_bytes} bytes")]
    PayloadTooLarge { limit_bytes: usize },
    /// A rule refused the request; `code` is one of the stable codes in docs/api.md.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        free_seats: Option<u32>,
    },
    /// Well formed, but at odds with what the server already holds (an idempotency key first
    /// used with another request).
    #[error("{message}")]
    Unprocessable { code: &'static str, message: String },
    /// The launch's status cannot change as asked; the body lists the statuses it can go to.
    #[error("{message}")]
    InvalidTransition {
        message: String,
        allowed_transitions: Vec<LaunchStatus>,
    },
    #[error("too many attempts, try again later")]
    RateLimited { retry_after_secs: u64 },
    #[error("the service is busy, try again shortly")]
    Unavailable { retry_after_secs: u64 },
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
            free_seats: None,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::Forbidden => "forbidden",
            ApiError::AccountDisabled => "account_disabled",
            ApiError::NotFound(_) => "not_found",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Conflict { code, .. } | ApiError::Unprocessable { code, .. } => code,
            ApiError::InvalidTransition { .. } => "invalid_transition",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unavailable { .. } => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    code: &'a str,
    message: String,
    request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    free_seats: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_transitions: Option<&'a [LaunchStatus]>,
}

/// The launch use cases' refusals, each to its status and code.
impl From<LaunchError> for ApiError {
    fn from(error: LaunchError) -> Self {
        let message = error.to_string();
        match error {
            LaunchError::NotFound(what) => ApiError::NotFound(what),
            LaunchError::Invalid(violation) => ApiError::Validation(violation.0),
            LaunchError::InvalidTransition { allowed, .. } => ApiError::InvalidTransition {
                message,
                allowed_transitions: allowed,
            },
            LaunchError::ChangedMeanwhile | LaunchError::SlugUnavailable => {
                ApiError::conflict("conflict", message)
            }
            LaunchError::Store(cause) => ApiError::Internal(cause),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::Validation(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::AccountDisabled => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Conflict { .. } | ApiError::InvalidTransition { .. } => StatusCode::CONFLICT,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let request_id = current_request_id();
        let status = self.status_code();
        if let ApiError::Internal(cause) = self {
            tracing::error!(request_id = %request_id, error = ?cause, "request failed");
        } else {
            tracing::info!(request_id = %request_id, code = self.code(), status = status.as_u16(), "request refused");
        }
        let mut response = HttpResponse::build(status);
        if let ApiError::Unavailable { retry_after_secs }
        | ApiError::RateLimited { retry_after_secs } = self
        {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(*retry_after_secs)));
        }
        let free_seats = match self {
            ApiError::Conflict { free_seats, .. } => *free_seats,
            _ => None,
        };
        let allowed_transitions = match self {
            ApiError::InvalidTransition {
                allowed_transitions,
                ..
            } => Some(allowed_transitions.as_slice()),
            _ => None,
        };
        response.json(ProblemBody {
            code: self.code(),
            message: self.to_string(),
            request_id,
            free_seats,
            allowed_transitions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_status() {
        assert_eq!(
            ApiError::BadRequest("x".into()).status_code(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(ApiError::Forbidden.status_code(), StatusCode::FORBIDDEN);
        assert_eq!(
            ApiError::PayloadTooLarge { limit_bytes: 1 }.status_code(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            (
                ApiError::AccountDisabled.status_code(),
                ApiError::AccountDisabled.code()
            ),
            (StatusCode::FORBIDDEN, "account_disabled")
        );
        assert_eq!(
            ApiError::conflict("sold_out", "none left").status_code(),
            StatusCode::CONFLICT
        );
        assert_eq!(
            ApiError::conflict("sold_out", "none left").code(),
            "sold_out"
        );
        assert_eq!(
            ApiError::Unavailable {
                retry_after_secs: 1
            }
            .status_code(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        let reused = ApiError::Unprocessable {
            code: "idempotency_key_reused",
            message: "used before".into(),
        };
        assert_eq!(reused.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reused.code(), "idempotency_key_reused");
    }

    #[test]
    fn internal_causes_are_not_leaked() {
        let error = ApiError::internal(anyhow::anyhow!("password=hunter2"));
        assert_eq!(error.to_string(), "internal error");
    }
}
