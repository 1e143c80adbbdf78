//! Publishes what a role wrote to its outbox (in the same write as the change) and marks it
//! sent after the broker confirmed. Polls the outbox, can be nudged right after a write, or can
//! be handed the events a writer just stored, so that a hot writer costs no outbox scan per write
//! (the poll still finds anything a handed event missed, such as after a crash).

use std::sync::Arc;
use std::time::Duration;

use actix::{
    Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, ResponseActFuture, WrapFuture,
};

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::storage::amqp::{Bus, EventEnvelope};

const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);
const BATCH: i64 = 200;

/// A store's outbox: entries not yet published, and the mark that they were.
#[async_trait::async_trait]
pub trait Outbox: Send + Sync + 'static {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>>;
    /// Called once the broker confirmed every one of these events.
    async fn mark_published(&self, events: &[EventEnvelope]) -> anyhow::Result<()>;
    /// Called once the broker confirmed every event handed over (see `Publish`) under these
    /// outbox keys: the writer named its records, so none has to be looked up. Only an outbox
    /// whose writer hands its events over takes this.
    async fn mark_handed(&self, keys: &[String]) -> anyhow::Result<()> {
        anyhow::bail!("this outbox takes no handed events ({} keys)", keys.len())
    }
}

pub struct OutboxRelay {
    name: String,
    outbox: Arc<dyn Outbox>,
    bus: Bus,
    registry: ActorRegistry,
    poll_interval: Duration,
    /// Events handed over by the writer, published without reading the outbox.
    handed: Vec<Publish>,
    running: bool,
    again: bool,
}

/// What one pass of the relay did.
enum Pass {
    /// Read the outbox and published this many entries.
    Scanned(usize),
    /// Published the handed events.
    Handed,
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
            poll_interval: DEFAULT_POLL_INTERVAL,
            handed: Vec::new(),
            running: false,
            again: false,
        }
    }

    /// How often the outbox itself is read; a writer that hands its events over can afford a
    /// slow poll, which is then only the safety net.
    pub fn polling_every(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    fn drain(&mut self, ctx: &mut Context<Self>) {
        if self.running {
            self.again = true;
            return;
        }
        self.running = true;
        let outbox = Arc::clone(&self.outbox);
        let bus = self.bus.clone();
        let handed = std::mem::take(&mut self.handed);
        let work = async move {
            if handed.is_empty() {
                relay_once(outbox.as_ref(), &bus).await.map(Pass::Scanned)
            } else {
                publish_handed(outbox.as_ref(), &bus, handed).await?;
                Ok(Pass::Handed)
            }
        };
        ctx.spawn(work.into_actor(self).map(|outcome, relay, ctx| {
            relay.running = false;
            match outcome {
                Ok(Pass::Scanned(published)) if published as i64 >= BATCH => relay.drain(ctx),
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
    publish_all(outbox, bus, &pending).await?;
    Ok(pending.len())
}

async fn publish_all(
    outbox: &dyn Outbox,
    bus: &Bus,
    events: &[EventEnvelope],
) -> anyhow::Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    if let Err((confirmed, error)) = bus.publish_all(events).await {
        // The confirmed ones are marked; the rest are published again later.
        outbox
            .mark_published(events.get(..confirmed).unwrap_or_default())
            .await?;
        return Err(error.into());
    }
    outbox.mark_published(events).await
}

/// Publishes the handed events in order, then marks the outbox records whose events the broker
/// all confirmed; the rest are published again by the poll.
async fn publish_handed(
    outbox: &dyn Outbox,
    bus: &Bus,
    handed: Vec<Publish>,
) -> anyhow::Result<()> {
    let mut records = Vec::with_capacity(handed.len());
    let mut events = Vec::new();
    for Publish {
        outbox_key,
        events: written,
    } in handed
    {
        events.extend(written);
        records.push((outbox_key, events.len()));
    }
    let (confirmed, failure) = match bus.publish_all(&events).await {
        Ok(()) => (events.len(), None),
        Err((confirmed, error)) => (confirmed, Some(error)),
    };
    let done: Vec<String> = records
        .into_iter()
        .filter(|(_, end)| *end <= confirmed)
        .map(|(key, _)| key)
        .collect();
    if !done.is_empty() {
        outbox.mark_handed(&done).await?;
    }
    failure.map_or(Ok(()), |error| Err(error.into()))
}

impl Actor for OutboxRelay {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(&self.name, "sync-supervisor");
        self.registry.set_state(&self.name, ActorState::Running);
        ctx.run_interval(HEARTBEAT_INTERVAL, |relay, _| {
            relay.registry.heartbeat(&relay.name)
        });
        ctx.run_interval(self.poll_interval, |relay, ctx| relay.drain(ctx));
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

/// Events the writer just stored, with the key of the outbox record that stands for them all:
/// publish these now. If this message is lost, the poll publishes them later.
#[derive(Message)]
#[rtype(result = "()")]
pub struct Publish {
    pub outbox_key: String,
    pub events: Vec<EventEnvelope>,
}

impl Handler<Publish> for OutboxRelay {
    type Result = ();

    fn handle(&mut self, publish: Publish, ctx: &mut Self::Context) {
        self.handed.push(publish);
        self.drain(ctx);
    }
}

/// Publishes everything pending before shutdown.
#[derive(Message)]
#[rtype(result = "anyhow::Result<usize>")]
pub struct Flush;

impl Handler<Flush> for OutboxRelay {
    type Result = ResponseActFuture<Self, anyhow::Result<usize>>;

    /// The events handed over and not yet published go first: the outbox poll leaves young
    /// entries to their writer.
    fn handle(&mut self, _: Flush, _: &mut Self::Context) -> Self::Result {
        let outbox = Arc::clone(&self.outbox);
        let bus = self.bus.clone();
        let handed = std::mem::take(&mut self.handed);
        let handed_events: usize = handed.iter().map(|publish| publish.events.len()).sum();
        Box::pin(
            async move {
                if !handed.is_empty() {
                    publish_handed(outbox.as_ref(), &bus, handed).await?;
                }
                Ok(handed_events + relay_once(outbox.as_ref(), &bus).await?)
            }
            .into_actor(self),
        )
    }
}
