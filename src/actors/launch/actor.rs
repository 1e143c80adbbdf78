//! The launch actor. Its state is the launch's seat ledger replayed, rebuilt from the customer
//! DB before the first message. Bookings and cancellations are decided in memory, written
//! together as the ledger's next entry (one write, which the store refuses if another process
//! wrote that position first), and only then confirmed to the callers. A write whose outcome is unknown stops the actor, so that its supervisor
//! rebuilds it from the store, which is the truth.

use std::time::Duration;

use actix::{
    Actor, ActorContext, ActorFutureExt, AsyncContext, Context, Handler, ResponseFuture, WrapFuture,
};
use tokio::sync::oneshot;

use super::board::PublicLaunch;
use super::directory::{LaunchDependencies, Retirement};
use super::ledger::Replay;
use super::messages::{
    Book, BookingFailure, BookingReceipt, BookingRequest, Cancel, CancelFailure, CancelReceipt,
    InjectPanic, LaunchChanged, RecordLaunchChange, SeatsChangedElsewhere,
};
use crate::actors::health::{ActorState, HEARTBEAT_INTERVAL};
use crate::actors::sync::outbox_relay::Publish;
use crate::domain::booking::{
    Cancellation, CancellationCause, SaleMoment, SeatInventory, booking_id_for,
    refund_for_cancellation, request_fingerprint, total_cents,
};
use crate::domain::launch::LaunchStatus;
use crate::storage::amqp::events::{LAUNCH_SEATS_CHANGED, LaunchSeatsChanged};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::mongo::customer::{
    Append, BookingDocument, BookingStatus, CustomerStore, IdempotencyKeyDocument, LaunchDocument,
    LaunchState, LedgerEntry, LedgerHead, OutboxEntry,
};
use crate::storage::mongo::never_sent;

/// Bookings and cancellations written together in one ledger entry at most.
const MAX_BATCH: usize = 256;
/// A booking whose write lost its ledger position to another process is decided again this
/// many times at most.
const MAX_ATTEMPTS: u32 = 3;
/// Other processes' ledger heads are read this often, so that entries they appended are found
/// even if their broadcast is lost. The heads are a few small documents; the entries are read
/// only when a head is ahead (FerretDB scans a collection even to find one `_id`). An entry of
/// a process that died before recording its head is found by the next write here, whose
/// position it holds; until then the free seats shown may count its seats as free.
const CATCH_UP_INTERVAL: Duration = Duration::from_secs(2);
/// A final launch's actor started to record its change retires this long after loading, once
/// the messages that started it are answered.
const RETIRE_AFTER_LOAD: Duration = Duration::from_secs(1);
/// Seat changes are broadcast to other processes at most this often: the batches of a hot
/// launch in between are folded into the next broadcast.
const ANNOUNCE_INTERVAL: Duration = Duration::from_millis(200);

type Reply = oneshot::Sender<Result<BookingReceipt, BookingFailure>>;
type CancelReply = oneshot::Sender<Result<CancelReceipt, CancelFailure>>;
type RecordReply = oneshot::Sender<Result<(), String>>;

struct PendingBooking {
    document: BookingDocument,
    replies: Vec<Reply>,
    attempts: u32,
    is_vip: bool,
    /// The idempotency key is known to be this request's (claimed by an earlier attempt).
    key_claimed: bool,
}

struct PendingCancel {
    /// The booking as cancelled.
    document: BookingDocument,
    /// None for an abort.
    replies: Vec<CancelReply>,
}

/// A change of the launch itself, to be recorded in its ledger.
struct PendingLaunch {
    state: LaunchState,
    replies: Vec<RecordReply>,
}

/// What the next ledger entry will record.
enum Change {
    Book(PendingBooking),
    Cancel(PendingCancel),
    Launch(PendingLaunch),
}

impl Change {
    fn document(&self) -> Option<&BookingDocument> {
        match self {
            Self::Book(pending) => Some(&pending.document),
            Self::Cancel(pending) => Some(&pending.document),
            Self::Launch(_) => None,
        }
    }
}

