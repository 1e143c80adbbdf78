//! Where a launch's actor is found. Each launch has a handle (the current address, replaced on
//! restart, and a count of callers waiting on it, which bounds its mailbox).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use actix::{Actor, Addr, Handler, Message};
use dashmap::DashMap;

use super::actor::LaunchActor;
use super::board::LaunchBoard;
use super::messages::{
    Book, BookingFailure, BookingReceipt, BookingRequest, Cancel, CancelFailure, CancelReceipt,
    CancelRequest, InjectPanic, LaunchChanged, RecordLaunchChange, SeatsChangedElsewhere,
};
use crate::actors::health::ActorRegistry;
use crate::actors::supervisor::{ActorChild, AddChild, AddressSlot, RemoveChild, Supervisor};
use crate::actors::sync::OutboxRelay;
use crate::clock::SharedClock;
use crate::domain::launch::LaunchStatus;
use crate::storage::amqp::Bus;
use crate::storage::mongo::customer::{CustomerStore, LaunchDocument};

/// What every launch actor needs, shared.
#[derive(Clone)]
pub struct LaunchDependencies {
    pub store: CustomerStore,
    pub board: Arc<LaunchBoard>,
    pub registry: ActorRegistry,
    pub bus: Bus,
    /// Identifies this process in seat-change broadcasts, to ignore its own.
    pub process_id: String,
    pub booking_relay: AddressSlot<OutboxRelay>,
    /// What "now" is for every sale.
    pub clock: SharedClock,
}

#[derive(Clone)]
pub struct LaunchHandle {
    slot: AddressSlot<LaunchActor>,
    waiting: Arc<AtomicUsize>,
}

/// Why a launch's actor gave no answer of its own, or the failure it answered with.
#[derive(Debug)]
pub enum DispatchError<F> {
    UnknownLaunch,
    /// The actor's mailbox is full: back-pressure.
    Busy,
    /// The actor is restarting or did not answer in time.
    Unavailable,
    Failed(F),
}

/// Decrements the waiting count however the caller leaves.
struct WaitingGuard(Arc<AtomicUsize>);

impl Drop for WaitingGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// How a launch actor whose launch is final, with nothing left to write, leaves: out of the
/// board and the directory, and no longer supervised (so not restarted).
#[derive(Clone)]
pub struct Retirement {
    handles: Arc<DashMap<String, LaunchHandle>>,
    supervisor: Addr<Supervisor>,
    board: Arc<LaunchBoard>,
}

impl Retirement {
    /// Called by the actor just before it stops.
    pub fn retire(&self, launch_id: &str) {
        self.handles.remove(launch_id);
        self.board.remove(launch_id);
        self.supervisor
            .do_send(RemoveChild(LaunchActor::actor_name(launch_id)));
    }
}

/// A final launch needs an actor only while an abort still has bookings to cancel (its actor
/// retires once they are); a launched or failed one needs none.
fn needs_an_actor(launch: &LaunchDocument) -> bool {
    !launch.status.is_final() || launch.status == LaunchStatus::Aborted
}

#[derive(Clone)]
pub struct LaunchDirectory {
    handles: Arc<DashMap<String, LaunchHandle>>,
    supervisor: Addr<Supervisor>,
    dependencies: LaunchDependencies,
    mailbox_capacity: usize,
    answer_timeout: Duration,
    /// Fault injection: launch broadcasts are ignored, as if this process never received them.
    deaf_to_launch_broadcasts: Arc<AtomicBool>,
}

