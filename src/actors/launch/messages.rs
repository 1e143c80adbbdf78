//! What a launch actor is asked, and what it answers.

use actix::Message;

use crate::domain::booking::{BookingRefusal, Passenger};
use crate::domain::launch::LaunchStatus;
use crate::storage::mongo::customer::{BookingDocument, LaunchDocument};

#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub traveler_id: String,
    pub traveler_name: String,
    pub traveler_email: String,
    pub idempotency_key: String,
    pub passengers: Vec<Passenger>,
    pub is_vip: bool,
    pub request_id: String,
}

#[derive(Debug, Clone)]
pub struct BookingReceipt {
    pub booking: BookingDocument,
    /// The same idempotency key was seen before: this is the original booking.
    pub replayed: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum BookingFailure {
    #[error(transparent)]
    Refused(#[from] BookingRefusal),
    /// The idempotency key was first used with another request: nothing was booked.
    #[error("this Idempotency-Key was already used with a different request")]
    KeyReused,
    /// The store could not take the write; nothing was sold.
    #[error("the booking could not be stored: {0}")]
    Unavailable(String),
}

#[derive(Message)]
#[rtype(result = "Result<BookingReceipt, BookingFailure>")]
pub struct Book(pub BookingRequest);

#[derive(Debug, Clone)]
pub struct CancelRequest {
    pub booking_id: String,
    pub traveler_id: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CancelReceipt {
    pub booking: BookingDocument,
    /// The booking was cancelled before this request: nothing changed.
    pub already_cancelled: bool,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum CancelFailure {
    /// No such booking of this traveller on this launch.
    #[error("booking not found")]
    NotFound,
    #[error("the launch is {} and its bookings can no longer be cancelled", .0.as_str())]
    LaunchOver(LaunchStatus),
    /// The store could not take the write (or its outcome is unknown); retry.
    #[error("the cancellation could not be stored: {0}")]
    Unavailable(String),
}

/// The traveller cancels one of their bookings; the refund follows the schedule of domain.md.
#[derive(Message)]
#[rtype(result = "Result<CancelReceipt, CancelFailure>")]
pub struct Cancel(pub CancelRequest);

/// The launch's details changed on the admin side (status, date, price).
#[derive(Message)]
#[rtype(result = "()")]
pub struct LaunchChanged(pub LaunchDocument);

/// The launch changed on the admin side and this process is the one that stores the change:
/// the actor records it in the launch's ledger (so that an owner elsewhere that decides against
/// the older state loses its position) and answers once the entry is stored.
#[derive(Message)]
#[rtype(result = "Result<(), String>")]
pub struct RecordLaunchChange(pub LaunchDocument);

/// Another process sold or released seats of this launch: read the ledger entries it appended.
#[derive(Message)]
#[rtype(result = "()")]
pub struct SeatsChangedElsewhere;

/// Fault injection for the supervision tests: the actor panics in its handler.
#[derive(Message)]
#[rtype(result = "()")]
pub struct InjectPanic;
