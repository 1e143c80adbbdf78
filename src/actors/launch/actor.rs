//! The launch actor. State is rebuilt from the customer DB before the first message; seats are
//! reserved in memory, written in batches (one seat document each, unique by `_id`), and only
//! then confirmed to the callers. A write whose outcome is unknown stops the actor, so that its
//! supervisor rebuilds it from the store, which is the truth.

use std::collections::HashMap;
use std::time::Duration;

use actix::{
    Actor, ActorContext, ActorFutureExt, AsyncContext, Context, Handler, ResponseFuture, WrapFuture,
};
use chrono::Utc;
use tokio::sync::oneshot;

use super::board::PublicLaunch;
use super::directory::LaunchDependencies;
use super::messages::{
    Book, BookingFailure, BookingReceipt, BookingRequest, Cancel, CancelFailure, CancelReceipt,
    InjectPanic, LaunchChanged, SeatsChangedElsewhere,
};
use crate::actors::health::{ActorState, HEARTBEAT_INTERVAL};
use crate::actors::sync::outbox_relay::Publish;
use crate::domain::booking::{
    Cancellation, CancellationCause, SeatInventory, refund_for_cancellation, total_cents,
};
use crate::domain::launch::LaunchStatus;
use crate::storage::amqp::events::{LAUNCH_SEATS_CHANGED, LaunchSeatsChanged};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::mongo::customer::{
    BookingDocument, BookingStatus, CustomerStore, LaunchDocument, OutboxEntry, SeatDocument,
    SeatStamp,
};

/// Bookings written together in one durable write at most.
const MAX_BATCH: usize = 256;
/// A booking whose seats another process took meanwhile is retried this many times.
const MAX_ATTEMPTS: u32 = 3;
/// Seats claimed without a booking (a writer died between the two inserts) are given back after
/// this long; younger ones may belong to a write still in flight elsewhere.
const ORPHAN_SEAT_GRACE: Duration = Duration::from_secs(60);
/// Seats sold by other processes are picked up at least this often, even if a broadcast is lost:
/// the check reads only the launch's few seat stamps, and reloads the launch when another
/// process's stamp changed.
const RECONCILE_INTERVAL: Duration = Duration::from_secs(2);
/// The whole launch is reloaded this often regardless (orphan seats, a lost stamp).
const FULL_RELOAD_INTERVAL: Duration = Duration::from_secs(60);
/// Seat changes are announced to other processes (a broadcast and a stamp) at most this often:
/// the batches of a hot launch in between are folded into the next announcement, which costs a
/// store write and a broker message, not one per batch.
const ANNOUNCE_INTERVAL: Duration = Duration::from_millis(200);

type Reply = oneshot::Sender<Result<BookingReceipt, BookingFailure>>;
type CancelReply = oneshot::Sender<Result<CancelReceipt, CancelFailure>>;

struct PendingBooking {
    document: BookingDocument,
    replies: Vec<Reply>,
    attempts: u32,
    is_vip: bool,
}

pub struct LaunchActor {
    name: String,
    launch_id: String,
    dependencies: LaunchDependencies,
    mailbox_capacity: usize,
    launch: Option<LaunchDocument>,
    inventory: SeatInventory,
    confirmed: HashMap<String, BookingDocument>,
    pending: Vec<PendingBooking>,
    writing: Vec<PendingBooking>,
    /// Cancellations being written, with the callers waiting for each (none for an abort).
    cancelling: HashMap<String, Vec<CancelReply>>,
    /// Bumped on every local sale or release, so that a store snapshot read before it is not
    /// applied after.
    generation: u64,
    /// The other processes' seat stamps as of the last reload.
    seen_stamps: HashMap<String, String>,
    /// When seat changes were last announced, and whether an announcement is already due.
    last_announced: Option<std::time::Instant>,
    announcement_due: bool,
}

