//! Publishes what a role wrote to its outbox (in the same write as the change) and marks it
//! sent after the broker confirmed. Polls, and can be nudged right after a write.

use std::sync::Arc;
use std::time::Duration;

use actix::{
    Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, ResponseActFuture, WrapFuture,
};

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::storage::amqp::{Bus, EventEnvelope};

const POLL_INTERVAL: Duration = Duration::from_millis(500);
const BATCH: i64 = 200;

/// A store's outbox: entries not yet published, and the mark that they were.
#[async_trait::async_trait]
pub trait Outbox: Send + Sync + 'static {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>>;
    async fn mark_published(&self, event: &EventEnvelope) -> anyhow::Result<()>;
}

pub struct OutboxRelay {
    name: String,
    outbox: Arc<dyn Outbox>,
    bus: Bus,
    registry: ActorRegistry,
    running: bool,
    again: bool,
}

impl OutboxRelay {
    pub fn new(
        name: impl Into<String>,
        outbox: Arc<dyn Outbox>,
        bus: Bus,
        registry: ActorRegistry,
    ) -> Self {
        Self {
            name: name.into(),
            outbox,
            bus,
            registry,
            running: false,
            again: false,
        }
    }

    fn drain(&mut self, ctx: &mut Context<Self>) {
        if self.running {
            self.again = true;
            return;
        }
        self.running = true;
        let outbox = Arc::clone(&self.outbox);
        let bus = self.bus.clone();
        let work = async move { relay_once(outbox.as_ref(), &bus).await };
        ctx.spawn(work.into_actor(self).map(|outcome, relay, ctx| {
            relay.running = false;
            match outcome {
                Ok(published) if published as i64 >= BATCH => relay.drain(ctx),
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(actor = %relay.name, error = %error, "outbox relay failed; will retry");
                    relay.registry.record_error(&relay.name, &error.to_string());
                }
            }
            if std::mem::take(&mut relay.again) {
                relay.drain(ctx);
            }
        }));
    }
}

async fn relay_once(outbox: &dyn Outbox, bus: &Bus) -> anyhow::Result<usize> {
    let pending = outbox.unpublished(BATCH).await?;
    for event in &pending {
        bus.publish(event).await?;
        outbox.mark_published(event).await?;
    }
    Ok(pending.len())
}

impl Actor for OutboxRelay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(&self.name, "sync-supervisor");
        self.registry.set_state(&self.name, ActorState::Running);
        ctx.run_interval(HEARTBEAT_INTERVAL, |relay, _| {
            relay.registry.heartbeat(&relay.name)
        });
        ctx.run_interval(POLL_INTERVAL, |relay, ctx| relay.drain(ctx));
        self.drain(ctx);
    }
}

/// Something was just written to the outbox: publish now rather than at the next poll.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Nudge;

impl Handler<Nudge> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, _: Nudge, ctx: &mut Self::Context) {
        self.drain(ctx);
    }
}

/// Publishes everything pending before shutdown.
#[derive(Message)]
#[rtype(result = "anyhow::Result<usize>")]
pub struct Flush;

impl Handler<Flush> for OutboxRelay {
    type Result = ResponseActFuture<Self, anyhow::Result<usize>>;

    fn handle(&mut self, _: Flush, _: &mut Self::Context) -> Self::Result {
        let outbox = Arc::clone(&self.outbox);
        let bus = self.bus.clone();
        Box::pin(async move { relay_once(outbox.as_ref(), &bus).await }.into_actor(self))
    }
}