pub struct LaunchActor {
    name: String,
    launch_id: String,
    dependencies: LaunchDependencies,
    mailbox_capacity: usize,
    /// The launch as given at start, until it is loaded.
    known: Option<LaunchDocument>,
    launch: Option<LaunchDocument>,
    ledger: Replay,
    /// The ledger's seats plus those reserved for bookings not yet written.
    inventory: SeatInventory,
    pending: Vec<Change>,
    writing: Vec<Change>,
    /// Entries of other processes are being read; no write starts meanwhile.
    catching_up: bool,
    /// Another process wrote while a write of ours was in flight (or took its position): read
    /// its entries before the next write.
    catch_up_due: bool,
    /// When seat changes were last announced, and whether an announcement is already due.
    last_announced: Option<std::time::Instant>,
    announcement_due: bool,
    retirement: Retirement,
}

/// The durable state of a launch, read from the store.
struct StoredLaunch {
    launch: LaunchDocument,
    ledger: Replay,
}

/// The launch as the customer DB or a broadcast (`known`, which may be ahead of the store)
/// gives it, whichever is newer, and then as its ledger's latest recorded state leaves it.
async fn load(
    store: &CustomerStore,
    launch_id: &str,
    known: Option<LaunchDocument>,
) -> Result<StoredLaunch, String> {
    let stored = store
        .launch(launch_id)
        .await
        .map_err(|error| error.to_string())?;
    let launch = match (stored, known) {
        (Some(stored), Some(known)) if known.revision > stored.revision => known,
        (Some(stored), _) => stored,
        (None, Some(known)) => known,
        (None, None) => return Err(format!("launch {launch_id} is not in the customer DB")),
    };
    let entries = store
        .ledger_of(launch_id)
        .await
        .map_err(|error| error.to_string())?;
    let ledger = Replay::of(entries);
    let launch = ledger
        .launch()
        .and_then(|state| state.applied_to(&launch))
        .unwrap_or(launch);
    Ok(StoredLaunch { launch, ledger })
}

/// What a batch write achieved.
enum WriteOutcome {
    /// The entry is stored; the outbox entry of its events has this id (none without bookings).
    Stored { outbox_key: Option<String> },
    /// Every change of the batch was refused before the write: nothing to store.
    Nothing,
    /// Another process holds the entry's position: nothing of the batch is stored.
    PositionTaken,
    /// Nothing of the batch is stored.
    NotStored(String),
    /// Unknown: the ledger write failed and may have landed.
    Unknown(String),
}

/// The idempotency keys of the batch's new bookings, claimed before anything is written:
/// returns the bookings whose key was first used with another request.
async fn claim_keys(
    store: &CustomerStore,
    claims: &[(String, IdempotencyKeyDocument)],
) -> Result<std::collections::HashSet<String>, String> {
    let documents: Vec<IdempotencyKeyDocument> =
        claims.iter().map(|(_, claim)| claim.clone()).collect();
    let taken = store
        .claim_keys(&documents)
        .await
        .map_err(|error| error.to_string())?;
    let reused = claims
        .iter()
        .filter(|(_, claim)| {
            taken
                .iter()
                .any(|stored| stored.id == claim.id && stored.request != claim.request)
        })
        .map(|(booking_id, _)| booking_id.clone())
        .collect();
    Ok(reused)
}

/// The outbox entry goes first, so that no recorded change lacks its event (an outbox entry
/// whose bookings are never recorded is dropped by the relay after a grace period).
async fn write_batch(store: &CustomerStore, entry: &LedgerEntry) -> WriteOutcome {
    let outbox = if entry.bookings.is_empty() {
        None
    } else {
        let outbox = OutboxEntry::for_bookings(&entry.bookings);
        if let Err(error) = store.insert_outbox(&outbox).await {
            return WriteOutcome::NotStored(error.to_string());
        }
        Some(outbox.id)
    };
    match store.append_ledger(entry).await {
        Ok(Append::Written) => WriteOutcome::Stored { outbox_key: outbox },
        Ok(Append::PositionTaken) => WriteOutcome::PositionTaken,
        Err(error) if never_sent(&error) => WriteOutcome::NotStored(error.to_string()),
        Err(error) => WriteOutcome::Unknown(error.to_string()),
    }
}

fn reply_all(replies: Vec<Reply>, outcome: Result<BookingReceipt, BookingFailure>) {
    for reply in replies {
        // The caller may have given up (timeout); the outcome stands regardless.
        let _ignored = reply.send(outcome.clone());
    }
}

