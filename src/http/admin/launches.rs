//! Launches: listing, scheduling, status changes and passengers. The handlers parse, authorise
//! and map errors; the use cases (`usecases::launches`) do the work.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{AdminState, Listing, agency_scope, user_uuid};
use crate::domain::RuleViolation;
use crate::domain::launch::{LaunchRequest, LaunchStatus};
use crate::domain::lifecycle::{TransitionRequest, parse_reason};
use crate::http::auth::{Authorized, CurrentUser, only};
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::http::request_id::current_request_id;
use crate::storage::postgres::launches::PassengerRow;
use crate::usecases::launches::{AgencyCaller, ChangedBy, Launch, LaunchScope};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LaunchInput {
    rocket_id: String,
    mission_name: String,
    spaceport: String,
    /// suborbital, low_earth_orbit, moon or mars; within the rocket's range
    destination: String,
    launch_at: DateTime<Utc>,
    price_per_seat_cents: i64,
    minimum_passengers: i64,
}

fn scope_of(user: &CurrentUser) -> Result<LaunchScope, ApiError> {
    Ok(match agency_scope(user)? {
        Some(agency_id) => LaunchScope::Agency(agency_id),
        None => LaunchScope::All,
    })
}

fn agency_caller(user: &CurrentUser) -> Result<AgencyCaller, ApiError> {
    Ok(AgencyCaller {
        id: user_uuid(user)?,
        name: user.0.name.clone(),
        email: user.0.email.clone(),
    })
}

/// Launches: an agency's own, or all of them for financial and IT employees.
#[utoipa::path(get, path = "/api/admin/launches", responses((status = 200, body = Listing<Launch>), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn list_launches(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
) -> Result<HttpResponse, ApiError> {
    let items = state.launches.list(scope_of(&user)?).await?;
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// One launch.
#[utoipa::path(get, path = "/api/admin/launches/{id}", responses((status = 200, body = Launch), (status = 404)),
    security(("bearer" = [])))]
pub async fn get_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let launch_id = parse_id(&id, "launch")?;
    let launch = state.launches.get(launch_id, scope_of(&user)?).await?;
    Ok(HttpResponse::Ok().json(launch))
}

/// The passengers of a launch's active bookings: its agency's, or any for financial and IT.
#[utoipa::path(get, path = "/api/admin/launches/{id}/passengers", responses((status = 200, body = Listing<PassengerRow>), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn list_passengers(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let launch_id = parse_id(&id, "launch")?;
    let items = state
        .launches
        .passengers(launch_id, scope_of(&user)?)
        .await?;
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// Schedules a launch on one of the agency's active rockets; it reaches the customer API
/// through the outbox.
#[utoipa::path(post, path = "/api/admin/launches", request_body = LaunchInput,
    responses((status = 201, body = Launch), (status = 400), (status = 401), (status = 403), (status = 404, description = "unknown rocket")),
    security(("bearer" = [])))]
pub async fn schedule_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    input: web::Json<LaunchInput>,
) -> Result<HttpResponse, ApiError> {
    let agency = agency_caller(&user)?;
    let rocket_id = parse_id(&input.rocket_id, "rocket")?;
    let request = LaunchRequest {
        mission_name: &input.mission_name,
        spaceport: &input.spaceport,
        destination: &input.destination,
        launch_at: input.launch_at,
        price_per_seat_cents: input.price_per_seat_cents,
        minimum_passengers: input.minimum_passengers,
    };
    let launch = state
        .launches
        .schedule(&agency, rocket_id, request, Some(current_request_id()))
        .await?;
    Ok(HttpResponse::Created().json(launch))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// scheduled, confirmed, delayed, launched, failed or aborted
    status: String,
    /// Required for an abort (told to the travellers); at most 500 characters.
    reason: Option<String>,
    /// The new date (RFC 3339), required for a delay and only for it.
    launch_at: Option<String>,
}

fn parse_instant(field: &str, raw: &str) -> Result<DateTime<Utc>, RuleViolation> {
    DateTime::parse_from_rfc3339(raw)
        .map(|instant| instant.with_timezone(&Utc))
        .map_err(|_| {
            RuleViolation::new(format!(
                "{field} must be an RFC 3339 date-time such as 2027-03-14T09:30:00Z"
            ))
        })
}

/// The agency's status change of one of its launches, answered with the launch.
async fn agency_changes_status(
    state: &AdminState,
    user: &CurrentUser,
    id: &str,
    request: TransitionRequest,
) -> Result<HttpResponse, ApiError> {
    let agency = agency_caller(user)?;
    let launch_id = parse_id(id, "launch")?;
    let launch = state
        .launches
        .change_status(
            &ChangedBy::Agency(agency),
            launch_id,
            request,
            Some(current_request_id()),
        )
        .await?;
    Ok(HttpResponse::Ok().json(launch))
}

/// A blank reason is no reason; an abort then asks for one.
fn optional_reason(raw: Option<&str>) -> Result<Option<String>, RuleViolation> {
    raw.filter(|reason| !reason.trim().is_empty())
        .map(parse_reason)
        .transpose()
}

/// The agency changes its launch's status: confirm, delay (a future `launch_at`), back to
/// scheduled or confirmed from delayed, abort (a `reason`; every active booking is cancelled
/// with a full refund on the customer side), launched (at or after the launch date) or failed.
#[utoipa::path(post, path = "/api/admin/launches/{id}/status", request_body = StatusInput,
    responses((status = 200, body = Launch), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "invalid_transition, with the allowed_transitions")),
    security(("bearer" = [])))]
pub async fn change_status(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    id: web::Path<String>,
    input: web::Json<StatusInput>,
) -> Result<HttpResponse, ApiError> {
    let request = TransitionRequest {
        status: LaunchStatus::parse(&input.status)?,
        reason: optional_reason(input.reason.as_deref())?,
        launch_at: input
            .launch_at
            .as_deref()
            .map(|raw| parse_instant("launch_at", raw))
            .transpose()?,
    };
    agency_changes_status(&state, &user, &id, request).await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbortInput {
    /// Told to the travellers in the cancellation email.
    reason: String,
}

/// The agency aborts one of its launches: the status change to `aborted`, as a shortcut.
#[utoipa::path(post, path = "/api/admin/launches/{id}/abort", request_body = AbortInput,
    responses((status = 200, body = Launch), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "invalid_transition: the launch's status does not allow an abort")),
    security(("bearer" = [])))]
pub async fn abort_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    id: web::Path<String>,
    input: web::Json<AbortInput>,
) -> Result<HttpResponse, ApiError> {
    let request = TransitionRequest {
        status: LaunchStatus::Aborted,
        reason: optional_reason(Some(&input.reason))?,
        launch_at: None,
    };
    agency_changes_status(&state, &user, &id, request).await
}
