//! Routes of the admin API: agencies' rockets and launches, and bookings as the operations DB
//! knows them; one module per resource, the shared state and scoping rules here.

pub mod bookings;
pub mod launches;
pub mod profile;
pub mod rockets;

use actix_web::web;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::actors::audit_log::AuditLog;
use crate::actors::supervisor::AddressSlot;
use crate::actors::sync::OutboxRelay;
use crate::domain::user::UserRole;
use crate::http::auth::CurrentUser;
use crate::http::error::ApiError;

pub struct AdminState {
    pub pool: PgPool,
    pub audit: AuditLog,
    pub relay: AddressSlot<OutboxRelay>,
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
        );
}

pub(super) fn store_error(error: sqlx::Error) -> ApiError {
    ApiError::internal(error)
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
