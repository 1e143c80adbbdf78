//! Launches: listing, scheduling and status changes.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::{AdminState, Listing, agency_scope, store_error, user_uuid};
use crate::actors::audit_log::Subject;
use crate::actors::sync::outbox_relay::Nudge;
use crate::domain::launch::{LaunchRequest, LaunchStatus, NewLaunch, Reach, parse_label};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::http::request_id::current_request_id;
use crate::storage::amqp::events::{LAUNCH_CHANGED, LAUNCH_SCHEDULED, LaunchSnapshot};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::postgres::launches::{
    self, InsertLaunchError, LaunchRow, StatusChange, StatusChangeError,
};
use crate::storage::postgres::{profiles, rockets};

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

/// Launches: an agency's own, or all of them for financial and IT employees.
#[utoipa::path(get, path = "/api/admin/launches", responses((status = 200, body = Listing<LaunchRow>), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn list_launches(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
) -> Result<HttpResponse, ApiError> {
    let scope = agency_scope(&user)?;
    let items = launches::list(&state.pool, scope)
        .await
        .map_err(store_error)?;
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// One launch.
#[utoipa::path(get, path = "/api/admin/launches/{id}", responses((status = 200, body = LaunchRow), (status = 404)),
    security(("bearer" = [])))]
pub async fn get_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let scope = agency_scope(&user)?;
    let launch_id = parse_id(&id, "launch")?;
    let launch = launches::find(&state.pool, launch_id)
        .await
        .map_err(store_error)?
        .filter(|launch| scope.is_none_or(|agency_id| launch.agency_id == agency_id))
        .ok_or(ApiError::NotFound("launch"))?;
    Ok(HttpResponse::Ok().json(launch))
}

/// Schedules a launch on one of the agency's active rockets; it reaches the customer API
/// through the outbox.
#[utoipa::path(post, path = "/api/admin/launches", request_body = LaunchInput,
    responses((status = 201, body = LaunchRow), (status = 400), (status = 401), (status = 403), (status = 404, description = "unknown rocket")),
    security(("bearer" = [])))]
pub async fn schedule_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    input: web::Json<LaunchInput>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let rocket_id = parse_id(&input.rocket_id, "rocket")?;
    let rocket = rockets::find(&state.pool, rocket_id)
        .await
        .map_err(store_error)?
        .filter(|rocket| rocket.agency_id == agency_id)
        .ok_or(ApiError::NotFound("rocket"))?;
    if !rocket.active {
        return Err(ApiError::Validation("the rocket is deactivated".to_owned()));
    }
    let reach = Reach::parse(&rocket.reach)?;
    let capacity = u32::try_from(rocket.capacity)
        .map_err(|_| ApiError::internal(anyhow::anyhow!("negative capacity")))?;
    let request = LaunchRequest {
        mission_name: &input.mission_name,
        spaceport: &input.spaceport,
        destination: &input.destination,
        launch_at: input.launch_at,
        price_per_seat_cents: input.price_per_seat_cents,
        minimum_passengers: input.minimum_passengers,
    };
    let launch = NewLaunch::parse(request, &rocket.name, reach, capacity, Utc::now())?;
    let agency = profiles::ensure_agency(&state.pool, agency_id, &user.0.name, &user.0.email)
        .await
        .map_err(store_error)?;
    let launch_id = Uuid::new_v4();
    let mut slug = launch.slug.clone();
    for attempt in 0..3 {
        let snapshot = LaunchSnapshot {
            launch_id: launch_id.to_string(),
            agency_id: agency_id.to_string(),
            agency_name: agency.name.clone(),
            agency_email: agency.contact_email.clone(),
            rocket_name: rocket.name.clone(),
            mission_name: launch.mission_name.clone(),
            spaceport: launch.spaceport.clone(),
            destination: launch.destination,
            launch_at: launch.launch_at,
            price_per_seat_cents: launch.price_per_seat_cents,
            minimum_passengers: launch.minimum_passengers,
            capacity,
            status: LaunchStatus::Scheduled,
            slug: slug.clone(),
            status_reason: None,
            revision: 0,
            status_history: Vec::new(),
        };
        let origin = Origin {
            service: "admin".to_owned(),
            user_id: Some(user.id().to_owned()),
            action: "schedule_launch".to_owned(),
        };
        let data = serde_json::to_value(&snapshot).map_err(ApiError::internal)?;
        let event = EventEnvelope::new(LAUNCH_SCHEDULED, origin, Some(current_request_id()), data);
        match launches::insert(
            &state.pool,
            launch_id,
            agency_id,
            &rocket,
            &launch,
            &slug,
            &event,
        )
        .await
        {
            Ok(()) => break,
            // Same rocket, spaceport, destination and day: keep the slug readable, make it unique.
            Err(InsertLaunchError::SlugTaken) if attempt < 2 => {
                slug = format!(
                    "{}-{}",
                    launch.slug,
                    launch_id
                        .simple()
                        .to_string()
                        .get(..6 + attempt * 4)
                        .unwrap_or_default()
                );
            }
            Err(InsertLaunchError::SlugTaken) => {
                return Err(ApiError::conflict(
                    "conflict",
                    "could not give the launch a unique slug",
                ));
            }
            Err(InsertLaunchError::RocketChanged) => {
                return Err(ApiError::conflict(
                    "conflict",
                    "the rocket was changed or deactivated meanwhile; reload and try again",
                ));
            }
            Err(InsertLaunchError::Store(error)) => return Err(store_error(error)),
        }
    }
    if let Some(relay) = state.relay.get() {
        relay.do_send(Nudge);
    }
    let request_id = current_request_id();
    let launch_text = launch_id.to_string();
    state.audit.info(
        "launch.scheduled",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("launch"),
            entity_id: Some(&launch_text),
            request_id: Some(&request_id),
        },
        format!("launch {} scheduled", launch.mission_name),
        serde_json::json!({"slug": slug, "launch_at": launch.launch_at}),
    );
    let stored = launches::find(&state.pool, launch_id)
        .await
        .map_err(store_error)?
        .ok_or(ApiError::NotFound("launch"))?;
    Ok(HttpResponse::Created().json(stored))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AbortInput {
    /// Told to the travellers in the cancellation email.
    reason: String,
}