/// Seat documents a rebuild found that no longer hold a seat.
#[derive(Default)]
struct Leftovers {
    /// Claimed by writes that never stored their booking.
    orphans: Vec<String>,
    /// Still held by bookings cancelled with their seats released (the release was interrupted).
    released: Vec<(String, String)>,
}

/// The durable state of a launch, read from the store.
struct StoredLaunch {
    launch: LaunchDocument,
    seats: Vec<SeatDocument>,
    bookings: Vec<BookingDocument>,
}

async fn load(store: &CustomerStore, launch_id: &str) -> Result<StoredLaunch, String> {
    let launch = store
        .launch(launch_id)
        .await
        .map_err(|error| error.to_string())?
        .ok_or_else(|| format!("launch {launch_id} is not in the customer DB"))?;
    let seats = store
        .seats_of(launch_id)
        .await
        .map_err(|error| error.to_string())?;
    let bookings = store
        .bookings_of_launch(launch_id)
        .await
        .map_err(|error| error.to_string())?;
    Ok(StoredLaunch {
        launch,
        seats,
        bookings,
    })
}

/// Same traveller + same idempotency key = same booking id, across retries, restarts and processes.
pub fn booking_id_for(traveler_id: &str, idempotency_key: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("{traveler_id}\n{idempotency_key}").as_bytes(),
    )
    .to_string()
}

/// What a batch write achieved.
enum WriteOutcome {
    /// Every booking of the batch is stored except those whose seats another writer holds.
    Stored {
        lost_seats: HashMap<String, Vec<u32>>,
    },
    /// Nothing of the batch is stored (seats given back).
    NotStored(String),
    /// Unknown: the store failed mid-way and could not be asked.
    Unknown(String),
}

async fn write_batch(store: &CustomerStore, documents: Vec<BookingDocument>) -> WriteOutcome {
    let claimed_at = Utc::now();
    let seats: Vec<SeatDocument> = documents
        .iter()
        .flat_map(|booking| {
            booking
                .seat_numbers
                .iter()
                .map(|seat| SeatDocument::new(&booking.launch_id, *seat, &booking.id, claimed_at))
        })
        .collect();
    // The outbox entries go before the bookings, so that no stored booking lacks its event;
    // they are written alongside the seat claim (an entry whose booking is never stored is
    // dropped by the relay after a grace period).
    let entry = OutboxEntry::for_bookings(&documents);
    let (claim, outbox) = tokio::join!(store.claim_seats(&seats), store.insert_outbox(&entry));
    let claim = match claim {
        Ok(claim) => claim,
        Err(error) => {
            // Some seats may be claimed; without a booking they are orphans that the next rebuild
            // gives back after the grace period. Nothing is sold.
            return WriteOutcome::NotStored(error.to_string());
        }
    };
    if let Err(error) = outbox {
        // The claimed seats are orphans (given back after the grace period); nothing is sold.
        return WriteOutcome::NotStored(error.to_string());
    }
    let mut lost_seats: HashMap<String, Vec<u32>> = HashMap::new();
    for seat_id in &claim.already_taken {
        if let Some(seat) = seats.iter().find(|seat| &seat.id == seat_id) {
            lost_seats
                .entry(seat.booking_id.clone())
                .or_default()
                .push(seat.seat);
        }
    }
    let mut winners = Vec::new();
    for booking in documents {
        if let Some(lost) = lost_seats.get(&booking.id) {
            let ours: Vec<String> = booking
                .seat_numbers
                .iter()
                .filter(|seat| !lost.contains(seat))
                .map(|seat| format!("{}:{seat}", booking.launch_id))
                .collect();
            if let Err(error) = store.release_seats(&ours, &booking.id).await {
                tracing::warn!(booking_id = %booking.id, error = %error, "could not give back seats; they wait for the orphan sweep");
            }
        } else {
            winners.push(booking);
        }
    }
    match store.insert_bookings(&winners).await {
        Ok(()) => WriteOutcome::Stored { lost_seats },
        Err(error) => WriteOutcome::Unknown(error.to_string()),
    }
}

