//! The customer DB: the launch read model; each launch's seat ledger (`_id` = launch:sequence,
//! one entry per durable write of bookings and cancellations, so that a second writer at the
//! same position is refused by the store itself, whichever process attempts it; bookings are
//! read from it too); the bookings' outbox (one entry per write whose events are not yet
//! published, written before the ledger entry and deleted once published); traveller copies.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use mongodb::bson::doc;
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};

use crate::domain::booking::{Cancellation, CancellationCause, Passenger};
use crate::domain::launch::{LaunchStatus, Reach, StatusChange};
use crate::storage::amqp::events::{
    BOOKING_CANCELLED, BOOKING_CONFIRMED, BookingCancelled, BookingConfirmed, LaunchSnapshot,
    UserRegistered,
};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::mongo::{create_indexes, insert_once, is_duplicate_key};

pub type StoreError = mongodb::error::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchDocument {
    #[serde(rename = "_id")]
    pub id: String,
    pub slug: String,
    pub agency_id: String,
    pub agency_name: String,
    pub agency_email: String,
    pub rocket_name: String,
    pub mission_name: String,
    pub spaceport: String,
    pub destination: Reach,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub minimum_passengers: u32,
    pub capacity: u32,
    pub status: LaunchStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// The admin side's revision of this snapshot (see `LaunchSnapshot::revision`).
    #[serde(default)]
    pub revision: u32,
    /// Every status change, oldest first (the traveller's bookings show it).
    #[serde(default)]
    pub status_history: Vec<StatusChange>,
    pub updated_at: DateTime<Utc>,
}

impl LaunchDocument {
    pub fn from_snapshot(snapshot: &LaunchSnapshot) -> Self {
        Self {
            id: snapshot.launch_id.clone(),
            slug: snapshot.slug.clone(),
            agency_id: snapshot.agency_id.clone(),
            agency_name: snapshot.agency_name.clone(),
            agency_email: snapshot.agency_email.clone(),
            rocket_name: snapshot.rocket_name.clone(),
            mission_name: snapshot.mission_name.clone(),
            spaceport: snapshot.spaceport.clone(),
            destination: snapshot.destination,
            launch_at: snapshot.launch_at,
            price_per_seat_cents: snapshot.price_per_seat_cents,
            minimum_passengers: snapshot.minimum_passengers,
            capacity: snapshot.capacity,
            status: snapshot.status,
            status_reason: snapshot.status_reason.clone(),
            revision: snapshot.revision,
            status_history: snapshot.status_history.clone(),
            updated_at: Utc::now(),
        }
    }
}

/// What a launch's sale depends on, as one revision of the admin side left it. Recorded in the
/// launch's ledger when it changes, so that a process deciding a sale against an older state
/// loses the entry's position, reads the change and decides again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchState {
    pub revision: u32,
    pub status: LaunchStatus,
    pub launch_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

impl LaunchState {
    pub fn of(launch: &LaunchDocument) -> Self {
        Self {
            revision: launch.revision,
            status: launch.status,
            launch_at: launch.launch_at,
            status_reason: launch.status_reason.clone(),
        }
    }

    /// The launch as this state leaves it, if the state is newer than the launch's revision.
    pub fn applied_to(&self, launch: &LaunchDocument) -> Option<LaunchDocument> {
        (self.revision > launch.revision).then(|| LaunchDocument {
            status: self.status,
            launch_at: self.launch_at,
            status_reason: self.status_reason.clone(),
            revision: self.revision,
            ..launch.clone()
        })
    }
}

