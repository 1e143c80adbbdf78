//! An agency's rockets.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{AdminState, Listing, store_error, user_uuid};
use crate::actors::audit_log::Subject;
use crate::domain::launch::{Reach, RocketChanges, parse_capacity, parse_label};
use crate::http::auth::{Authorized, CurrentUser, only};
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::http::request_id::current_request_id;
use crate::storage::postgres::profiles;
use crate::storage::postgres::rockets::{self, NewRocket, RocketChangeError, RocketRow};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RocketInput {
    name: String,
    model: String,
    capacity: i64,
    /// suborbital, low_earth_orbit, moon or mars
    range: String,
}

/// The agency's rockets.
#[utoipa::path(get, path = "/api/admin/rockets", responses((status = 200, body = Listing<RocketRow>), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn list_rockets(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
) -> Result<HttpResponse, ApiError> {
    let items = rockets::of_agency(&state.pool, user_uuid(&user)?)
        .await
        .map_err(store_error)?;
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// Registers a rocket for the signed-in agency.
#[utoipa::path(post, path = "/api/admin/rockets", request_body = RocketInput,
    responses((status = 201, body = RocketRow), (status = 400), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn create_rocket(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    input: web::Json<RocketInput>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let name = parse_label("name", &input.name)?;
    let model = parse_label("model", &input.model)?;
    let capacity = i32::try_from(parse_capacity(input.capacity)?)
        .map_err(|_| ApiError::Validation("capacity is too large".to_owned()))?;
    let reach = Reach::parse(&input.range)?;
    profiles::ensure_agency(&state.pool, agency_id, &user.0.name, &user.0.email)
        .await
        .map_err(store_error)?;
    let rocket = rockets::insert(
        &state.pool,
        &NewRocket {
            agency_id,
            name: &name,
            model: &model,
            capacity,
            reach: reach.as_str(),
        },
    )
    .await
    .map_err(store_error)?;
    audit_rocket(
        &state,
        &user,
        "rocket.created",
        &rocket,
        format!("rocket {name} registered"),
        serde_json::json!({"capacity": capacity, "range": reach}),
    );
    Ok(HttpResponse::Created().json(rocket))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RocketPatch {
    name: Option<String>,
    model: Option<String>,
    /// A launch keeps the capacity it was scheduled with: a new capacity applies to later launches.
    capacity: Option<i64>,
    /// May not shrink below the destination of a launch that is not final.
    range: Option<String>,
}

fn change_error(error: RocketChangeError) -> ApiError {
    match error {
        RocketChangeError::NotFound => ApiError::NotFound("rocket"),
        RocketChangeError::Refused(refusal) => {
            ApiError::conflict(refusal.code(), refusal.to_string())
        }
        RocketChangeError::Store(error) => store_error(error),
    }
}

fn audit_rocket(
    state: &AdminState,
    user: &CurrentUser,
    event: &str,
    rocket: &RocketRow,
    message: String,
    data: serde_json::Value,
) {
    let request_id = current_request_id();
    let rocket_id = rocket.id.to_string();
    state.audit.info(
        event,
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("rocket"),
            entity_id: Some(&rocket_id),
            request_id: Some(&request_id),
        },
        message,
        data,
    );
}

/// Changes some of a rocket's fields. Launches keep the capacity they were scheduled with; the
/// range may not shrink below a destination of the rocket's launches that are not final.
#[utoipa::path(patch, path = "/api/admin/rockets/{id}", request_body = RocketPatch,
    responses((status = 200, body = RocketRow), (status = 400, description = "no field given, or a field is invalid"),
        (status = 401), (status = 403), (status = 404, description = "not one of the agency's rockets"),
        (status = 409, description = "range_below_launch_destination")),
    security(("bearer" = [])))]
pub async fn update_rocket(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    id: web::Path<String>,
    input: web::Json<RocketPatch>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let rocket_id = parse_id(&id, "rocket")?;
    let changes = RocketChanges::parse(
        input.name.as_deref(),
        input.model.as_deref(),
        input.capacity,
        input.range.as_deref(),
    )?;
    let rocket = rockets::update(&state.pool, rocket_id, agency_id, &changes)
        .await
        .map_err(change_error)?;
    audit_rocket(
        &state,
        &user,
        "rocket.updated",
        &rocket,
        format!("rocket {} changed", rocket.name),
        serde_json::json!({
            "name": changes.name,
            "model": changes.model,
            "capacity": changes.capacity,
            "range": changes.reach,
        }),
    );
    Ok(HttpResponse::Ok().json(rocket))
}

/// Deactivates a rocket (it gets no new launches; it is never deleted), once every launch of it
/// is launched, failed or aborted. Deactivating an inactive rocket answers it as it is.
#[utoipa::path(post, path = "/api/admin/rockets/{id}/deactivate",
    responses((status = 200, body = RocketRow), (status = 401), (status = 403),
        (status = 404, description = "not one of the agency's rockets"),
        (status = 409, description = "rocket_has_future_launches")),
    security(("bearer" = [])))]
pub async fn deactivate_rocket(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let rocket_id = parse_id(&id, "rocket")?;
    let rocket = rockets::deactivate(&state.pool, rocket_id, agency_id)
        .await
        .map_err(change_error)?;
    audit_rocket(
        &state,
        &user,
        "rocket.deactivated",
        &rocket,
        format!("rocket {} deactivated", rocket.name),
        serde_json::json!({}),
    );
    Ok(HttpResponse::Ok().json(rocket))
}
