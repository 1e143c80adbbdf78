//! Routes of the customer API: the public launch listing (from memory) and bookings, which the
//! launch actors decide.

use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actors::audit_log::{AuditLog, Subject};
use crate::actors::launch::board::{ListingOrder, ListingQuery, PublicLaunch};
use crate::actors::launch::directory::DispatchError;
use crate::actors::launch::{
    BookingFailure, BookingRequest, CancelFailure, CancelRequest, LaunchBoard, LaunchDirectory,
};
use crate::clock::SharedClock;
use crate::domain::booking::{
    BookingRefusal, Cancellation, MAX_SEATS_PER_BOOKING, MAX_SEATS_PER_VIP_BOOKING, Passenger,
    is_vip, refund_for_cancellation,
};
use crate::domain::launch::{LaunchStatus, Reach};
use crate::domain::text::parse_plain_text;
use crate::http::auth::{Authorized, CurrentUser, only};
use crate::http::error::ApiError;
use crate::http::request_id::current_request_id;
use crate::storage::mongo::customer::{
    BookingDocument, BookingStatus, CustomerStore, LaunchDocument,
};

/// Callers who hit a busy or restarting launch are told to come back after this many seconds.
const RETRY_AFTER_SECS: u64 = 1;
const MAX_IDEMPOTENCY_KEY_LENGTH: usize = 128;

pub struct CustomerState {
    pub board: std::sync::Arc<LaunchBoard>,
    pub directory: LaunchDirectory,
    pub store: CustomerStore,
    pub audit: AuditLog,
    pub clock: SharedClock,
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/api/customer/launches", web::get().to(list_launches))
        .route(
            "/api/customer/launches/{slug}",
            web::get().to(launch_by_slug),
        )
        .route("/api/customer/bookings", web::post().to(create_booking))
        .route("/api/customer/bookings", web::get().to(my_bookings))
        .route(
            "/api/customer/bookings/{id}/refund",
            web::get().to(refund_preview),
        )
        .route(
            "/api/customer/bookings/{id}/cancel",
            web::post().to(cancel_booking),
        );
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListingParams {
    /// suborbital, low_earth_orbit, moon or mars
    destination: Option<String>,
    /// Launches at or after this time (RFC 3339).
    from: Option<DateTime<Utc>>,
    /// Launches at or before this time (RFC 3339).
    to: Option<DateTime<Utc>>,
    max_price_cents: Option<i64>,
    /// date (default), price_asc, price_desc or free_seats
    sort: Option<String>,
}

impl ListingParams {
    fn parse(self) -> Result<ListingQuery, ApiError> {
        let destination = self.destination.as_deref().map(Reach::parse).transpose()?;
        let sort = match self.sort.as_deref() {
            None | Some("date") => ListingOrder::LaunchDate,
            Some("price_asc") => ListingOrder::PriceAscending,
            Some("price_desc") => ListingOrder::PriceDescending,
            Some("free_seats") => ListingOrder::FreeSeatsDescending,
            Some(other) => {
                return Err(ApiError::Validation(format!(
                    "sort {other:?} is not one of date, price_asc, price_desc, free_seats"
                )));
            }
        };
        Ok(ListingQuery {
            destination,
            from: self.from,
            to: self.to,
            max_price_cents: self.max_price_cents,
            sort,
        })
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LaunchList {
    items: Vec<PublicLaunch>,
}

/// Launches that still have free seats; anyone may read them.
#[utoipa::path(get, path = "/api/customer/launches", params(ListingParams), responses(
    (status = 200, body = LaunchList), (status = 400, description = "bad filter")))]
pub async fn list_launches(
    state: web::Data<CustomerState>,
    params: web::Query<ListingParams>,
) -> Result<HttpResponse, ApiError> {
    let query = params.into_inner().parse()?;
    let body = if query.is_default() {
        state.board.default_listing_json(state.clock.now())
    } else {
        LaunchBoard::listing_json(&state.board.list(&query, state.clock.now()))
    }
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// One launch by its slug, whatever its status (sold out and final included); `status` and
/// `free_seats` say whether it sells.
#[utoipa::path(get, path = "/api/customer/launches/{slug}", responses(
    (status = 200, body = PublicLaunch), (status = 404, description = "no launch has this slug")))]