/// One durable write to a launch's seats: the new state of every booking it sold or cancelled.
/// Entries are numbered from 0 without gaps; a writer appends at the position after the last
/// entry it knows, so its write succeeds only if it knew every earlier one, and a launch's
/// seats are whatever its entries say, replayed in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// `<launch id>:<sequence, zero-padded>`: the uniqueness that makes overselling impossible.
    #[serde(rename = "_id")]
    pub id: String,
    pub launch_id: String,
    pub sequence: u64,
    pub written_at: DateTime<Utc>,
    /// The bookings and travellers the entry concerns, for reading a booking or a traveller's
    /// bookings from the ledger itself (multikey indexes on MongoDB).
    pub booking_ids: Vec<String>,
    pub traveler_ids: Vec<String>,
    #[serde(with = "super::json_text")]
    pub bookings: Vec<BookingDocument>,
    /// Set when the entry records a change of the launch itself (status, date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch: Option<LaunchState>,
}

impl LedgerEntry {
    pub fn new(launch_id: &str, sequence: u64, bookings: Vec<BookingDocument>) -> Self {
        let mut traveler_ids: Vec<String> = bookings
            .iter()
            .map(|booking| booking.traveler_id.clone())
            .collect();
        traveler_ids.sort_unstable();
        traveler_ids.dedup();
        Self {
            id: format!("{launch_id}:{sequence:012}"),
            launch_id: launch_id.to_owned(),
            sequence,
            written_at: Utc::now(),
            booking_ids: bookings.iter().map(|booking| booking.id.clone()).collect(),
            traveler_ids,
            bookings,
            launch: None,
        }
    }

    pub fn recording(mut self, launch: Option<LaunchState>) -> Self {
        self.launch = launch;
        self
    }
}

/// Whether a ledger entry was appended, or its position was already taken by another writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Append {
    Written,
    PositionTaken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Confirmed,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingDocument {
    /// Derived from the traveller, the idempotency key and the request (see
    /// `domain::booking::booking_id_for`), so a replay maps to the same booking and no other
    /// request can share its id.
    #[serde(rename = "_id")]
    pub id: String,
    pub launch_id: String,
    pub launch_slug: String,
    pub mission_name: String,
    pub launch_at: DateTime<Utc>,
    pub agency_id: String,
    pub agency_name: String,
    pub agency_email: String,
    pub traveler_id: String,
    pub traveler_name: String,
    pub traveler_email: String,
    pub idempotency_key: String,
    /// The fingerprint of the request the key first came with.
    #[serde(default)]
    pub request_fingerprint: String,
    pub seats: u32,
    pub seat_numbers: Vec<u32>,
    pub price_per_seat_cents: i64,
    pub total_cents: i64,
    pub status: BookingStatus,
    pub passengers: Vec<Passenger>,
    pub created_at: DateTime<Utc>,
    /// The booking's latest event (its confirmation, then its cancellation); the outbox entry
    /// of that id stands for it until published.
    pub event_id: String,
    pub request_id: Option<String>,
    /// Set when the booking is cancelled (status `cancelled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation: Option<Cancellation>,
}

impl BookingDocument {
    /// This booking, cancelled: status, record, and a new event id (its cancellation's).
    pub fn cancelled(&self, record: Cancellation) -> Self {
        Self {
            status: BookingStatus::Cancelled,
            cancellation: Some(record),
            event_id: uuid::Uuid::now_v7().to_string(),
            ..self.clone()
        }
    }

    /// The event the outbox marker stands for: the confirmation, or the cancellation once
    /// cancelled (which carries the whole booking, so nothing is lost if the confirmation was
    /// never published).
    pub fn outbox_event(&self) -> EventEnvelope {
        let booking = self.confirmed_data();
        let (event_type, action, data, occurred_at) = match &self.cancellation {
            None => (
                BOOKING_CONFIRMED,
                "book",
                serde_json::to_value(booking),
                self.created_at,
            ),
            Some(record) => (
                BOOKING_CANCELLED,
                match record.cause {
                    CancellationCause::Traveler => "cancel",
                    CancellationCause::LaunchAborted => "abort",
                },
                serde_json::to_value(BookingCancelled {
                    booking,
                    cancellation: record.clone(),
                }),
                record.cancelled_at,
            ),
        };
        let origin = Origin {
            service: "customer".to_owned(),
            user_id: Some(self.traveler_id.clone()),
            action: action.to_owned(),
        };
        EventEnvelope::from_outbox(
            event_type,
            origin,
            self.request_id.clone(),
            data.unwrap_or_default(),
            &self.event_id,
            occurred_at,
        )
    }

