//! The customer role's side of sync: launches and travellers arrive from other roles; its own
//! bookings leave through the bookings' outbox markers.

use crate::actors::launch::LaunchDirectory;
use crate::actors::sync::{EventHandler, HandlerError, Outbox};
use crate::domain::user::UserRole;
use crate::storage::amqp::events::{
    LAUNCH_CHANGED, LAUNCH_SCHEDULED, LaunchSnapshot, USER_REGISTERED, UserRegistered,
};
use crate::storage::amqp::{EventEnvelope, QueueSpec};
use crate::storage::mongo::customer::{CustomerStore, LaunchDocument};

pub static CUSTOMER_SYNC_QUEUE: QueueSpec = QueueSpec {
    name: "customer.sync",
    bindings: &[USER_REGISTERED, LAUNCH_SCHEDULED, LAUNCH_CHANGED],
};

pub struct CustomerSyncHandler {
    pub store: CustomerStore,
    pub directory: LaunchDirectory,
}

fn malformed(error: serde_json::Error) -> HandlerError {
    HandlerError::Permanent(format!("malformed event data: {error}"))
}

fn unreachable_store(error: mongodb::error::Error) -> HandlerError {
    HandlerError::Transient(error.to_string())
}

#[async_trait::async_trait]
impl EventHandler for CustomerSyncHandler {
    fn sync_target(&self) -> Option<&'static str> {
        Some("customer_db")
    }

    #[tracing::instrument(skip_all, fields(event_type = %event.event_type, event_id = %event.event_id))]
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError> {
        match event.event_type.as_str() {
            USER_REGISTERED => {
                let user: UserRegistered = event.data_as().map_err(malformed)?;
                if user.role == UserRole::Traveler {
                    self.store
                        .upsert_traveler(&user)
                        .await
                        .map_err(unreachable_store)?;
                }
                Ok(())
            }
            // The launch's actor applies a change itself (an abort cancels its bookings).
            LAUNCH_SCHEDULED | LAUNCH_CHANGED => {
                let snapshot: LaunchSnapshot = event.data_as().map_err(malformed)?;
                let launch = LaunchDocument::from_snapshot(&snapshot);
                self.store
                    .upsert_launch(&launch)
                    .await
                    .map_err(unreachable_store)?;
                self.directory.ensure(launch);
                Ok(())
            }
            other => Err(HandlerError::Permanent(format!(
                "unexpected event type {other}"
            ))),
        }
    }
}

/// Bookings not yet announced to the other roles.
pub struct BookingOutbox {
    pub store: CustomerStore,
}

#[async_trait::async_trait]
impl Outbox for BookingOutbox {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>> {
        let bookings = self.store.unpublished_bookings(limit).await?;
        Ok(bookings
            .iter()
            .map(|booking| booking.outbox_event())
            .collect())
    }

    async fn mark_published(&self, event: &EventEnvelope) -> anyhow::Result<()> {
        let booking_id = event
            .data
            .get("booking_id")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| anyhow::anyhow!("booking event without booking_id"))?;
        self.store
            .mark_booking_published(booking_id, &event.event_id.to_string())
            .await?;
        Ok(())
    }
}