impl LaunchActor {
    pub fn new(
        launch_id: String,
        dependencies: LaunchDependencies,
        mailbox_capacity: usize,
    ) -> Self {
        Self {
            name: Self::actor_name(&launch_id),
            launch_id,
            dependencies,
            mailbox_capacity,
            launch: None,
            inventory: SeatInventory::new(0),
            confirmed: HashMap::new(),
            pending: Vec::new(),
            writing: Vec::new(),
            cancelling: HashMap::new(),
            generation: 0,
            seen_stamps: HashMap::new(),
            last_announced: None,
            announcement_due: false,
        }
    }

    pub fn actor_name(launch_id: &str) -> String {
        format!("launch-{launch_id}")
    }

    fn publish_to_board(&self) {
        if let Some(launch) = &self.launch {
            self.dependencies
                .board
                .publish(PublicLaunch::new(launch, self.inventory.free_seats()));
        }
    }

    /// Replaces the in-memory state with the store's, keeping reservations still being written.
    fn rebuild(&mut self, stored: StoredLaunch) -> Leftovers {
        let mut inventory = SeatInventory::new(stored.launch.capacity);
        let mut confirmed = HashMap::new();
        for booking in stored.bookings {
            if booking.status == BookingStatus::Confirmed {
                inventory.mark_active(&booking.traveler_id, &booking.id);
            }
            confirmed.insert(booking.id.clone(), booking);
        }
        let orphan_deadline =
            Utc::now() - chrono::Duration::from_std(ORPHAN_SEAT_GRACE).unwrap_or_default();
        let mut leftovers = Leftovers::default();
        for seat in &stored.seats {
            let booking = confirmed.get(&seat.booking_id);
            if booking
                .and_then(|booking| booking.cancellation.as_ref())
                .is_some_and(|cancellation| cancellation.seats_released)
            {
                leftovers
                    .released
                    .push((seat.id.clone(), seat.booking_id.clone()));
                continue;
            }
            let has_booking = booking.is_some();
            let is_ours_in_flight = self
                .writing
                .iter()
                .chain(&self.pending)
                .any(|pending| pending.document.id == seat.booking_id);
            if !has_booking && !is_ours_in_flight && seat.claimed_at < orphan_deadline {
                leftovers.orphans.push(seat.id.clone());
                continue;
            }
            inventory.mark_taken(&[seat.seat]);
        }
        for pending in self.writing.iter().chain(&self.pending) {
            inventory.mark_taken(&pending.document.seat_numbers);
            inventory.mark_active(&pending.document.traveler_id, &pending.document.id);
        }
        self.inventory = inventory;
        self.confirmed = confirmed;
        self.launch = Some(stored.launch);
        self.publish_to_board();
        leftovers
    }

    fn refresh_from_store(&mut self, ctx: &mut Context<Self>) {
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        let generation_at_read = self.generation;
        ctx.spawn(async move { load(&store, &launch_id).await }.into_actor(self).map(move |loaded, actor, ctx| {
            match loaded {
                Ok(_) if actor.generation != generation_at_read => actor.refresh_from_store(ctx),
                Ok(stored) => {
                    let leftovers = actor.rebuild(stored);
                    actor.give_back(leftovers, ctx);
                    actor.cancel_all_if_aborted(ctx);
                }
                Err(error) => tracing::warn!(actor = %actor.name, error = %error, "refresh from the store failed"),
            }
        }));
    }