    /// The booking as `booking.confirmed.v1` carries it.
    pub fn confirmed_data(&self) -> BookingConfirmed {
        BookingConfirmed {
            booking_id: self.id.clone(),
            launch_id: self.launch_id.clone(),
            launch_slug: self.launch_slug.clone(),
            mission_name: self.mission_name.clone(),
            launch_at: self.launch_at,
            agency_id: self.agency_id.clone(),
            agency_name: self.agency_name.clone(),
            agency_email: self.agency_email.clone(),
            traveler_id: self.traveler_id.clone(),
            traveler_name: self.traveler_name.clone(),
            traveler_email: self.traveler_email.clone(),
            seats: self.seats,
            seat_numbers: self.seat_numbers.clone(),
            price_per_seat_cents: self.price_per_seat_cents,
            total_cents: self.total_cents,
            passengers: self.passengers.clone(),
            created_at: self.created_at,
        }
    }
}

/// The booking events of one write, not yet all published. Written before the booking
/// documents, so that no stored booking lacks its event; one entry per write rather than per
/// booking, because each document costs the store about the same whatever its size.
/// `event_ids[i]` is the latest event of booking `booking_ids[i]` as the write left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    #[serde(rename = "_id")]
    pub id: String,
    pub event_ids: Vec<String>,
    pub booking_ids: Vec<String>,
    pub written_at: DateTime<Utc>,
}

impl OutboxEntry {
    pub fn for_bookings(bookings: &[BookingDocument]) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            event_ids: bookings
                .iter()
                .map(|booking| booking.event_id.clone())
                .collect(),
            booking_ids: bookings.iter().map(|booking| booking.id.clone()).collect(),
            written_at: Utc::now(),
        }
    }

    /// Each event with its booking.
    pub fn events(&self) -> impl Iterator<Item = (&str, &str)> {
        self.event_ids
            .iter()
            .map(String::as_str)
            .zip(self.booking_ids.iter().map(String::as_str))
    }
}

/// How far one process has written one launch's ledger (`_id` = launch:process). Other
/// processes read these few small documents to learn cheaply whether they must read entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerHead {
    #[serde(rename = "_id")]
    pub id: String,
    pub launch_id: String,
    pub process_id: String,
    pub next_sequence: u64,
}

impl LedgerHead {
    pub fn new(launch_id: &str, process_id: &str, next_sequence: u64) -> Self {
        Self {
            id: format!("{launch_id}:{process_id}"),
            launch_id: launch_id.to_owned(),
            process_id: process_id.to_owned(),
            next_sequence,
        }
    }
}

/// An idempotency key as first used: `_id` = traveller and key (traveller ids hold no `:`), so
/// the store lets a key be claimed once, whatever launch or process the request reaches;
/// `request` is the fingerprint of the request it came with. Kept for good, like its booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyKeyDocument {
    #[serde(rename = "_id")]
    pub id: String,
    pub request: String,
    pub claimed_at: DateTime<Utc>,
}