/// The agency aborts one of its launches: every active booking is cancelled with a full refund
/// (on the customer side, by the launch's actor, once the change arrives through the outbox).
#[utoipa::path(post, path = "/api/admin/launches/{id}/abort", request_body = AbortInput,
    responses((status = 200, body = LaunchRow), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the launch's status does not allow an abort")),
    security(("bearer" = [])))]
pub async fn abort_launch(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    id: web::Path<String>,
    input: web::Json<AbortInput>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let launch_id = parse_id(&id, "launch")?;
    let reason = parse_label("reason", &input.reason)?;
    let launch = launches::find(&state.pool, launch_id)
        .await
        .map_err(store_error)?
        .filter(|launch| launch.agency_id == agency_id)
        .ok_or(ApiError::NotFound("launch"))?;
    let from = LaunchStatus::parse(&launch.status)?;
    if !from.can_become(LaunchStatus::Aborted) {
        return Err(ApiError::conflict(
            "conflict",
            format!("a {} launch cannot be aborted", from.as_str()),
        ));
    }
    let agency = profiles::ensure_agency(&state.pool, agency_id, &user.0.name, &user.0.email)
        .await
        .map_err(store_error)?;
    let snapshot = LaunchSnapshot {
        launch_id: launch_id.to_string(),
        agency_id: agency_id.to_string(),
        agency_name: agency.name,
        agency_email: agency.contact_email,
        rocket_name: launch.rocket_name.clone(),
        mission_name: launch.mission_name.clone(),
        spaceport: launch.spaceport.clone(),
        destination: Reach::parse(&launch.destination)?,
        launch_at: launch.launch_at,
        price_per_seat_cents: launch.price_per_seat_cents,
        minimum_passengers: u32::try_from(launch.minimum_passengers).unwrap_or(0),
        capacity: u32::try_from(launch.capacity).unwrap_or(0),
        status: LaunchStatus::Aborted,
        slug: launch.slug.clone(),
        status_reason: Some(reason.clone()),
        revision: u32::try_from(launch.revision).unwrap_or(0) + 1,
        status_history: Vec::new(),
    };
    let origin = Origin {
        service: "admin".to_owned(),
        user_id: Some(user.id().to_owned()),
        action: "abort_launch".to_owned(),
    };
    let data = serde_json::to_value(&snapshot).map_err(ApiError::internal)?;
    let event = EventEnvelope::new(LAUNCH_CHANGED, origin, Some(current_request_id()), data);
    let change = StatusChange {
        launch_id,
        from,
        revision: launch.revision,
        to: LaunchStatus::Aborted,
        changed_by: agency_id,
        reason: &reason,
    };
    match launches::change_status(&state.pool, &change, &event).await {
        Ok(()) => {}
        Err(StatusChangeError::Changed) => {
            return Err(ApiError::conflict(
                "conflict",
                "the launch status changed meanwhile; reload and try again",
            ));
        }
        Err(StatusChangeError::Store(error)) => return Err(store_error(error)),
    }
    if let Some(relay) = state.relay.get() {
        relay.do_send(Nudge);
    }
    let request_id = current_request_id();
    let launch_text = launch_id.to_string();
    state.audit.info(
        "launch.aborted",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("launch"),
            entity_id: Some(&launch_text),
            request_id: Some(&request_id),
        },
        format!("launch {} aborted: {reason}", launch.mission_name),
        serde_json::json!({"from": from.as_str(), "reason": reason}),
    );
    let stored = launches::find(&state.pool, launch_id)
        .await
        .map_err(store_error)?
        .ok_or(ApiError::NotFound("launch"))?;
    Ok(HttpResponse::Ok().json(stored))
}
