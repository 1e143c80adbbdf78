//! Bookings as the operations DB knows them.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{AdminState, Listing, agency_scope, store_error};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::storage::postgres::bookings::{self, AdminBooking};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct BookingParams {
    launch_id: Option<String>,
}

/// Bookings synced from the customer side: on the agency's launches, or all.
#[utoipa::path(get, path = "/api/admin/bookings", params(BookingParams),
    responses((status = 200, body = Listing<AdminBooking>), (status = 401), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn list_bookings(
    state: web::Data<AdminState>,
    user: Authorized<only::AgencyOrStaff>,
    params: web::Query<BookingParams>,
) -> Result<HttpResponse, ApiError> {
    let scope = agency_scope(&user)?;
    let launch_id = params
        .launch_id
        .as_deref()
        .map(|id| parse_id(id, "launch"))
        .transpose()?;
    let items = bookings::list(&state.pool, scope, launch_id)
        .await
        .map_err(store_error)?;
    Ok(HttpResponse::Ok().json(Listing { items }))
}
