//! Routes of the admin API: agencies' rockets and launches, and bookings as the operations DB
//! knows them; one module per resource, the shared state and scoping rules here.

pub mod bookings;
pub mod invoices;
pub mod launches;
pub mod profile;
pub mod reports;
pub mod rockets;

use actix_web::web;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::actors::audit_log::AuditLog;
use crate::actors::supervisor::AddressSlot;
use crate::actors::sync::OutboxRelay;
use crate::clock::SharedClock;
use crate::domain::user::UserRole;
use crate::http::auth::CurrentUser;
use crate::http::error::ApiError;
use crate::usecases::launches::LaunchUseCases;

pub struct AdminState {
    pub pool: PgPool,
    pub clock: SharedClock,
    pub audit: AuditLog,
    pub relay: AddressSlot<OutboxRelay>,
    pub launches: LaunchUseCases,
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/api/admin/rockets", web::get().to(rockets::list_rockets))
        .route("/api/admin/rockets", web::post().to(rockets::create_rocket))
        .route(
            "/api/admin/rockets/{id}",
            web::patch().to(rockets::update_rocket),
        )
        .route(
            "/api/admin/rockets/{id}/deactivate",
            web::post().to(rockets::deactivate_rocket),
        )
        .route(
            "/api/admin/launches",
            web::get().to(launches::list_launches),
        )
        .route(
            "/api/admin/launches",
            web::post().to(launches::schedule_launch),
        )
        .route(
            "/api/admin/launches/{id}",
            web::get().to(launches::get_launch),
        )
        .route(
            "/api/admin/launches/{id}/status",
            web::post().to(launches::change_status),
        )
        .route(
            "/api/admin/launches/{id}/passengers",
            web::get().to(launches::list_passengers),
        )
        .route(
            "/api/admin/launches/{id}/abort",
            web::post().to(launches::abort_launch),
        )
        .route("/api/admin/profile", web::get().to(profile::agency_profile))
        .route(
            "/api/admin/profile",
            web::put().to(profile::update_agency_profile),
        )
        .route(
            "/api/admin/bookings",
            web::get().to(bookings::list_bookings),
        )
        .route(
            "/api/admin/invoices",
            web::get().to(invoices::list_invoices),
        )
        .route(
            "/api/admin/invoices/{id}",
            web::get().to(invoices::get_invoice),
        )
        .route(
            "/api/admin/invoices/{id}/pdf",
            web::get().to(invoices::invoice_pdf),
        )
        .route(
            "/api/admin/invoices/{id}/resend",
            web::post().to(invoices::resend_invoice),
        )
        .route(
            "/api/admin/invoices/{id}/payments",
            web::post().to(invoices::record_payment),
        )
        .route(
            "/api/admin/reports/revenue",
            web::get().to(reports::revenue),
        );
}

pub(super) fn store_error(error: sqlx::Error) -> ApiError {
    ApiError::internal(error)
}

/// A date in a query string, as `YYYY-MM-DD`.
pub(super) fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| ApiError::Validation(format!("{field} must be a date as YYYY-MM-DD")))
}

/// An id in a query string: a filter, so a malformed one is a bad request, not "not found".
pub(super) fn parse_query_id(field: &str, raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::Validation(format!("{field} must be an id")))
}

/// The caller's own id as a UUID (tokens carry it as text).
pub(super) fn user_uuid(user: &CurrentUser) -> Result<Uuid, ApiError> {
    Uuid::parse_str(user.id()).map_err(|_| ApiError::Unauthenticated)
}

/// Agencies see their own; financial and IT see everything.
pub(super) fn agency_scope(user: &CurrentUser) -> Result<Option<Uuid>, ApiError> {
    if user.role() == UserRole::Agency {
        Ok(Some(user_uuid(user)?))
    } else {
        Ok(None)
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Listing<T: Serialize> {
    pub(super) items: Vec<T>,
}
