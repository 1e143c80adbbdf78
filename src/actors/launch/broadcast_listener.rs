//! Hears what every customer-API process must know, on a private queue per process: seat changes
//! made by other processes (the local launch actor refreshes its seats) and every launch change
//! (the local board and launch actor take it). `customer.sync` is one shared queue, so each launch
//! event reaches one process there; this queue reaches all of them. Each time it (re)connects it
//! first reads every launch from the customer DB, catching up on what it missed meanwhile.

use actix::{Actor, ActorContext, ActorFutureExt, AsyncContext, Context, WrapFuture};

use super::directory::LaunchDirectory;
use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::storage::amqp::Consumer;
use crate::storage::amqp::events::{
    LAUNCH_CHANGED, LAUNCH_SCHEDULED, LAUNCH_SEATS_CHANGED, LaunchSeatsChanged, LaunchSnapshot,
};
use crate::storage::amqp::{Bus, EventEnvelope};
use crate::storage::mongo::customer::{CustomerStore, LaunchDocument};

pub const BROADCAST_LISTENER: &str = "launch-broadcast-listener";

pub struct BroadcastListener {
    bus: Bus,
    store: CustomerStore,
    directory: LaunchDirectory,
    registry: ActorRegistry,
    process_id: String,
}

impl BroadcastListener {
    pub fn new(
        bus: Bus,
        store: CustomerStore,
        directory: LaunchDirectory,
        registry: ActorRegistry,
        process_id: String,
    ) -> Self {
        Self {
            bus,
            store,
            directory,
            registry,
            process_id,
        }
    }
}

/// What one broadcast asks of this process.
fn hear(event: &EventEnvelope, directory: &LaunchDirectory, process_id: &str) {
    match event.event_type.as_str() {
        LAUNCH_SEATS_CHANGED => {
            if let Ok(change) = event.data_as::<LaunchSeatsChanged>()
                && change.publisher != process_id
            {
                directory.seats_changed_elsewhere(&change.launch_id);
            }
        }
        LAUNCH_SCHEDULED | LAUNCH_CHANGED => {
            if let Ok(snapshot) = event.data_as::<LaunchSnapshot>() {
                directory.broadcast_heard(LaunchDocument::from_snapshot(&snapshot));
            }
        }
        _ => {}
    }
}

impl Actor for BroadcastListener {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry
            .register(BROADCAST_LISTENER, "sync-supervisor");
        ctx.run_interval(HEARTBEAT_INTERVAL, |listener, _| {
            listener.registry.heartbeat(BROADCAST_LISTENER)
        });
        let bus = self.bus.clone();
        let store = self.store.clone();
        let directory = self.directory.clone();
        let registry = self.registry.clone();
        let process_id = self.process_id.clone();
        let listen = async move {
            let queue = bus
                .declare_queue(Consumer::LaunchBroadcast)
                .await
                .map_err(|error| error.to_string())?;
            let mut stream = bus
                .consume(&queue, 64)
                .await
                .map_err(|error| error.to_string())?;
            // Bound before reading, so that no change falls between the read and the queue.
            let launches = store
                .all_launches()
                .await
                .map_err(|error| error.to_string())?;
            for launch in launches {
                directory.ensure(launch);
            }
            registry.set_state(BROADCAST_LISTENER, ActorState::Running);
            while let Some(received) = stream.next().await {
                if let Ok(event) = received.decode() {
                    hear(&event, &directory, &process_id);
                }
                received.ack().await.map_err(|error| error.to_string())?;
            }
            Err::<(), String>("the broker closed the launch broadcast queue".to_owned())
        };
        ctx.spawn(listen.into_actor(self).map(|result, listener, ctx| {
            if let Err(error) = result {
                tracing::warn!(error = %error, "launch broadcast listener stopped");
                listener.registry.record_failure(BROADCAST_LISTENER, &error);
            }
            ctx.stop();
        }));
    }
}
