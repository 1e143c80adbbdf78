//! Hears seat changes broadcast by other customer-API processes (a private queue per process)
//! and asks the local launch actor to refresh, so every process shows fresh free seats.

use actix::{Actor, ActorContext, ActorFutureExt, AsyncContext, Context, WrapFuture};

use super::directory::LaunchDirectory;
use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::storage::amqp::Bus;
use crate::storage::amqp::events::{LAUNCH_SEATS_CHANGED, LaunchSeatsChanged};

pub const SEAT_LISTENER: &str = "seat-change-listener";

pub struct SeatChangeListener {
    bus: Bus,
    directory: LaunchDirectory,
    registry: ActorRegistry,
    process_id: String,
}

impl SeatChangeListener {
    pub fn new(
        bus: Bus,
        directory: LaunchDirectory,
        registry: ActorRegistry,
        process_id: String,
    ) -> Self {
        Self {
            bus,
            directory,
            registry,
            process_id,
        }
    }
}

impl Actor for SeatChangeListener {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(SEAT_LISTENER, "sync-supervisor");
        ctx.run_interval(HEARTBEAT_INTERVAL, |listener, _| {
            listener.registry.heartbeat(SEAT_LISTENER)
        });
        let bus = self.bus.clone();
        let directory = self.directory.clone();
        let registry = self.registry.clone();
        let process_id = self.process_id.clone();
        let listen = async move {
            let queue = bus
                .declare_private_queue(&[LAUNCH_SEATS_CHANGED])
                .await
                .map_err(|error| error.to_string())?;
            let mut stream = bus
                .consume(&queue, 64)
                .await
                .map_err(|error| error.to_string())?;
            registry.set_state(SEAT_LISTENER, ActorState::Running);
            while let Some(received) = stream.next().await {
                let change = received
                    .decode()
                    .ok()
                    .and_then(|event| event.data_as::<LaunchSeatsChanged>().ok());
                if let Some(change) = change
                    && change.publisher != process_id
                {
                    directory.seats_changed_elsewhere(&change.launch_id);
                }
                received.ack().await.map_err(|error| error.to_string())?;
            }
            Err::<(), String>("the broker closed the seat-change queue".to_owned())
        };
        ctx.spawn(listen.into_actor(self).map(|result, listener, ctx| {
            if let Err(error) = result {
                tracing::warn!(error = %error, "seat-change listener stopped");
                listener.registry.record_failure(SEAT_LISTENER, &error);
            }
            ctx.stop();
        }));
    }
}