    fn new_document(
        &self,
        launch: &LaunchDocument,
        request: BookingRequest,
        booking_id: String,
        seat_numbers: Vec<u32>,
    ) -> BookingDocument {
        let seats = u32::try_from(seat_numbers.len()).unwrap_or(u32::MAX);
        BookingDocument {
            id: booking_id,
            launch_id: launch.id.clone(),
            launch_slug: launch.slug.clone(),
            mission_name: launch.mission_name.clone(),
            launch_at: launch.launch_at,
            agency_id: launch.agency_id.clone(),
            agency_name: launch.agency_name.clone(),
            agency_email: launch.agency_email.clone(),
            traveler_id: request.traveler_id,
            traveler_name: request.traveler_name,
            traveler_email: request.traveler_email,
            idempotency_key: request.idempotency_key,
            seats,
            seat_numbers,
            price_per_seat_cents: launch.price_per_seat_cents,
            total_cents: total_cents(seats, launch.price_per_seat_cents),
            status: BookingStatus::Confirmed,
            passengers: request.passengers,
            created_at: Utc::now(),
            event_id: uuid::Uuid::now_v7().to_string(),
            request_id: Some(request.request_id),
            cancellation: None,
        }
    }

    /// Starts the next durable write if none is running.
    fn write_pending(&mut self, ctx: &mut Context<Self>) {
        if !self.writing.is_empty() || self.pending.is_empty() {
            return;
        }
        let take = self.pending.len().min(MAX_BATCH);
        self.writing = self.pending.drain(..take).collect();
        let documents: Vec<BookingDocument> = self
            .writing
            .iter()
            .map(|pending| pending.document.clone())
            .collect();
        let store = self.dependencies.store.clone();
        ctx.spawn(
            async move { write_batch(&store, documents).await }
                .into_actor(self)
                .map(|outcome, actor, ctx| actor.finish_write(outcome, ctx)),
        );
    }

    fn finish_write(&mut self, outcome: WriteOutcome, ctx: &mut Context<Self>) {
        let batch = std::mem::take(&mut self.writing);
        match outcome {
            WriteOutcome::Stored { lost_seats } => {
                let mut stored = Vec::new();
                for pending in batch {
                    match lost_seats.get(&pending.document.id) {
                        None => {
                            stored.push(pending.document.clone());
                            self.confirm(pending);
                        }
                        Some(taken_elsewhere) => {
                            self.retry_elsewhere_taken(pending, taken_elsewhere)
                        }
                    }
                }
                if !stored.is_empty() {
                    self.generation += 1;
                    self.announce_change(&stored, ctx);
                }
            }
            WriteOutcome::NotStored(error) => {
                tracing::warn!(actor = %self.name, error = %error, "booking write failed; seats given back");
                for pending in batch {
                    self.inventory.release(
                        &pending.document.traveler_id,
                        &pending.document.id,
                        &pending.document.seat_numbers,
                    );
                    reply_all(
                        pending.replies,
                        Err(BookingFailure::Unavailable(error.clone())),
                    );
                }
            }
            WriteOutcome::Unknown(error) => {
                tracing::error!(actor = %self.name, error = %error, "booking write outcome unknown; rebuilding from the store");
                self.dependencies
                    .registry
                    .record_failure(&self.name, &error);
                for pending in batch.into_iter().chain(self.pending.drain(..)) {
                    reply_all(
                        pending.replies,
                        Err(BookingFailure::Unavailable(error.clone())),
                    );
                }
                ctx.stop();
                return;
            }
        }
        self.publish_to_board();
        self.write_pending(ctx);
        self.cancel_all_if_aborted(ctx);
    }

    /// The first caller created the booking; callers who replayed its key meanwhile get it too,
    /// marked as a replay.
    fn confirm(&mut self, pending: PendingBooking) {
        for (position, reply) in pending.replies.into_iter().enumerate() {
            let receipt = BookingReceipt {
                booking: pending.document.clone(),
                replayed: position > 0,
            };
            let _caller_may_have_left = reply.send(Ok(receipt));
        }
        self.confirmed
            .insert(pending.document.id.clone(), pending.document);
    }

