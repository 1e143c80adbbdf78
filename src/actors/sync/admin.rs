//! The admin role's side of sync: registrations become profiles and bookings arrive from the
//! customer side; launches leave through the PostgreSQL outbox, and a launch that closed
//! (launched or aborted) is invoiced when its change comes back.

use sqlx::PgPool;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::clock::SharedClock;
use crate::domain::invoice::InvoiceTerms;
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    BOOKING_CANCELLED, BOOKING_CONFIRMED, BookingCancelled, BookingConfirmed, LAUNCH_CHANGED,
    LaunchSnapshot, USER_REGISTERED, UserRegistered,
};
use crate::storage::postgres::{bookings, profiles};
use crate::usecases::invoicing;

pub struct AdminSyncHandler {
    pub pool: PgPool,
    pub clock: SharedClock,
    pub invoice_terms: InvoiceTerms,
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
            // The launch's status is read from this DB, not from the snapshot: a late or
            // repeated event invoices what the store says, once.
            LAUNCH_CHANGED => {
                let launch: LaunchSnapshot = event.data_as().map_err(malformed)?;
                if !launch.status.is_final() {
                    return Ok(());
                }
                let launch_id = uuid::Uuid::parse_str(&launch.launch_id).map_err(|error| {
                    HandlerError::Permanent(format!("malformed launch id: {error}"))
                })?;
                let today = self.clock.now().date_naive();
                invoicing::invoice_closed_launch(&self.pool, launch_id, today, self.invoice_terms)
                    .await
                    .map(|_| ())
                    .map_err(classify)
            }
            other => Err(HandlerError::Permanent(format!(
                "unexpected event type {other}"
            ))),
        }
    }
}