impl LaunchDirectory {
    pub fn new(
        supervisor: Addr<Supervisor>,
        dependencies: LaunchDependencies,
        mailbox_capacity: usize,
        answer_timeout: Duration,
    ) -> Self {
        Self {
            handles: Arc::new(DashMap::new()),
            supervisor,
            dependencies,
            mailbox_capacity,
            answer_timeout,
            deaf_to_launch_broadcasts: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts the launch's actor if it has none, or tells it the launch changed.
    pub fn ensure(&self, launch: LaunchDocument) {
        if let Some(handle) = self
            .handles
            .get(&launch.id)
            .map(|entry| entry.value().clone())
        {
            if let Some(address) = handle.slot.get() {
                address.do_send(LaunchChanged(launch));
            }
            return;
        }
        let handle = LaunchHandle {
            slot: AddressSlot::default(),
            waiting: Arc::new(AtomicUsize::new(0)),
        };
        let launch_id = launch.id.clone();
        self.handles.insert(launch_id.clone(), handle.clone());
        let dependencies = self.dependencies.clone();
        let capacity = self.mailbox_capacity;
        let slot = handle.slot.clone();
        let retirement = Retirement {
            handles: Arc::clone(&self.handles),
            supervisor: self.supervisor.clone(),
            board: Arc::clone(&self.dependencies.board),
        };
        let child = ActorChild::new(LaunchActor::actor_name(&launch_id), move || {
            let known = Some(launch.clone());
            slot.set(
                LaunchActor::new(
                    launch_id.clone(),
                    dependencies.clone(),
                    capacity,
                    known,
                    retirement.clone(),
                )
                .start(),
            )
        });
        self.supervisor.do_send(AddChild(Box::new(child)));
    }

    /// A launch read from the customer DB (at start, when the broadcast queue reconnects):
    /// its actor starts unless the launch is over and has nothing left to do.
    pub fn ensure_known(&self, launch: LaunchDocument) {
        if needs_an_actor(&launch) || self.knows(&launch.id) {
            self.ensure(launch);
        }
    }

    /// A launch change heard on the broadcast every process receives. A final launch without an
    /// actor here starts none: the process that records the change (the shared sync queue)
    /// does what the change asks.
    pub fn broadcast_heard(&self, launch: LaunchDocument) {
        if self.deaf_to_launch_broadcasts.load(Ordering::Acquire) {
            return;
        }
        if !launch.status.is_final() || self.knows(&launch.id) {
            self.ensure(launch);
        }
    }

    /// Records a launch change in its seat ledger, so that a process that missed the change
    /// loses its ledger position at its next sale, reads the change and refuses.
    pub async fn record(&self, launch: LaunchDocument) -> Result<(), DispatchError<String>> {
        let launch_id = launch.id.clone();
        self.ensure(launch.clone());
        self.wait_for_actor(&launch_id).await;
        self.ask(&launch_id, RecordLaunchChange(launch)).await
    }

    /// A launch's actor is started by its supervisor after `ensure` returns: waits for it at
    /// most the answer timeout (asking then says it is unavailable).
    async fn wait_for_actor(&self, launch_id: &str) {
        let started = tokio::time::Instant::now();
        while self
            .handle(launch_id)
            .and_then(|handle| handle.slot.get())
            .is_none()
            && started.elapsed() < self.answer_timeout
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    fn handle(&self, launch_id: &str) -> Option<LaunchHandle> {
        self.handles
            .get(launch_id)
            .map(|entry| entry.value().clone())
    }

    pub fn knows(&self, launch_id: &str) -> bool {
        self.handles.contains_key(launch_id)
    }

    /// Asks the launch's actor to book, waiting at most the configured time.
    pub async fn book(
        &self,
        launch_id: &str,
        request: BookingRequest,
    ) -> Result<BookingReceipt, DispatchError<BookingFailure>> {
        self.ask(launch_id, Book(request)).await
    }

    /// Asks the launch's actor to cancel one of its bookings.
    pub async fn cancel(
        &self,
        launch_id: &str,
        request: CancelRequest,
    ) -> Result<CancelReceipt, DispatchError<CancelFailure>> {
        self.ask(launch_id, Cancel(request)).await
    }

    /// Sends a question to the launch's actor unless too many callers already wait for it.
    async fn ask<M, T, F>(&self, launch_id: &str, message: M) -> Result<T, DispatchError<F>>
    where
        M: Message<Result = Result<T, F>> + Send + 'static,
        T: Send + 'static,
        F: Send + 'static,
        LaunchActor: Handler<M>,
    {
        let handle = self.handle(launch_id).ok_or(DispatchError::UnknownLaunch)?;
        let waiting_before = handle.waiting.fetch_add(1, Ordering::AcqRel);
        let _guard = WaitingGuard(Arc::clone(&handle.waiting));
        if waiting_before >= self.mailbox_capacity {
            return Err(DispatchError::Busy);
        }
        let address = handle
            .slot
            .get()
            .filter(Addr::connected)
            .ok_or(DispatchError::Unavailable)?;
        match tokio::time::timeout(self.answer_timeout, address.send(message)).await {
            Ok(Ok(outcome)) => outcome.map_err(DispatchError::Failed),
            Ok(Err(_)) | Err(_) => Err(DispatchError::Unavailable),
        }
    }

    pub fn seats_changed_elsewhere(&self, launch_id: &str) {
        if let Some(address) = self.handle(launch_id).and_then(|handle| handle.slot.get()) {
            address.do_send(SeatsChangedElsewhere);
        }
    }

    /// Fault injection: from now on this process misses every launch broadcast.
    pub fn ignore_launch_broadcasts(&self) {
        self.deaf_to_launch_broadcasts
            .store(true, Ordering::Release);
    }

    /// Fault injection used by the supervision tests.
    pub fn inject_panic(&self, launch_id: &str) {
        if let Some(address) = self.handle(launch_id).and_then(|handle| handle.slot.get()) {
            address.do_send(InjectPanic);
        }
    }
}