pub async fn launch_by_slug(
    state: web::Data<CustomerState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if let Some(launch) = state.board.by_slug(&slug) {
        return Ok(HttpResponse::Ok().json(launch));
    }
    // Final launches leave the board with their actors; the customer DB still has them.
    let launch = state
        .store
        .launch_by_slug(&slug)
        .await
        .map_err(ApiError::internal)?
        .filter(|launch| launch.status.is_final())
        .ok_or(ApiError::NotFound("launch"))?;
    Ok(HttpResponse::Ok().json(PublicLaunch::new(&launch, 0)))
}

/// A launch this process keeps no actor for: over (409 with `code`), or unknown (404).
async fn launch_without_actor(
    state: &CustomerState,
    launch_id: &str,
    code: &'static str,
    not_found: &'static str,
) -> ApiError {
    match state.store.launch(launch_id).await {
        Ok(Some(launch)) if launch.status.is_final() => ApiError::conflict(
            code,
            format!(
                "the launch is {} and takes no more changes",
                launch.status.as_str()
            ),
        ),
        Ok(_) => ApiError::NotFound(not_found),
        Err(error) => ApiError::internal(error),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassengerInput {
    name: String,
    email: String,
    phone: String,
    age: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    launch_id: String,
    passengers: Vec<PassengerInput>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Booking {
    id: String,
    launch_id: String,
    launch_slug: String,
    mission_name: String,
    launch_at: DateTime<Utc>,
    seats: u32,
    seat_numbers: Vec<u32>,
    price_per_seat_cents: i64,
    total_cents: i64,
    status: BookingStatus,
    passengers: Vec<Passenger>,
    created_at: DateTime<Utc>,
    /// Present once cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    cancellation: Option<Cancellation>,
    /// The launch's status now, and how it got there (in the list of the traveller's bookings).
    #[serde(skip_serializing_if = "Option::is_none")]
    launch_status: Option<LaunchStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    launch_status_history: Option<Vec<LaunchStatusStep>>,
}

/// One step of a launch's status history as travellers see it (who made it is not shown).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LaunchStatusStep {
    from: Option<LaunchStatus>,
    to: LaunchStatus,
    at: DateTime<Utc>,
    reason: Option<String>,
}

impl Booking {
    /// The booking with its launch as it stands now (its current date, status and history).
    fn with_launch(document: BookingDocument, launch: Option<&LaunchDocument>) -> Self {
        let mut booking = Self::from(document);
        if let Some(launch) = launch {
            booking.launch_at = launch.launch_at;
            booking.launch_status = Some(launch.status);
            booking.launch_status_history = Some(
                launch
                    .status_history
                    .iter()
                    .map(|change| LaunchStatusStep {
                        from: change.from,
                        to: change.to,
                        at: change.at,
                        reason: change.reason.clone(),
                    })
                    .collect(),
            );
        }
        booking
    }
}

impl From<BookingDocument> for Booking {
    /// The booking as written, with the launch's date as it was then.
    fn from(document: BookingDocument) -> Self {
        Self {
            launch_status: None,
            launch_status_history: None,
            id: document.id,
            launch_id: document.launch_id,
            launch_slug: document.launch_slug,
            mission_name: document.mission_name,
            launch_at: document.launch_at,
            seats: document.seats,
            seat_numbers: document.seat_numbers,
            price_per_seat_cents: document.price_per_seat_cents,
            total_cents: document.total_cents,
            status: document.status,
            passengers: document.passengers,
            created_at: document.created_at,
            cancellation: document.cancellation,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookingList {
    items: Vec<Booking>,
}

fn idempotency_key(request: &HttpRequest) -> Result<String, ApiError> {
    let key = request
        .headers()
        .get("idempotency-key")
        .ok_or_else(|| ApiError::Validation("the Idempotency-Key header is required".to_owned()))?
        .to_str()
        .map_err(|_| {
            ApiError::Validation("the Idempotency-Key header must be plain text".to_owned())
        })?
        .trim();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_LENGTH {
        return Err(ApiError::Validation(format!(
            "the Idempotency-Key header must have 1–{MAX_IDEMPOTENCY_KEY_LENGTH} characters"
        )));
    }
    Ok(key.to_owned())
}

fn parse_passengers(inputs: &[PassengerInput]) -> Result<Vec<Passenger>, ApiError> {
    let count = inputs.len();
    if count == 0 || count > MAX_SEATS_PER_VIP_BOOKING as usize {
        return Err(ApiError::Validation(format!(
            "a booking has 1 to {MAX_SEATS_PER_VIP_BOOKING} passengers, one per seat"
        )));
    }
    inputs
        .iter()
        .enumerate()
        .map(|(position, input)| {
            Passenger::parse(&input.name, &input.email, &input.phone, input.age).map_err(
                |violation| {
                    ApiError::Validation(format!("passenger {}: {}", position + 1, violation.0))
                },
            )
        })
        .collect()
}

fn refusal_error(refusal: BookingRefusal) -> ApiError {
    let message = refusal.to_string();
    match refusal {
        BookingRefusal::NotBookable(_) | BookingRefusal::DatePassed => {
            ApiError::conflict("launch_not_bookable", message)
        }
        BookingRefusal::SeatCountOutOfRange { .. } => ApiError::Validation(message),
        BookingRefusal::AlreadyBooked => ApiError::conflict("already_booked", message),
        BookingRefusal::SoldOut => ApiError::Conflict {
            code: "sold_out",
            message,
            free_seats: Some(0),
        },
        BookingRefusal::NotEnoughSeats { free } => ApiError::Conflict {
            code: "not_enough_seats",
            message,
            free_seats: Some(free),
        },
    }
}

/// Books seats for the passengers; answered only once the booking is durable.
#[utoipa::path(post, path = "/api/customer/bookings", request_body = BookingInput,
    params(("Idempotency-Key" = String, Header, description = "the same key returns the same booking")),
    responses((status = 201, body = Booking), (status = 200, description = "replay of an earlier request", body = Booking),
        (status = 400, description = "invalid passengers or header"), (status = 401), (status = 403),
        (status = 404, description = "unknown launch"), (status = 409, description = "refused by a booking rule"),
        (status = 422, description = "the Idempotency-Key was first used with another request"),
        (status = 503, description = "launch busy or restarting; retry after the Retry-After header")),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user_id = %user.id()))]
pub async fn create_booking(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
    request: HttpRequest,
    input: web::Json<BookingInput>,
) -> Result<HttpResponse, ApiError> {
    let idempotency_key = idempotency_key(&request)?;
    let passengers = parse_passengers(&input.passengers)?;
    let launch_id = input.launch_id.trim();
    if !state.directory.knows(launch_id) {
        return Err(launch_without_actor(&state, launch_id, "launch_not_bookable", "launch").await);
    }
    // Only a booking above the regular limit needs to know whether the traveller is a VIP; the
    // lookup reads the traveller's bookings, so the common case skips it.
    let wants_vip_seats = passengers.len() > MAX_SEATS_PER_BOOKING as usize;
    let other_launches = if wants_vip_seats {
        state
            .store
            .other_launches_booked(user.id(), launch_id)
            .await
            .map_err(ApiError::internal)?
    } else {
        0
    };
    let booking_request = BookingRequest {
        traveler_id: user.id().to_owned(),
        traveler_name: user.0.name.clone(),
        traveler_email: user.0.email.clone(),
        idempotency_key,
        passengers,
        is_vip: is_vip(other_launches),
        request_id: current_request_id(),
    };
    let receipt = match state.directory.book(launch_id, booking_request).await {
        Ok(receipt) => receipt,
        Err(DispatchError::UnknownLaunch) => return Err(ApiError::NotFound("launch")),
        Err(DispatchError::Busy | DispatchError::Unavailable) => {
            return Err(ApiError::Unavailable {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        Err(DispatchError::Failed(BookingFailure::Unavailable(cause))) => {
            tracing::warn!(cause = %cause, "booking not stored");
            return Err(ApiError::Unavailable {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        Err(DispatchError::Failed(BookingFailure::Refused(refusal))) => {
            return Err(refusal_error(refusal));
        }
        Err(DispatchError::Failed(BookingFailure::KeyReused)) => {
            return Err(ApiError::Unprocessable {
                code: "idempotency_key_reused",
                message: "this Idempotency-Key was first used with another request (launch or passengers); send a new key for a new booking".to_owned(),
            });
        }
    };
    let booking = receipt.booking;
    if receipt.replayed {
        return Ok(HttpResponse::Ok().json(Booking::from(booking)));
    }
    let request_id = current_request_id();
    state.audit.info(
        "booking.confirmed",
        Subject {
            user_id: Some(user.id()),
            entity_type: Some("booking"),
            entity_id: Some(&booking.id),
            request_id: Some(&request_id),
        },
        format!("{} seats booked on {}", booking.seats, booking.mission_name),
        serde_json::json!({"launch_id": booking.launch_id, "seats": booking.seats, "total_cents": booking.total_cents}),
    );
    Ok(HttpResponse::Created().json(Booking::from(booking)))
}

/// The signed-in traveller's bookings, newest first.
#[utoipa::path(get, path = "/api/customer/bookings", responses((status = 200, body = BookingList), (status = 401), (status = 403)),
    security(("bearer" = [])))]
pub async fn my_bookings(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
) -> Result<HttpResponse, ApiError> {
    let bookings = state
        .store
        .bookings_of_traveler(user.id())
        .await
        .map_err(ApiError::internal)?;
    let mut launch_ids: Vec<String> = bookings
        .iter()
        .map(|booking| booking.launch_id.clone())
        .collect();
    launch_ids.sort_unstable();
    launch_ids.dedup();
    let launches: std::collections::HashMap<String, LaunchDocument> = state
        .store
        .launches_with_ids(&launch_ids)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(|launch| (launch.id.clone(), launch))
        .collect();
    let items = bookings
        .into_iter()
        .map(|booking| {
            let launch = launches.get(&booking.launch_id);
            Booking::with_launch(booking, launch)
        })
        .collect();
    Ok(HttpResponse::Ok().json(BookingList { items }))
}

/// The traveller's own booking, or 404 (someone else's booking is not revealed).
async fn own_booking(
    state: &CustomerState,
    user: &CurrentUser,
    id: &str,
) -> Result<BookingDocument, ApiError> {
    state
        .store
        .booking(id.trim())
        .await
        .map_err(ApiError::internal)?
        .filter(|booking| booking.traveler_id == user.id())
        .ok_or(ApiError::NotFound("booking"))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RefundPreview {
    booking_id: String,
    /// What the traveller would get back if they cancelled now.
    refund_percent: u32,
    refund_cents: i64,
    /// Whether the seats would be freed (late cancellations keep them sold).
    seats_released: bool,
    /// False once the booking is cancelled or the launch is over.
    cancellable: bool,
}

/// What cancelling now would refund, by the schedule: 90 % a year or more before the launch,
/// 70 % three months or more before, nothing later.
#[utoipa::path(get, path = "/api/customer/bookings/{id}/refund",
    responses((status = 200, body = RefundPreview), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn refund_preview(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let booking = own_booking(&state, &user, &id).await?;
    let launch = state.board.by_id(&booking.launch_id);
    let launch_over = launch
        .as_ref()
        .is_none_or(|launch| launch.status.is_final());
    // Refunds are measured to the launch's date now (a delay moves it).
    let launch_at = launch.map_or(booking.launch_at, |launch| launch.launch_at);
    let refund = refund_for_cancellation(booking.total_cents, state.clock.now(), launch_at);
    Ok(HttpResponse::Ok().json(RefundPreview {
        booking_id: booking.id,
        refund_percent: refund.percent,
        refund_cents: refund.amount_cents,
        seats_released: refund.releases_seats,
        cancellable: booking.status == BookingStatus::Confirmed && !launch_over,
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelInput {
    /// Optional, told to the agency.
    reason: Option<String>,
}

const MAX_REASON_LENGTH: usize = 500;

/// The traveller cancels their booking; the refund follows the schedule, and early
/// cancellations free the seats. Cancelling again answers the same cancelled booking.
#[utoipa::path(post, path = "/api/customer/bookings/{id}/cancel", request_body(content = CancelInput, description = "optional"),
    responses((status = 200, body = Booking), (status = 400), (status = 401), (status = 403), (status = 404),
        (status = 409, description = "the launch is over"), (status = 503, description = "retry after the Retry-After header")),
    security(("bearer" = [])))]
#[tracing::instrument(skip_all, fields(user_id = %user.id()))]
pub async fn cancel_booking(
    state: web::Data<CustomerState>,
    user: Authorized<only::Traveler>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // The body is optional: no body means no reason.
    let input: CancelInput = if body.iter().all(u8::is_ascii_whitespace) {
        CancelInput::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|error| ApiError::BadRequest(format!("invalid JSON body: {error}")))?
    };
    let reason = input
        .reason
        .filter(|reason| !reason.trim().is_empty())
        .map(|reason| parse_plain_text("reason", &reason, MAX_REASON_LENGTH))
        .transpose()?;
    let booking = own_booking(&state, &user, &id).await?;
    let request = CancelRequest {
        booking_id: booking.id.clone(),
        traveler_id: user.id().to_owned(),
        reason,
    };
    let receipt = match state.directory.cancel(&booking.launch_id, request).await {
        Ok(receipt) => receipt,
        Err(DispatchError::UnknownLaunch) => {
            return Err(
                launch_without_actor(&state, &booking.launch_id, "launch_over", "booking").await,
            );
        }
        Err(DispatchError::Failed(CancelFailure::NotFound)) => {
            return Err(ApiError::NotFound("booking"));
        }
        Err(DispatchError::Failed(CancelFailure::LaunchOver(status))) => {
            return Err(ApiError::conflict(
                "launch_over",
                format!(
                    "the launch is {} and its bookings can no longer be cancelled",
                    status.as_str()
                ),
            ));
        }
        Err(DispatchError::Failed(CancelFailure::Unavailable(cause))) => {
            tracing::warn!(cause = %cause, "cancellation not stored");
            return Err(ApiError::Unavailable {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
        Err(DispatchError::Busy | DispatchError::Unavailable) => {
            return Err(ApiError::Unavailable {
                retry_after_secs: RETRY_AFTER_SECS,
            });
        }
    };
    let booking = receipt.booking;
    if !receipt.already_cancelled {
        let refund_cents = booking
            .cancellation
            .as_ref()
            .map_or(0, |record| record.refund_cents);
        let request_id = current_request_id();
        state.audit.info(
            "booking.cancelled",
            Subject {
                user_id: Some(user.id()),
                entity_type: Some("booking"),
                entity_id: Some(&booking.id),
                request_id: Some(&request_id),
            },
            format!(
                "booking on {} cancelled, refund {refund_cents} cents",
                booking.mission_name
            ),
            serde_json::json!({"launch_id": booking.launch_id, "seats": booking.seats, "refund_cents": refund_cents}),
        );
    }
    Ok(HttpResponse::Ok().json(Booking::from(booking)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_stable_codes() {
        assert_eq!(refusal_error(BookingRefusal::SoldOut).code(), "sold_out");
        assert_eq!(
            refusal_error(BookingRefusal::AlreadyBooked).code(),
            "already_booked"
        );
        match refusal_error(BookingRefusal::NotEnoughSeats { free: 2 }) {
            ApiError::Conflict {
                code, free_seats, ..
            } => assert_eq!((code, free_seats), ("not_enough_seats", Some(2))),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(
            refusal_error(BookingRefusal::SeatCountOutOfRange { max: 4 }).code(),
            "validation_failed"
        );
    }

    #[test]
    fn passengers_are_checked_one_by_one() {
        let passenger = |age| PassengerInput {
            name: "Ada".into(),
            email: "ada@example.com".into(),
            phone: "+1 555 0100".into(),
            age,
        };
        assert!(parse_passengers(&[]).is_err());
        assert_eq!(
            parse_passengers(&[passenger(30), passenger(40)])
                .unwrap()
                .len(),
            2
        );
        let error = parse_passengers(&[passenger(30), passenger(12)]).unwrap_err();
        assert!(error.to_string().contains("passenger 2"));
        assert!(parse_passengers(&(0..7).map(|_| passenger(30)).collect::<Vec<_>>()).is_err());
    }
}