    /// Another process sold some of the seats this booking was given: mark them taken and try
    /// again with other seats, or refuse if none are left.
    fn retry_elsewhere_taken(&mut self, mut pending: PendingBooking, taken_elsewhere: &[u32]) {
        let document = &pending.document;
        self.inventory
            .release(&document.traveler_id, &document.id, &document.seat_numbers);
        self.inventory.mark_taken(taken_elsewhere);
        pending.attempts += 1;
        if pending.attempts >= MAX_ATTEMPTS {
            reply_all(
                pending.replies,
                Err(BookingFailure::Unavailable(
                    "seats kept changing under this booking".to_owned(),
                )),
            );
            return;
        }
        let status = self.launch.as_ref().map(|launch| launch.status);
        let Some(status) = status else { return };
        let seats = pending.document.seats;
        match self.inventory.reserve(
            status,
            &pending.document.traveler_id,
            &pending.document.id,
            seats,
            pending.is_vip,
        ) {
            Ok(seat_numbers) => {
                pending.document.seat_numbers = seat_numbers;
                self.pending.push(pending);
            }
            Err(refusal) => reply_all(pending.replies, Err(BookingFailure::Refused(refusal))),
        }
    }

    /// Reloads the launch if another process changed its seats since the last look.
    fn reload_if_changed_elsewhere(&mut self, ctx: &mut Context<Self>) {
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        let own = self.dependencies.process_id.clone();
        ctx.spawn(async move { store.seat_stamps(&launch_id).await }.into_actor(self).map(
            move |stamps, actor, ctx| match stamps {
                Ok(stamps) => {
                    let others: HashMap<String, String> = stamps
                        .into_iter()
                        .filter(|stamp| stamp.process_id != own)
                        .map(|stamp| (stamp.process_id, stamp.change_id))
                        .collect();
                    if others != actor.seen_stamps {
                        actor.seen_stamps = others;
                        actor.refresh_from_store(ctx);
                    }
                }
                Err(error) => {
                    tracing::warn!(actor = %actor.name, error = %error, "could not read seat stamps")
                }
            },
        ));
    }

    /// Hands the stored bookings' events to the outbox relay and tells other processes that
    /// seats were sold or given back: at once after a quiet spell, else when the interval ends.
    fn announce_change(&mut self, stored: &[BookingDocument], ctx: &mut Context<Self>) {
        if let Some(relay) = self.dependencies.booking_relay.get() {
            relay.do_send(Publish(
                stored.iter().map(BookingDocument::outbox_event).collect(),
            ));
        }
        if self.announcement_due {
            return;
        }
        self.announcement_due = true;
        let wait = self.last_announced.map_or(Duration::ZERO, |last| {
            ANNOUNCE_INTERVAL.saturating_sub(last.elapsed())
        });
        ctx.run_later(wait, |actor, ctx| {
            actor.announcement_due = false;
            actor.last_announced = Some(std::time::Instant::now());
            actor.broadcast_seat_change(ctx);
        });
    }

    /// A broadcast now, and a stamp for the periodic check of processes that missed it.
    fn broadcast_seat_change(&self, ctx: &mut Context<Self>) {
        let change = LaunchSeatsChanged {
            launch_id: self.launch_id.clone(),
            publisher: self.dependencies.process_id.clone(),
        };
        let Ok(data) = serde_json::to_value(change) else {
            return;
        };
        let origin = Origin {
            service: "customer".to_owned(),
            user_id: None,
            action: "seats".to_owned(),
        };
        let event = EventEnvelope::new(LAUNCH_SEATS_CHANGED, origin, None, data);
        let stamp = SeatStamp {
            id: format!("{}:{}", self.launch_id, self.dependencies.process_id),
            launch_id: self.launch_id.clone(),
            process_id: self.dependencies.process_id.clone(),
            change_id: event.event_id.to_string(),
        };
        let bus = self.dependencies.bus.clone();
        let store = self.dependencies.store.clone();
        ctx.spawn(
            async move {
                if let Err(error) = bus.publish(&event).await {
                    tracing::warn!(error = %error, "could not broadcast a seat change");
                }
                if let Err(error) = store.stamp_seats(&stamp).await {
                    tracing::warn!(error = %error, "could not stamp a seat change");
                }
            }
            .into_actor(self),
        );
    }
}

