//! An agency's rockets.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{AdminState, Listing, store_error, user_uuid};
use crate::actors::audit_log::Subject;
use crate::domain::launch::{Reach, parse_capacity, parse_label};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::http::request_id::current_request_id;
use crate::storage::postgres::profiles;
use crate::storage::postgres::rockets::{self, NewRocket, RocketRow};

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
    let request_id = current_request_id();
    let rocket_id = rocket.id.to_string();
    state.audit.info(
        "rocket.created",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("rocket"),
            entity_id: Some(&rocket_id),
            request_id: Some(&request_id),
        },
        format!("rocket {name} registered"),
        serde_json::json!({"capacity": capacity, "range": reach}),
    );
    Ok(HttpResponse::Created().json(rocket))
}