fn reply_cancel_all(replies: Vec<CancelReply>, outcome: Result<CancelReceipt, CancelFailure>) {
    for reply in replies {
        let _caller_may_have_left = reply.send(outcome.clone());
    }
}

fn reply_record_all(replies: Vec<RecordReply>, outcome: Result<(), String>) {
    for reply in replies {
        let _caller_may_have_left = reply.send(outcome.clone());
    }
}

/// Tells a change's callers that nothing was stored.
fn fail(change: Change, error: &str) {
    match change {
        Change::Book(pending) => reply_all(
            pending.replies,
            Err(BookingFailure::Unavailable(error.to_owned())),
        ),
        Change::Cancel(pending) => reply_cancel_all(
            pending.replies,
            Err(CancelFailure::Unavailable(error.to_owned())),
        ),
        Change::Launch(pending) => reply_record_all(pending.replies, Err(error.to_owned())),
    }
}

impl LaunchActor {
    /// `known` is the launch as a broadcast gave it, for a launch the customer DB may not hold yet.
    pub fn new(
        launch_id: String,
        dependencies: LaunchDependencies,
        mailbox_capacity: usize,
        known: Option<LaunchDocument>,
        retirement: Retirement,
    ) -> Self {
        Self {
            name: Self::actor_name(&launch_id),
            launch_id,
            dependencies,
            mailbox_capacity,
            known,
            launch: None,
            ledger: Replay::default(),
            inventory: SeatInventory::new(0),
            pending: Vec::new(),
            writing: Vec::new(),
            catching_up: false,
            catch_up_due: false,
            last_announced: None,
            announcement_due: false,
            retirement,
        }
    }

    pub fn actor_name(launch_id: &str) -> String {
        format!("launch-{launch_id}")
    }

    /// The launch's sale as it stands now, by the clock.
    fn sale_moment(&self) -> Option<SaleMoment> {
        self.launch.as_ref().map(|launch| SaleMoment {
            status: launch.status,
            launch_at: launch.launch_at,
            now: self.dependencies.clock.now(),
        })
    }

    fn publish_to_board(&self) {
        if let Some(launch) = &self.launch {
            self.dependencies
                .board
                .publish(PublicLaunch::new(launch, self.inventory.free_seats()));
        }
    }

    /// Hands the events of stored changes, with the outbox entry that stands for them, to the
    /// relay, which publishes them without reading the outbox.
    fn hand_to_relay(&self, outbox_key: Option<String>, stored: &[BookingDocument]) {
        let Some(outbox_key) = outbox_key else { return };
        if let Some(relay) = self.dependencies.booking_relay.get() {
            relay.do_send(Publish {
                outbox_key,
                events: stored.iter().map(BookingDocument::outbox_event).collect(),
            });
        }
    }