fn reply_all(replies: Vec<Reply>, outcome: Result<BookingReceipt, BookingFailure>) {
    for reply in replies {
        // The caller may have given up (timeout); the outcome stands regardless.
        let _ignored = reply.send(outcome.clone());
    }
}

impl Actor for LaunchActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(self.mailbox_capacity);
        self.dependencies
            .registry
            .register(&self.name, "launch-supervisor");
        ctx.run_interval(HEARTBEAT_INTERVAL, |actor, _| {
            actor.dependencies.registry.heartbeat(&actor.name)
        });
        ctx.run_interval(RECONCILE_INTERVAL, |actor, ctx| {
            actor.reload_if_changed_elsewhere(ctx)
        });
        ctx.run_interval(FULL_RELOAD_INTERVAL, |actor, ctx| {
            actor.refresh_from_store(ctx)
        });
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        // `wait` holds every message until the state is rebuilt from the store.
        ctx.wait(async move { load(&store, &launch_id).await }.into_actor(self).map(|loaded, actor, ctx| {
            match loaded {
                Ok(stored) => {
                    let leftovers = actor.rebuild(stored);
                    actor.give_back(leftovers, ctx);
                    actor.cancel_all_if_aborted(ctx);
                    actor.dependencies.registry.set_state(&actor.name, ActorState::Running);
                }
                Err(error) => {
                    tracing::warn!(actor = %actor.name, error = %error, "could not load launch state");
                    actor.dependencies.registry.record_error(&actor.name, &error);
                    ctx.stop();
                }
            }
        }));
    }
}

impl LaunchActor {
    fn give_back(&mut self, leftovers: Leftovers, ctx: &mut Context<Self>) {
        if leftovers.orphans.is_empty() && leftovers.released.is_empty() {
            return;
        }
        tracing::warn!(actor = %self.name, orphans = leftovers.orphans.len(), released = leftovers.released.len(),
            "giving back seats of writes that never finished and of cancellations whose release was interrupted");
        let store = self.dependencies.store.clone();
        ctx.spawn(
            async move {
                for seat_id in leftovers.orphans {
                    let booking_less = [seat_id];
                    if let Err(error) = store.release_orphan_seats(&booking_less).await {
                        tracing::warn!(error = %error, "could not give back an orphan seat");
                    }
                }
                for (seat_id, booking_id) in leftovers.released {
                    if let Err(error) = store.release_seats(&[seat_id], &booking_id).await {
                        tracing::warn!(error = %error, "could not give back a cancelled booking's seat");
                    }
                }
            }
            .into_actor(self),
        );
    }

    /// An aborted launch cancels every active booking with a full refund (again after a restart,
    /// until none is left).
    fn cancel_all_if_aborted(&mut self, ctx: &mut Context<Self>) {
        let Some(launch) = &self.launch else { return };
        if launch.status != LaunchStatus::Aborted || !self.writing.is_empty() {
            return;
        }
        let now = Utc::now();
        let cancelled: Vec<BookingDocument> = self
            .confirmed
            .values()
            .filter(|booking| booking.status == BookingStatus::Confirmed)
            .filter(|booking| !self.cancelling.contains_key(&booking.id))
            .map(|booking| {
                booking.cancelled(Cancellation {
                    cause: CancellationCause::LaunchAborted,
                    cancelled_at: now,
                    reason: launch.status_reason.clone(),
                    refund_percent: 100,
                    refund_cents: booking.total_cents,
                    seats_released: true,
                })
            })
            .collect();
        if cancelled.is_empty() {
            return;
        }
        tracing::info!(actor = %self.name, bookings = cancelled.len(), "launch aborted: cancelling every active booking with a full refund");
        for booking in &cancelled {
            self.cancelling.insert(booking.id.clone(), Vec::new());
        }
        self.write_cancellations(cancelled, ctx);
    }

