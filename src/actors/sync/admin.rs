//! The admin role's side of sync: registrations become profiles and bookings arrive from the
//! customer side; launches leave through the PostgreSQL outbox.

use sqlx::PgPool;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    BOOKING_CANCELLED, BOOKING_CONFIRMED, BookingCancelled, BookingConfirmed, USER_REGISTERED,
    UserRegistered,
};
use crate::storage::postgres::{bookings, profiles};

pub struct AdminSyncHandler {
    pub pool: PgPool,
}

fn classify(error: sqlx::Error) -> HandlerError {
    match error {
        // Bad data will never apply (e.g. a booking for a launch this DB does not know).
        sqlx::Error::Database(_) | sqlx::Error::Decode(_) => {
            HandlerError::Permanent(error.to_string())
        }
        other => HandlerError::Transient(other.to_string()),
    }
}

#[async_trait::async_trait]
impl EventHandler for AdminSyncHandler {
    #[tracing::instrument(skip_all, fields(event_type = %event.event_type, event_id = %event.event_id))]
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError> {
        let malformed = |error: serde_json::Error| {
            HandlerError::Permanent(format!("malformed event data: {error}"))
        };
        match event.event_type.as_str() {
            USER_REGISTERED => {
                let user: UserRegistered = event.data_as().map_err(malformed)?;
                profiles::upsert_profile(&self.pool, &user)
                    .await
                    .map_err(classify)
            }
            BOOKING_CONFIRMED => {
                let booking: BookingConfirmed = event.data_as().map_err(malformed)?;
                bookings::insert_confirmed(&self.pool, &booking, event.event_id)
                    .await
                    .map_err(classify)
            }
            BOOKING_CANCELLED => {
                let cancelled: BookingCancelled = event.data_as().map_err(malformed)?;
                bookings::record_cancelled(&self.pool, &cancelled, event.event_id)
                    .await
                    .map_err(classify)
            }
            other => Err(HandlerError::Permanent(format!(
                "unexpected event type {other}"
            ))),
        }
    }
}
