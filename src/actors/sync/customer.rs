//! The customer role's side of sync: launches and travellers arrive from other roles; its own
//! bookings leave through the bookings' outbox markers.

use std::collections::{HashMap, HashSet};

use crate::actors::launch::LaunchDirectory;
use crate::actors::sync::{EventHandler, HandlerError};
use crate::domain::user::UserRole;
use crate::storage::Outbox;
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    LAUNCH_CHANGED, LAUNCH_SCHEDULED, LaunchSnapshot, USER_REGISTERED, UserRegistered,
};
use crate::storage::mongo::customer::{
    BookingDocument, CustomerStore, LaunchDocument, OutboxEntry,
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
            // Written to the customer DB once (this queue is shared), then recorded in the launch's
            // seat ledger, which fences every process's actor; the broadcast listener of each
            // process updates its board and actor. The actor applies a change itself (an abort
            // cancels its bookings).
            LAUNCH_SCHEDULED | LAUNCH_CHANGED => {
                let snapshot: LaunchSnapshot = event.data_as().map_err(malformed)?;
                let launch = LaunchDocument::from_snapshot(&snapshot);
                let applied = self
                    .store
                    .apply_launch(&launch)
                    .await
                    .map_err(unreachable_store)?;
                if !applied {
                    tracing::info!(launch_id = %launch.id, revision = launch.revision, "older launch snapshot ignored");
                    return Ok(());
                }
                // A redelivery (the store took it, the record failed) is applied again and
                // recorded this time.
                self.directory.record(launch).await.map_err(|error| {
                    HandlerError::Transient(format!(
                        "launch change not recorded in its ledger: {error:?}"
                    ))
                })
            }
            other => Err(HandlerError::Permanent(format!(
                "unexpected event type {other}"
            ))),
        }
    }
}

/// Booking events not yet announced to the other roles: the customer DB's outbox entries.
pub struct BookingOutbox {
    pub store: CustomerStore,
}

/// An entry whose booking is not stored this long after it was written belongs to a write that
/// failed or died: it is dropped.
const UNSTORED_BOOKING_GRACE: chrono::Duration = chrono::Duration::seconds(60);
/// A younger entry is left to its writer, which hands its events to the relay as soon as it has
/// stored them: the poll is for writers that died or whose publish failed, and reading an entry
/// still in flight only publishes its events twice, at the cost of looking up its bookings.
const HANDED_GRACE: chrono::Duration = chrono::Duration::seconds(5);

#[async_trait::async_trait]
impl Outbox for BookingOutbox {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>> {
        let mut events = Vec::new();
        let mut finished = Vec::new();
        let now = chrono::Utc::now();
        let grace_ends = now - UNSTORED_BOOKING_GRACE;
        let entries: Vec<OutboxEntry> = self
            .store
            .outbox_entries(limit)
            .await?
            .into_iter()
            .filter(|entry| entry.written_at < now - HANDED_GRACE)
            .collect();
        let booking_ids: Vec<String> = entries
            .iter()
            .flat_map(|entry| entry.booking_ids.iter().cloned())
            .collect();
        // One read for all of them: FerretDB scans the collection for each query.
        let stored: HashMap<String, BookingDocument> = self
            .store
            .bookings_with_ids(&booking_ids)
            .await?
            .into_iter()
            .map(|booking| (booking.id.clone(), booking))
            .collect();
        for entry in entries {
            let mut waiting = Vec::new();
            for (event_id, booking_id) in entry.events() {
                match stored.get(booking_id) {
                    Some(booking) if booking.event_id == event_id => {
                        events.push(booking.outbox_event());
                        waiting.push((event_id.to_owned(), booking_id.to_owned()));
                    }
                    // The booking moved on: its newer event (which carries the whole booking)
                    // is in a later entry.
                    Some(_) => {}
                    None if entry.written_at < grace_ends => {}
                    // Still being written.
                    None => waiting.push((event_id.to_owned(), booking_id.to_owned())),
                }
            }
            if waiting.is_empty() {
                finished.push(entry.id);
            } else if waiting.len() < entry.event_ids.len() {
                let (event_ids, booking_ids) = waiting.into_iter().unzip();
                self.store
                    .replace_outbox(&OutboxEntry {
                        event_ids,
                        booking_ids,
                        ..entry
                    })
                    .await?;
            }
        }
        self.store.delete_outbox(&finished).await?;
        Ok(events)
    }

    /// Deletes the entries whose events are all confirmed now; an entry confirmed only in part
    /// stays, and the poll publishes it again (consumers take an event twice).
    async fn mark_published(&self, events: &[EventEnvelope]) -> anyhow::Result<()> {
        let ids: Vec<String> = events
            .iter()
            .map(|event| event.event_id.to_string())
            .collect();
        let confirmed: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let done: Vec<String> = self
            .store
            .outbox_entries_with(&ids)
            .await?
            .into_iter()
            .filter(|entry| {
                entry
                    .event_ids
                    .iter()
                    .all(|id| confirmed.contains(id.as_str()))
            })
            .map(|entry| entry.id)
            .collect();
        self.store.delete_outbox(&done).await?;
        Ok(())
    }

    /// The keys are the entries' ids; each entry's events are all confirmed.
    async fn mark_handed(&self, keys: &[String]) -> anyhow::Result<()> {
        self.store.delete_outbox(keys).await?;
        Ok(())
    }
}