    /// Stores each cancellation, then gives its seats back if it releases them. The booking is
    /// cancelled once its document says so; seats left behind by an interruption are given back
    /// by the next rebuild.
    fn write_cancellations(&mut self, cancelled: Vec<BookingDocument>, ctx: &mut Context<Self>) {
        let store = self.dependencies.store.clone();
        let work = async move {
            let mut outcomes = Vec::with_capacity(cancelled.len());
            for booking in cancelled {
                let entry = OutboxEntry::for_bookings(std::slice::from_ref(&booking));
                let written = match store.insert_outbox(&entry).await {
                    Ok(()) => store.replace_booking(&booking).await,
                    Err(error) => Err(error),
                };
                let outcome = match written {
                    Ok(()) => {
                        let releases = booking
                            .cancellation
                            .as_ref()
                            .is_some_and(|record| record.seats_released);
                        if releases
                            && let Err(error) =
                                store.release_seats(&booking.seat_ids(), &booking.id).await
                        {
                            tracing::warn!(booking_id = %booking.id, error = %error, "cancelled, but its seats wait for the next rebuild");
                        }
                        Ok(())
                    }
                    Err(error) => Err(error.to_string()),
                };
                outcomes.push((booking, outcome));
            }
            outcomes
        };
        ctx.spawn(
            work.into_actor(self)
                .map(|outcomes, actor, ctx| actor.finish_cancellations(outcomes, ctx)),
        );
    }

    fn finish_cancellations(
        &mut self,
        outcomes: Vec<(BookingDocument, Result<(), String>)>,
        ctx: &mut Context<Self>,
    ) {
        let mut stored = Vec::new();
        let mut unsure = false;
        for (booking, outcome) in outcomes {
            let replies = self.cancelling.remove(&booking.id).unwrap_or_default();
            match outcome {
                Ok(()) => {
                    stored.push(booking.clone());
                    let releases = booking
                        .cancellation
                        .as_ref()
                        .is_some_and(|record| record.seats_released);
                    if releases {
                        self.inventory.release(
                            &booking.traveler_id,
                            &booking.id,
                            &booking.seat_numbers,
                        );
                    } else {
                        self.inventory.end_active(&booking.traveler_id, &booking.id);
                    }
                    for reply in replies {
                        let receipt = CancelReceipt {
                            booking: booking.clone(),
                            already_cancelled: false,
                        };
                        let _caller_may_have_left = reply.send(Ok(receipt));
                    }
                    self.confirmed.insert(booking.id.clone(), booking);
                }
                Err(error) => {
                    // The write may or may not have landed: the store says which.
                    unsure = true;
                    tracing::warn!(actor = %self.name, booking_id = %booking.id, error = %error, "cancellation not stored");
                    for reply in replies {
                        let _caller_may_have_left =
                            reply.send(Err(CancelFailure::Unavailable(error.clone())));
                    }
                }
            }
        }
        if !stored.is_empty() {
            self.generation += 1;
            self.announce_change(&stored, ctx);
            self.publish_to_board();
        }
        if unsure {
            self.refresh_from_store(ctx);
        }
    }
}

impl Handler<Cancel> for LaunchActor {
    type Result = ResponseFuture<Result<CancelReceipt, CancelFailure>>;