impl IdempotencyKeyDocument {
    pub fn new(traveler_id: &str, key: &str, request: &str, claimed_at: DateTime<Utc>) -> Self {
        Self {
            id: format!("{traveler_id}:{key}"),
            request: request.to_owned(),
            claimed_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelerDocument {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Clone)]
pub struct CustomerStore {
    launches: Collection<LaunchDocument>,
    ledger: Collection<LedgerEntry>,
    heads: Collection<LedgerHead>,
    outbox: Collection<OutboxEntry>,
    idempotency_keys: Collection<IdempotencyKeyDocument>,
    travelers: Collection<TravelerDocument>,
}

impl CustomerStore {
    pub fn new(database: &Database) -> Self {
        Self {
            launches: database.collection("launches"),
            ledger: database.collection("seat_ledger"),
            heads: database.collection("seat_ledger_heads"),
            outbox: database.collection("booking_outbox"),
            idempotency_keys: database.collection("idempotency_keys"),
            travelers: database.collection("travelers"),
        }
    }

    pub async fn create_indexes(&self) -> Result<(), StoreError> {
        create_indexes(
            &self.ledger,
            [
                doc! {"launch_id": 1},
                doc! {"booking_ids": 1},
                doc! {"traveler_ids": 1},
            ],
        )
        .await
    }

    /// Stores the launch unless the stored one is at a later revision (this snapshot arrived
    /// late, redelivered or republished). Returns whether it was stored.
    #[tracing::instrument(skip_all, fields(launch_id = %launch.id))]
    pub async fn apply_launch(&self, launch: &LaunchDocument) -> Result<bool, StoreError> {
        let not_newer = doc! {
            "_id": &launch.id,
            "$or": [{"revision": {"$lte": launch.revision}}, {"revision": {"$exists": false}}],
        };
        match self
            .launches
            .replace_one(not_newer, launch)
            .upsert(true)
            .await
        {
            Ok(_) => Ok(true),
            // The filter missed a stored launch at a later revision, so the upsert hit its `_id`.
            Err(error) if is_duplicate_key(&error) => Ok(false),
            Err(error) => Err(error),
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn all_launches(&self) -> Result<Vec<LaunchDocument>, StoreError> {
        self.launches.find(doc! {}).await?.try_collect().await
    }

    #[tracing::instrument(skip_all, fields(launch_id))]
    pub async fn launch(&self, launch_id: &str) -> Result<Option<LaunchDocument>, StoreError> {
        self.launches.find_one(doc! {"_id": launch_id}).await
    }

    /// The launch with this slug (slugs are unique on the admin side).
    #[tracing::instrument(skip_all)]
    pub async fn launch_by_slug(&self, slug: &str) -> Result<Option<LaunchDocument>, StoreError> {
        self.launches.find_one(doc! {"slug": slug}).await
    }

    /// The stored launches among these ids.
    #[tracing::instrument(skip_all, fields(launches = launch_ids.len()))]
    pub async fn launches_with_ids(
        &self,
        launch_ids: &[String],
    ) -> Result<Vec<LaunchDocument>, StoreError> {
        if launch_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.launches
            .find(doc! {"_id": {"$in": launch_ids}})
            .await?
            .try_collect()
            .await
    }

    /// The launch's confirmed bookings, each in its latest state by the ledger.
    #[tracing::instrument(skip_all, fields(launch_id))]
    pub async fn active_bookings_of_launch(
        &self,
        launch_id: &str,
    ) -> Result<Vec<BookingDocument>, StoreError> {
        let mut bookings = self
            .latest_bookings(doc! {"launch_id": launch_id}, |booking| {
                booking.launch_id == launch_id
            })
            .await?;
        bookings.retain(|booking| booking.status == BookingStatus::Confirmed);
        bookings.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(bookings)
    }

    /// Every ledger entry of the launch, in order.
    #[tracing::instrument(skip_all, fields(launch_id))]
    pub async fn ledger_of(&self, launch_id: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        let mut entries: Vec<LedgerEntry> = self
            .ledger
            .find(doc! {"launch_id": launch_id})
            .await?
            .try_collect()
            .await?;
        entries.sort_by_key(|entry| entry.sequence);
        Ok(entries)
    }

    /// The launch's entries from this position on, in order.
    #[tracing::instrument(skip_all, fields(launch_id, from))]
    pub async fn ledger_from(
        &self,
        launch_id: &str,
        from: u64,
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        let from = i64::try_from(from).unwrap_or(i64::MAX);
        let mut entries: Vec<LedgerEntry> = self
            .ledger
            .find(doc! {"launch_id": launch_id, "sequence": {"$gte": from}})
            .await?
            .try_collect()
            .await?;
        entries.sort_by_key(|entry| entry.sequence);
        Ok(entries)
    }

    /// Records how far this process has written the launch's ledger.
    #[tracing::instrument(skip_all, fields(launch_id = %head.launch_id))]
    pub async fn put_head(&self, head: &LedgerHead) -> Result<(), StoreError> {
        self.heads
            .replace_one(doc! {"_id": &head.id}, head)
            .upsert(true)
            .await?;
        Ok(())
    }

    /// How far each process has written the launch's ledger.
    #[tracing::instrument(skip_all, fields(launch_id))]
    pub async fn heads_of(&self, launch_id: &str) -> Result<Vec<LedgerHead>, StoreError> {
        self.heads
            .find(doc! {"launch_id": launch_id})
            .await?
            .try_collect()
            .await
    }

    /// Appends the entry at its position, unless another writer holds that position.
    #[tracing::instrument(skip_all, fields(entry_id = %entry.id, bookings = entry.bookings.len()))]
    pub async fn append_ledger(&self, entry: &LedgerEntry) -> Result<Append, StoreError> {
        match insert_once(&self.ledger, entry).await? {
            true => Ok(Append::Written),
            false => Ok(Append::PositionTaken),
        }
    }

    /// Claims the keys (one unordered insert for a whole batch) and returns, for those claimed
    /// before, the stored claims: the caller compares their requests with its own.
    #[tracing::instrument(skip_all, fields(keys = claims.len()))]
    pub async fn claim_keys(
        &self,
        claims: &[IdempotencyKeyDocument],
    ) -> Result<Vec<IdempotencyKeyDocument>, StoreError> {
        if claims.is_empty() {
            return Ok(Vec::new());
        }
        let unordered = mongodb::options::InsertManyOptions::builder()
            .ordered(false)
            .build();
        let error = match self
            .idempotency_keys
            .insert_many(claims)
            .with_options(unordered)
            .await
        {
            Ok(_) => return Ok(Vec::new()),
            Err(error) if is_duplicate_key(&error) => error,
            Err(error) => return Err(error),
        };
        let taken: Vec<&str> = match error.kind.as_ref() {
            mongodb::error::ErrorKind::InsertMany(failure) => failure
                .write_errors
                .iter()
                .flatten()
                .filter_map(|write_error| claims.get(write_error.index))
                .map(|claim| claim.id.as_str())
                .collect(),
            // A single-document batch may report its duplicate as a plain write error.
            _ => claims.iter().map(|claim| claim.id.as_str()).collect(),
        };
        self.idempotency_keys
            .find(doc! {"_id": {"$in": taken}})
            .await?
            .try_collect()
            .await
    }

    /// Each booking in the latest state the ledger entries matching `filter` give it.
    async fn latest_bookings(
        &self,
        filter: mongodb::bson::Document,
        wanted: impl Fn(&BookingDocument) -> bool,
    ) -> Result<Vec<BookingDocument>, StoreError> {
        let mut entries: Vec<LedgerEntry> = self.ledger.find(filter).await?.try_collect().await?;
        entries.sort_by_key(|entry| entry.sequence);
        let mut latest: HashMap<String, BookingDocument> = HashMap::new();
        for entry in entries {
            for booking in entry.bookings.into_iter().filter(&wanted) {
                latest.insert(booking.id.clone(), booking);
            }
        }
        Ok(latest.into_values().collect())
    }

    #[tracing::instrument(skip_all, fields(traveler_id))]
    pub async fn bookings_of_traveler(
        &self,
        traveler_id: &str,
    ) -> Result<Vec<BookingDocument>, StoreError> {
        let mut bookings = self
            .latest_bookings(doc! {"traveler_ids": traveler_id}, |booking| {
                booking.traveler_id == traveler_id
            })
            .await?;
        bookings.sort_by_key(|booking| std::cmp::Reverse(booking.created_at));
        Ok(bookings)
    }

    #[tracing::instrument(skip_all, fields(booking_id))]
    pub async fn booking(&self, booking_id: &str) -> Result<Option<BookingDocument>, StoreError> {
        let found = self.bookings_with_ids(&[booking_id.to_owned()]).await?;
        Ok(found.into_iter().next())
    }

    /// The stored bookings among these ids, each in its latest state.
    #[tracing::instrument(skip_all, fields(bookings = booking_ids.len()))]
    pub async fn bookings_with_ids(
        &self,
        booking_ids: &[String],
    ) -> Result<Vec<BookingDocument>, StoreError> {
        if booking_ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: std::collections::HashSet<&str> =
            booking_ids.iter().map(String::as_str).collect();
        self.latest_bookings(doc! {"booking_ids": {"$in": booking_ids}}, |booking| {
            wanted.contains(booking.id.as_str())
        })
        .await
    }

    /// Distinct other launches on which the traveller holds a confirmed booking (VIP rule).
    #[tracing::instrument(skip_all, fields(traveler_id))]
    pub async fn other_launches_booked(
        &self,
        traveler_id: &str,
        launch_id: &str,
    ) -> Result<u32, StoreError> {
        let bookings = self.bookings_of_traveler(traveler_id).await?;
        let mut launches: Vec<&str> = bookings
            .iter()
            .filter(|booking| {
                booking.status == BookingStatus::Confirmed && booking.launch_id != launch_id
            })
            .map(|booking| booking.launch_id.as_str())
            .collect();
        launches.sort_unstable();
        launches.dedup();
        Ok(u32::try_from(launches.len()).unwrap_or(u32::MAX))
    }

    /// Writes the outbox entry of bookings about to be stored (or replaced).
    #[tracing::instrument(skip_all, fields(events = entry.event_ids.len()))]
    pub async fn insert_outbox(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        self.outbox.insert_one(entry).await?;
        Ok(())
    }

    /// Pending outbox entries, oldest first (the collection holds only what is unpublished).
    #[tracing::instrument(skip_all)]
    pub async fn outbox_entries(&self, limit: i64) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut entries: Vec<OutboxEntry> = self
            .outbox
            .find(doc! {})
            .limit(limit)
            .await?
            .try_collect()
            .await?;
        entries.sort_by_key(|entry| entry.written_at);
        Ok(entries)
    }

    /// The pending entries holding any of these events.
    #[tracing::instrument(skip_all, fields(events = event_ids.len()))]
    pub async fn outbox_entries_with(
        &self,
        event_ids: &[String],
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        if event_ids.is_empty() {
            return Ok(Vec::new());
        }
        self.outbox
            .find(doc! {"event_ids": {"$in": event_ids}})
            .await?
            .try_collect()
            .await
    }

    /// Keeps only the events of an entry that still wait (the others were dropped).
    #[tracing::instrument(skip_all, fields(entry_id = %entry.id))]
    pub async fn replace_outbox(&self, entry: &OutboxEntry) -> Result<(), StoreError> {
        self.outbox
            .replace_one(doc! {"_id": &entry.id}, entry)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(entries = entry_ids.len()))]
    pub async fn delete_outbox(&self, entry_ids: &[String]) -> Result<(), StoreError> {
        if entry_ids.is_empty() {
            return Ok(());
        }
        self.outbox
            .delete_many(doc! {"_id": {"$in": entry_ids}})
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
    pub async fn upsert_traveler(&self, user: &UserRegistered) -> Result<(), StoreError> {
        let traveler = TravelerDocument {
            id: user.user_id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
        };
        self.travelers
            .replace_one(doc! {"_id": &traveler.id}, &traveler)
            .upsert(true)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn traveler(&self, user_id: &str) -> Result<Option<TravelerDocument>, StoreError> {
        self.travelers.find_one(doc! {"_id": user_id}).await
    }
}
