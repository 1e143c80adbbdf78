//! The signed-in traveller's own profile, in the customer API: saved in the customer DB's
//! traveller document together with its event's outbox entry, so that the operations DB gets
//! its copy even when the broker is down at the time of the save.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::actors::audit_log::Subject;
use crate::actors::sync::outbox_relay::Nudge;
use crate::domain::profile::{TravelerProfile, TravelerProfileRequest};
use crate::http::auth::{Authorized, only};
use crate::http::customer::CustomerState;
use crate::http::error::ApiError;
use crate::http::request_id::current_request_id;
use crate::storage::mongo::customer::{ProfileOutboxEntry, TravelerDocument};

/// Saves that lose to another save of the same traveller read again this many times.
const SAVE_ATTEMPTS: usize = 3;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TravelerProfileInput {
    /// Digits with spaces, `+`, `-`, `.` and parentheses; null or blank to leave it out.
    phone: Option<String>,
    contact_email: Option<String>,
    emergency_contact: Option<String>,
    /// For invoices.
    tax_id: Option<String>,
}

/// The traveller's profile (every field null until given).
#[utoipa::path(get, path = "/api/customer/profile", responses((status = 200, body = TravelerProfile), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn my_profile(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
) -> Result<HttpResponse, ApiError> {
    let profile = state
        .store
        .traveler(user.id())
        .await
        .map_err(ApiError::internal)?
        .map(|traveler| traveler.profile)
        .unwrap_or_default();
    Ok(HttpResponse::Ok().json(profile))
}

/// Replaces the traveller's profile; the operations DB gets it through the profile outbox.
#[utoipa::path(put, path = "/api/customer/profile", request_body = TravelerProfileInput,
    responses((status = 200, body = TravelerProfile), (status = 400, description = "a field is invalid"),
        (status = 401), (status = 403), (status = 409, description = "saved elsewhere at the same time; try again")),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user_id = %user.id()))]
pub async fn update_my_profile(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
    input: web::Json<TravelerProfileInput>,
) -> Result<HttpResponse, ApiError> {
    let profile = TravelerProfile::parse(TravelerProfileRequest {
        phone: input.phone.as_deref(),
        contact_email: input.contact_email.as_deref(),
        emergency_contact: input.emergency_contact.as_deref(),
        tax_id: input.tax_id.as_deref(),
    })?;
    let mut saved = None;
    for _ in 0..SAVE_ATTEMPTS {
        let stored = state
            .store
            .traveler(user.id())
            .await
            .map_err(ApiError::internal)?;
        let read_revision = stored
            .as_ref()
            .map_or(0, |traveler| traveler.profile_revision);
        let event_id = uuid::Uuid::now_v7().to_string();
        let traveler = TravelerDocument {
            id: user.id().to_owned(),
            name: stored
                .as_ref()
                .map_or_else(|| user.0.name.clone(), |traveler| traveler.name.clone()),
            email: stored
                .as_ref()
                .map_or_else(|| user.0.email.clone(), |traveler| traveler.email.clone()),
            profile: profile.clone(),
            profile_revision: read_revision + 1,
            profile_updated_at: Some(state.clock.now()),
            profile_event_id: Some(event_id.clone()),
        };
        // The entry first: a document never holds an event id without its entry.
        state
            .store
            .insert_profile_outbox(&ProfileOutboxEntry {
                id: event_id,
                traveler_id: traveler.id.clone(),
                written_at: chrono::Utc::now(),
            })
            .await
            .map_err(ApiError::internal)?;
        if state
            .store
            .save_traveler_profile(&traveler, read_revision)
            .await
            .map_err(ApiError::internal)?
        {
            saved = Some(traveler);
            break;
        }
    }
    let Some(traveler) = saved else {
        return Err(ApiError::conflict(
            "conflict",
            "the profile was saved elsewhere at the same time; reload and try again",
        ));
    };
    if let Some(relay) = state.profile_relay.get() {
        relay.do_send(Nudge);
    }
    let request_id = current_request_id();
    state.audit.info(
        "traveler.profile_updated",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("traveler"),
            entity_id: Some(user.id()),
            request_id: Some(&request_id),
        },
        "traveller profile updated".to_owned(),
        serde_json::json!({"revision": traveler.profile_revision}),
    );
    Ok(HttpResponse::Ok().json(traveler.profile))
}
