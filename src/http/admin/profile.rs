//! The signed-in agency's own profile: legal details for invoices, and the contact email its
//! launches' emails go to.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{AdminState, store_error, user_uuid};
use crate::actors::audit_log::Subject;
use crate::domain::profile::{AgencyProfile, AgencyProfileRequest};
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::http::request_id::current_request_id;
use crate::storage::postgres::profiles::{self, AgencyProfileRow};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyProfileInput {
    legal_name: Option<String>,
    /// Required.
    tax_id: Option<String>,
    /// Required.
    legal_address: Option<String>,
    /// Required: where the platform writes to the agency from now on.
    contact_email: Option<String>,
    description: Option<String>,
}

/// The agency's profile (legal fields null until first given).
#[utoipa::path(get, path = "/api/admin/profile", responses((status = 200, body = AgencyProfileRow), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn agency_profile(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let stored = profiles::agency_profile(&state.pool, agency_id)
        .await
        .map_err(store_error)?;
    let profile = match stored {
        Some(profile) => profile,
        // Not copied from the registration yet: the account is all there is.
        None => AgencyProfileRow {
            legal_name: None,
            tax_id: None,
            legal_address: None,
            contact_email: user.0.email.clone(),
            description: None,
        },
    };
    Ok(HttpResponse::Ok().json(profile))
}

/// Replaces the agency's profile; launches' events written from now on carry the new contact
/// email.
#[utoipa::path(put, path = "/api/admin/profile", request_body = AgencyProfileInput,
    responses((status = 200, body = AgencyProfileRow), (status = 400, description = "a required field is missing or a field is invalid"),
        (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn update_agency_profile(
    state: web::Data<AdminState>,
    user: Authorized<only::Agency>,
    input: web::Json<AgencyProfileInput>,
) -> Result<HttpResponse, ApiError> {
    let agency_id = user_uuid(&user)?;
    let profile = AgencyProfile::parse(AgencyProfileRequest {
        legal_name: input.legal_name.as_deref(),
        tax_id: input.tax_id.as_deref(),
        legal_address: input.legal_address.as_deref(),
        contact_email: input.contact_email.as_deref(),
        description: input.description.as_deref(),
    })?;
    profiles::ensure_agency(&state.pool, agency_id, &user.0.name, &user.0.email)
        .await
        .map_err(store_error)?;
    let stored = profiles::update_agency_profile(&state.pool, agency_id, &profile)
        .await
        .map_err(store_error)?;
    let request_id = current_request_id();
    state.audit.info(
        "agency.profile_updated",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("agency"),
            entity_id: Some(user.id()),
            request_id: Some(&request_id),
        },
        "agency profile updated".to_owned(),
        serde_json::json!({"contact_email": stored.contact_email, "tax_id": stored.tax_id}),
    );
    Ok(HttpResponse::Ok().json(stored))
}