    fn new_document(
        &self,
        launch: &LaunchDocument,
        request: BookingRequest,
        booking_id: String,
        request_fingerprint: String,
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
            request_fingerprint,
            seats,
            seat_numbers,
            price_per_seat_cents: launch.price_per_seat_cents,
            total_cents: total_cents(seats, launch.price_per_seat_cents),
            status: BookingStatus::Confirmed,
            passengers: request.passengers,
            created_at: self.dependencies.clock.now(),
            event_id: uuid::Uuid::now_v7().to_string(),
            request_id: Some(request.request_id),
            cancellation: None,
        }
    }

    fn in_flight(&mut self, booking_id: &str) -> Option<&mut Change> {
        self.writing
            .iter_mut()
            .chain(self.pending.iter_mut())
            .find(|change| {
                change
                    .document()
                    .is_some_and(|document| document.id == booking_id)
            })
    }

    /// A booking of this traveller with this key that is being written under another id (so
    /// for another request).
    fn key_in_flight_elsewhere(&self, traveler_id: &str, key: &str, booking_id: &str) -> bool {
        self.writing.iter().chain(&self.pending).any(|change| {
            matches!(change, Change::Book(_))
                && change.document().is_some_and(|document| {
                    document.traveler_id == traveler_id
                        && document.idempotency_key == key
                        && document.id != booking_id
                })
        })
    }

    /// Starts the next ledger write if none is running.
    fn write_pending(&mut self, ctx: &mut Context<Self>) {
        let busy = !self.writing.is_empty() || self.catching_up || self.catch_up_due;
        if busy || self.pending.is_empty() {
            return;
        }
        let take = self.pending.len().min(MAX_BATCH);
        self.writing = self.pending.drain(..take).collect();
        let documents: Vec<BookingDocument> = self
            .writing
            .iter()
            .filter_map(Change::document)
            .cloned()
            .collect();
        let claimed_at = self.dependencies.clock.now();
        let claims: Vec<(String, IdempotencyKeyDocument)> = self
            .writing
            .iter()
            .filter_map(|change| match change {
                Change::Book(pending) if !pending.key_claimed => Some(&pending.document),
                _ => None,
            })
            .map(|document| {
                let claim = IdempotencyKeyDocument::new(
                    &document.traveler_id,
                    &document.idempotency_key,
                    &document.request_fingerprint,
                    claimed_at,
                );
                (document.id.clone(), claim)
            })
            .collect();
        let launch_change = self
            .writing
            .iter()
            .filter_map(|change| match change {
                Change::Launch(pending) => Some(pending.state.clone()),
                _ => None,
            })
            .max_by_key(|state| state.revision);
        let launch_id = self.launch_id.clone();
        let sequence = self.ledger.next_sequence();
        let store = self.dependencies.store.clone();
        ctx.spawn(
            async move {
                let reused = match claim_keys(&store, &claims).await {
                    Ok(reused) => reused,
                    Err(error) => {
                        let entry = LedgerEntry::new(&launch_id, sequence, Vec::new());
                        return (entry, WriteOutcome::NotStored(error), Default::default());
                    }
                };
                let bookings: Vec<BookingDocument> = documents
                    .into_iter()
                    .filter(|document| !reused.contains(&document.id))
                    .collect();
                let entry =
                    LedgerEntry::new(&launch_id, sequence, bookings).recording(launch_change);
                let outcome = if entry.bookings.is_empty() && entry.launch.is_none() {
                    WriteOutcome::Nothing
                } else {
                    write_batch(&store, &entry).await
                };
                (entry, outcome, reused)
            }
            .into_actor(self)
            .map(|(entry, outcome, reused), actor, ctx| {
                actor.finish_write(entry, outcome, &reused, ctx)
            }),
        );
    }

    fn finish_write(
        &mut self,
        entry: LedgerEntry,
        outcome: WriteOutcome,
        reused_keys: &std::collections::HashSet<String>,
        ctx: &mut Context<Self>,
    ) {
        let mut batch = Vec::with_capacity(self.writing.len());
        for change in std::mem::take(&mut self.writing) {
            match change {
                Change::Book(pending) if reused_keys.contains(&pending.document.id) => {
                    let refused = Change::Book(pending);
                    self.give_back(&refused);
                    if let Change::Book(pending) = refused {
                        reply_all(pending.replies, Err(BookingFailure::KeyReused));
                    }
                }
                Change::Book(mut pending) => {
                    // Claimed now, whatever becomes of the write.
                    pending.key_claimed = true;
                    batch.push(Change::Book(pending));
                }
                other => batch.push(other),
            }
        }
        match outcome {
            WriteOutcome::Nothing => {}
            WriteOutcome::Stored { outbox_key } => {
                self.hand_to_relay(outbox_key, &entry.bookings);
                self.ledger.apply(entry);
                self.adopt_recorded_launch();
                for change in batch {
                    self.settle(change);
                }
                self.announce_change(ctx);
            }
            WriteOutcome::PositionTaken => {
                // Decided against a ledger that another process has moved on: read its entries
                // and decide these again.
                let mut requeued = Vec::with_capacity(batch.len() + self.pending.len());
                for mut change in batch {
                    if let Change::Book(pending) = &mut change {
                        pending.attempts += 1;
                        if pending.attempts >= MAX_ATTEMPTS {
                            self.give_back(&change);
                            fail(change, "seats kept changing under this booking");
                            continue;
                        }
                    }
                    requeued.push(change);
                }
                requeued.append(&mut self.pending);
                self.pending = requeued;
                self.catch_up_due = true;
            }
            WriteOutcome::NotStored(error) => {
                tracing::warn!(actor = %self.name, error = %error, "ledger write failed; seats given back");
                for change in batch {
                    self.give_back(&change);
                    fail(change, &error);
                }
            }
            WriteOutcome::Unknown(error) => {
                tracing::error!(actor = %self.name, error = %error, "ledger write outcome unknown; rebuilding from the store");
                self.dependencies
                    .registry
                    .record_failure(&self.name, &error);
                for change in batch.into_iter().chain(self.pending.drain(..)) {
                    fail(change, &error);
                }
                ctx.stop();
                return;
            }
        }
        self.publish_to_board();
        self.cancel_all_if_aborted(ctx);
        if self.catch_up_due {
            self.catch_up(ctx);
        } else {
            self.write_pending(ctx);
        }
        self.retire_if_done(ctx);
    }

    /// A change the ledger now holds: its seats follow it, and its callers hear.
    fn settle(&mut self, change: Change) {
        match change {
            Change::Book(pending) => {
                // The first caller created the booking; callers who replayed its key meanwhile
                // get it too, marked as a replay.
                for (position, reply) in pending.replies.into_iter().enumerate() {
                    let receipt = BookingReceipt {
                        booking: pending.document.clone(),
                        replayed: position > 0,
                    };
                    let _caller_may_have_left = reply.send(Ok(receipt));
                }
            }
            Change::Cancel(pending) => {
                let booking = pending.document;
                if booking
                    .cancellation
                    .as_ref()
                    .is_some_and(|record| record.seats_released)
                {
                    self.inventory.release(
                        &booking.traveler_id,
                        &booking.id,
                        &booking.seat_numbers,
                    );
                } else {
                    self.inventory.end_active(&booking.traveler_id, &booking.id);
                }
                let receipt = CancelReceipt {
                    booking,
                    already_cancelled: false,
                };
                reply_cancel_all(pending.replies, Ok(receipt));
            }
            Change::Launch(pending) => reply_record_all(pending.replies, Ok(())),
        }
    }

    /// The launch as the ledger's latest recorded state leaves it, when that is newer than the
    /// one held (written by this process, or read from another's entries).
    fn adopt_recorded_launch(&mut self) {
        if let Some(launch) = &self.launch
            && let Some(newer) = self
                .ledger
                .launch()
                .and_then(|state| state.applied_to(launch))
        {
            self.apply_launch(newer);
        }
    }

    /// Takes a newer (or the same) revision of the launch; bookings still waiting for a write
    /// are refused if the launch no longer sells.
    fn apply_launch(&mut self, launch: LaunchDocument) {
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
        let Some(Err(refusal)) = self.sale_moment().map(SaleMoment::check) else {
            return;
        };
        for change in std::mem::take(&mut self.pending) {
            match change {
                Change::Book(pending) => {
                    let refused = Change::Book(pending);
                    self.give_back(&refused);
                    if let Change::Book(pending) = refused {
                        reply_all(
                            pending.replies,
                            Err(BookingFailure::Refused(refusal.clone())),
                        );
                    }
                }
                other => self.pending.push(other),
            }
        }
    }

    /// Gives back the seats a booking that was not stored had reserved.
    fn give_back(&mut self, change: &Change) {
        if let Change::Book(pending) = change {
            let document = &pending.document;
            self.inventory
                .release(&document.traveler_id, &document.id, &document.seat_numbers);
        }
    }

    /// Reads the entries other processes appended, then decides the waiting changes again
    /// against the ledger as it now stands.
    fn catch_up(&mut self, ctx: &mut Context<Self>) {
        if self.catching_up {
            return;
        }
        if !self.writing.is_empty() {
            self.catch_up_due = true;
            return;
        }
        self.catch_up_due = false;
        self.catching_up = true;
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        let from = self.ledger.next_sequence();
        ctx.spawn(
            async move { store.ledger_from(&launch_id, from).await }
                .into_actor(self)
                .map(|read, actor, ctx| {
                    actor.catching_up = false;
                    match read {
                        Ok(entries) if entries.is_empty() => {}
                        Ok(entries) => {
                            for entry in entries {
                                actor.ledger.apply(entry);
                            }
                            actor.adopt_recorded_launch();
                            actor.decide_again();
                            actor.publish_to_board();
                            actor.cancel_all_if_aborted(ctx);
                        }
                        Err(error) => {
                            tracing::warn!(actor = %actor.name, error = %error, "could not read the ledger")
                        }
                    }
                    actor.write_pending(ctx);
                    actor.retire_if_done(ctx);
                }),
        );
    }

    /// Rebuilds the seats from the ledger, then reserves again for the bookings still waiting,
    /// in their order: some may now be refused, or found already made by another process.
    fn decide_again(&mut self) {
        let (Some(capacity), Some(sale)) = (
            self.launch.as_ref().map(|launch| launch.capacity),
            self.sale_moment(),
        ) else {
            return;
        };
        self.inventory = self.ledger.inventory(capacity);
        for change in std::mem::take(&mut self.pending) {
            match change {
                Change::Book(mut pending) => {
                    if let Some(made) = self.ledger.booking(&pending.document.id) {
                        let receipt = BookingReceipt {
                            booking: made.clone(),
                            replayed: true,
                        };
                        reply_all(pending.replies, Ok(receipt));
                        continue;
                    }
                    let document = &pending.document;
                    if self
                        .ledger
                        .booking_by_key(&document.traveler_id, &document.idempotency_key)
                        .is_some()
                    {
                        reply_all(pending.replies, Err(BookingFailure::KeyReused));
                        continue;
                    }
                    match self.inventory.reserve(
                        sale,
                        &document.traveler_id,
                        &document.id,
                        document.seats,
                        pending.is_vip,
                    ) {
                        Ok(seat_numbers) => {
                            pending.document.seat_numbers = seat_numbers;
                            self.pending.push(Change::Book(pending));
                        }
                        Err(refusal) => {
                            reply_all(pending.replies, Err(BookingFailure::Refused(refusal)))
                        }
                    }
                }
                Change::Cancel(pending) => match self.ledger.booking(&pending.document.id) {
                    Some(booking) if booking.status == BookingStatus::Cancelled => {
                        let receipt = CancelReceipt {
                            booking: booking.clone(),
                            already_cancelled: true,
                        };
                        reply_cancel_all(pending.replies, Ok(receipt));
                    }
                    _ => self.pending.push(Change::Cancel(pending)),
                },
                Change::Launch(pending) => {
                    let recorded = self
                        .ledger
                        .launch()
                        .is_some_and(|state| state.revision >= pending.state.revision);
                    if recorded {
                        reply_record_all(pending.replies, Ok(()));
                    } else {
                        self.pending.push(Change::Launch(pending));
                    }
                }
            }
        }
    }

    /// Catches up if another process's head is past this actor's ledger.
    fn catch_up_if_behind(&mut self, ctx: &mut Context<Self>) {
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        ctx.spawn(async move { store.heads_of(&launch_id).await }.into_actor(self).map(
            |heads, actor, ctx| match heads {
                Ok(heads) => {
                    let next = actor.ledger.next_sequence();
                    if heads.iter().any(|head| head.next_sequence > next) {
                        actor.catch_up(ctx);
                    }
                }
                Err(error) => {
                    tracing::warn!(actor = %actor.name, error = %error, "could not read ledger heads")
                }
            },
        ));
    }

    /// Tells other processes that seats were sold or given back: at once after a quiet spell,
    /// else when the interval ends.
    fn announce_change(&mut self, ctx: &mut Context<Self>) {
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
        let head = LedgerHead::new(
            &self.launch_id,
            &self.dependencies.process_id,
            self.ledger.next_sequence(),
        );
        let bus = self.dependencies.bus.clone();
        let store = self.dependencies.store.clone();
        ctx.spawn(
            async move {
                if let Err(error) = bus.publish(&event).await {
                    tracing::warn!(error = %error, "could not broadcast a seat change");
                }
                if let Err(error) = store.put_head(&head).await {
                    tracing::warn!(error = %error, "could not record the ledger head");
                }
            }
            .into_actor(self),
        );
    }

    /// A final launch with nothing left to write (an abort's cancellations all stored) sells
    /// nothing more: its actor leaves the board and the directory and stops, so memory stays
    /// bounded by the launches that can still sell. Its page is read from the customer DB.
    fn retire_if_done(&mut self, ctx: &mut Context<Self>) {
        let Some(launch) = &self.launch else { return };
        let idle = self.pending.is_empty() && self.writing.is_empty() && !self.catching_up;
        // Recorded in the ledger first, so that an actor elsewhere still selling against the
        // older state loses its position.
        let recorded = self
            .ledger
            .launch()
            .is_some_and(|state| state.revision >= launch.revision);
        let bookings_left = launch.status == LaunchStatus::Aborted
            && self
                .ledger
                .bookings()
                .any(|booking| booking.status == BookingStatus::Confirmed);
        if !launch.status.is_final() || !idle || !recorded || bookings_left {
            return;
        }
        tracing::info!(actor = %self.name, status = launch.status.as_str(), "launch is final: its actor retires");
        self.retirement.retire(&self.launch_id);
        ctx.stop();
    }

    /// An aborted launch cancels every active booking with a full refund (again after a restart,
    /// until none is left).
    fn cancel_all_if_aborted(&mut self, ctx: &mut Context<Self>) {
        let Some(launch) = &self.launch else { return };
        if launch.status != LaunchStatus::Aborted {
            return;
        }
        let now = self.dependencies.clock.now();
        let queued: std::collections::HashSet<&str> = self
            .writing
            .iter()
            .chain(&self.pending)
            .filter(|change| matches!(change, Change::Cancel(_)))
            .filter_map(Change::document)
            .map(|document| document.id.as_str())
            .collect();
        let cancelled: Vec<Change> = self
            .ledger
            .bookings()
            .filter(|booking| booking.status == BookingStatus::Confirmed)
            .filter(|booking| !queued.contains(booking.id.as_str()))
            .map(|booking| {
                Change::Cancel(PendingCancel {
                    document: booking.cancelled(Cancellation {
                        cause: CancellationCause::LaunchAborted,
                        cancelled_at: now,
                        reason: launch.status_reason.clone(),
                        refund_percent: 100,
                        refund_cents: booking.total_cents,
                        seats_released: true,
                    }),
                    replies: Vec::new(),
                })
            })
            .collect();
        if cancelled.is_empty() {
            return;
        }
        tracing::info!(actor = %self.name, bookings = cancelled.len(), "launch aborted: cancelling every active booking with a full refund");
        self.pending.extend(cancelled);
        self.write_pending(ctx);
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
        ctx.run_interval(CATCH_UP_INTERVAL, |actor, ctx| {
            actor.catch_up_if_behind(ctx)
        });
        let store = self.dependencies.store.clone();
        let launch_id = self.launch_id.clone();
        let known = self.known.take();
        // `wait` holds every message until the state is rebuilt from the store.
        ctx.wait(async move { load(&store, &launch_id, known).await }.into_actor(self).map(|loaded, actor, ctx| {
            match loaded {
                Ok(stored) => {
                    actor.inventory = stored.ledger.inventory(stored.launch.capacity);
                    actor.ledger = stored.ledger;
                    actor.launch = Some(stored.launch);
                    actor.publish_to_board();
                    actor.cancel_all_if_aborted(ctx);
                    actor.dependencies.registry.set_state(&actor.name, ActorState::Running);
                    // Not at once: the message that started it (a change to record) is answered
                    // first.
                    ctx.run_later(RETIRE_AFTER_LOAD, |actor, ctx| actor.retire_if_done(ctx));
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

impl Handler<Cancel> for LaunchActor {
    type Result = ResponseFuture<Result<CancelReceipt, CancelFailure>>;

    fn handle(&mut self, Cancel(request): Cancel, ctx: &mut Self::Context) -> Self::Result {
        let Some(booking) = self
            .ledger
            .booking(&request.booking_id)
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
        if let Some(Change::Cancel(waiting)) = self.in_flight(&booking.id) {
            waiting.replies.push(reply);
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
            let now = self.dependencies.clock.now();
            let refund = refund_for_cancellation(booking.total_cents, now, launch.launch_at);
            let document = booking.cancelled(Cancellation {
                cause: CancellationCause::Traveler,
                cancelled_at: now,
                reason: request.reason,
                refund_percent: refund.percent,
                refund_cents: refund.amount_cents,
                seats_released: refund.releases_seats,
            });
            self.pending.push(Change::Cancel(PendingCancel {
                document,
                replies: vec![reply],
            }));
            self.write_pending(ctx);
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
        let fingerprint = request_fingerprint(&self.launch_id, &request.passengers);
        let booking_id =
            booking_id_for(&request.traveler_id, &request.idempotency_key, &fingerprint);
        if let Some(existing) = self.ledger.booking(&booking_id) {
            let receipt = BookingReceipt {
                booking: existing.clone(),
                replayed: true,
            };
            return Box::pin(async move { Ok(receipt) });
        }
        // The key is checked before any booking rule, as the earlier request stands.
        let key_reused = self
            .ledger
            .booking_by_key(&request.traveler_id, &request.idempotency_key)
            .is_some()
            || self.key_in_flight_elsewhere(
                &request.traveler_id,
                &request.idempotency_key,
                &booking_id,
            );
        if key_reused {
            return Box::pin(async { Err(BookingFailure::KeyReused) });
        }
        let (reply, answer) = oneshot::channel();
        if let Some(Change::Book(pending)) = self.in_flight(&booking_id) {
            pending.replies.push(reply);
        } else {
            let (Some(launch), Some(sale)) = (self.launch.clone(), self.sale_moment()) else {
                return Box::pin(async {
                    Err(BookingFailure::Unavailable("launch not loaded".to_owned()))
                });
            };
            let seats = u32::try_from(request.passengers.len()).unwrap_or(u32::MAX);
            let is_vip = request.is_vip;
            let reserved =
                self.inventory
                    .reserve(sale, &request.traveler_id, &booking_id, seats, is_vip);
            match reserved {
                Err(refusal) => {
                    return Box::pin(async move { Err(BookingFailure::Refused(refusal)) });
                }
                Ok(seat_numbers) => {
                    let document =
                        self.new_document(&launch, request, booking_id, fingerprint, seat_numbers);
                    self.pending.push(Change::Book(PendingBooking {
                        document,
                        replies: vec![reply],
                        attempts: 0,
                        is_vip,
                        key_claimed: false,
                    }));
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
        self.apply_launch(launch);
        self.publish_to_board();
        self.cancel_all_if_aborted(ctx);
        self.retire_if_done(ctx);
    }
}

impl Handler<RecordLaunchChange> for LaunchActor {
    type Result = ResponseFuture<Result<(), String>>;

    fn handle(
        &mut self,
        RecordLaunchChange(launch): RecordLaunchChange,
        ctx: &mut Self::Context,
    ) -> Self::Result {
        let state = LaunchState::of(&launch);
        self.apply_launch(launch);
        self.publish_to_board();
        let recorded = self
            .ledger
            .launch()
            .is_some_and(|known| known.revision >= state.revision);
        if recorded {
            self.cancel_all_if_aborted(ctx);
            self.retire_if_done(ctx);
            return Box::pin(async { Ok(()) });
        }
        let (reply, answer) = oneshot::channel();
        let waiting = self
            .writing
            .iter_mut()
            .chain(self.pending.iter_mut())
            .find_map(|change| match change {
                Change::Launch(pending) if pending.state.revision >= state.revision => {
                    Some(pending)
                }
                _ => None,
            });
        match waiting {
            Some(pending) => pending.replies.push(reply),
            None => self.pending.push(Change::Launch(PendingLaunch {
                state,
                replies: vec![reply],
            })),
        }
        // The change is written first; an abort's cancellations follow in the next entries.
        self.write_pending(ctx);
        self.cancel_all_if_aborted(ctx);
        Box::pin(async move {
            answer
                .await
                .unwrap_or_else(|_| Err("the launch actor stopped".to_owned()))
        })
    }
}

impl Handler<SeatsChangedElsewhere> for LaunchActor {
    type Result = ();

    fn handle(&mut self, _: SeatsChangedElsewhere, ctx: &mut Self::Context) {
        self.catch_up(ctx);
    }
}

impl Handler<InjectPanic> for LaunchActor {
    type Result = ();

    #[allow(clippy::panic)]
    fn handle(&mut self, _: InjectPanic, _: &mut Self::Context) {
        panic!("fault injected into {}", self.name);
    }
}