    fn handle(&mut self, Cancel(request): Cancel, ctx: &mut Self::Context) -> Self::Result {
        let Some(booking) = self
            .confirmed
            .get(&request.booking_id)
            .filter(|booking| booking.traveler_id == request.traveler_id)
            .cloned()
        else {
            return Box::pin(async { Err(CancelFailure::NotFound) });
        };
        if booking.status == BookingStatus::Cancelled {
            let receipt = CancelReceipt {
                booking,
                already_cancelled: true,
            };
            return Box::pin(async move { Ok(receipt) });
        }
        let (reply, answer) = oneshot::channel();
        if let Some(waiting) = self.cancelling.get_mut(&booking.id) {
            waiting.push(reply);
        } else {
            let Some(launch) = &self.launch else {
                return Box::pin(async {
                    Err(CancelFailure::Unavailable("launch not loaded".to_owned()))
                });
            };
            if launch.status.is_final() {
                let status = launch.status;
                return Box::pin(async move { Err(CancelFailure::LaunchOver(status)) });
            }
            let now = Utc::now();
            let refund = refund_for_cancellation(booking.total_cents, now, launch.launch_at);
            let cancelled = booking.cancelled(Cancellation {
                cause: CancellationCause::Traveler,
                cancelled_at: now,
                reason: request.reason,
                refund_percent: refund.percent,
                refund_cents: refund.amount_cents,
                seats_released: refund.releases_seats,
            });
            self.cancelling.insert(booking.id.clone(), vec![reply]);
            self.write_cancellations(vec![cancelled], ctx);
        }
        Box::pin(async move {
            answer.await.unwrap_or_else(|_| {
                Err(CancelFailure::Unavailable(
                    "the launch actor stopped".to_owned(),
                ))
            })
        })
    }
}

impl Handler<Book> for LaunchActor {
    type Result = ResponseFuture<Result<BookingReceipt, BookingFailure>>;

    fn handle(&mut self, Book(request): Book, ctx: &mut Self::Context) -> Self::Result {
        let booking_id = booking_id_for(&request.traveler_id, &request.idempotency_key);
        if let Some(existing) = self.confirmed.get(&booking_id) {
            let receipt = BookingReceipt {
                booking: existing.clone(),
                replayed: true,
            };
            return Box::pin(async move { Ok(receipt) });
        }
        let (reply, answer) = oneshot::channel();
        let in_flight = self
            .writing
            .iter_mut()
            .chain(self.pending.iter_mut())
            .find(|pending| pending.document.id == booking_id);
        if let Some(pending) = in_flight {
            pending.replies.push(reply);
        } else {
            let Some(launch) = self.launch.clone() else {
                return Box::pin(async {
                    Err(BookingFailure::Unavailable("launch not loaded".to_owned()))
                });
            };
            let seats = u32::try_from(request.passengers.len()).unwrap_or(u32::MAX);
            let is_vip = request.is_vip;
            let reserved = self.inventory.reserve(
                launch.status,
                &request.traveler_id,
                &booking_id,
                seats,
                is_vip,
            );
            match reserved {
                Err(refusal) => {
                    return Box::pin(async move { Err(BookingFailure::Refused(refusal)) });
                }
                Ok(seat_numbers) => {
                    let document = self.new_document(&launch, request, booking_id, seat_numbers);
                    self.pending.push(PendingBooking {
                        document,
                        replies: vec![reply],
                        attempts: 0,
                        is_vip,
                    });
                    self.publish_to_board();
                    self.write_pending(ctx);
                }
            }
        }
        Box::pin(async move {
            answer.await.unwrap_or_else(|_| {
                Err(BookingFailure::Unavailable(
                    "the launch actor stopped".to_owned(),
                ))
            })
        })
    }
}

impl Handler<LaunchChanged> for LaunchActor {
    type Result = ();

    fn handle(&mut self, LaunchChanged(launch): LaunchChanged, ctx: &mut Self::Context) {
        if self
            .launch
            .as_ref()
            .is_some_and(|current| current.revision > launch.revision)
        {
            return;
        }
        if launch.capacity != self.inventory.capacity() {
            tracing::warn!(actor = %self.name, "capacity change ignored: seats are sold against the original capacity");
        }
        self.launch = Some(launch);
        self.publish_to_board();
        self.cancel_all_if_aborted(ctx);
    }
}

impl Handler<SeatsChangedElsewhere> for LaunchActor {
    type Result = ();

    fn handle(&mut self, _: SeatsChangedElsewhere, ctx: &mut Self::Context) {
        self.refresh_from_store(ctx);
    }
}

impl Handler<InjectPanic> for LaunchActor {
    type Result = ();

    #[allow(clippy::panic)]
    fn handle(&mut self, _: InjectPanic, _: &mut Self::Context) {
        panic!("fault injected into {}", self.name);
    }
}
