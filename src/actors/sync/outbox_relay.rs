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
use crate::storage::Outbox;
use crate::storage::amqp::{Bus, EventEnvelope};

const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Handed records confirmed by the broker are marked at most this often, in one write: a hot
/// writer's store then takes one mark per interval instead of one per publish, and a crash in
/// between only publishes those events again.
const MARK_INTERVAL: Duration = Duration::from_millis(250);
const BATCH: i64 = 200;

pub struct OutboxRelay {
    name: String,
    outbox: Arc<dyn Outbox>,
    bus: Bus,
    registry: ActorRegistry,
    poll_interval: Duration,
    /// Events handed over by the writer, published without reading the outbox.
    handed: Vec<Publish>,
    /// Keys of handed records the broker confirmed, not yet marked; a mark is due.
    confirmed: Vec<String>,
    mark_due: bool,
    running: bool,
    again: bool,
}

/// What one pass of the relay did.
enum Pass {
    /// Read the outbox and published this many entries.
    Scanned(usize),
    /// Published the handed events: the broker confirmed all the events of these records, and
    /// the rest failed with this error, if any.
    Handed {
        confirmed: Vec<String>,
        failure: Option<anyhow::Error>,
    },
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
            confirmed: Vec::new(),
            mark_due: false,
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
                let (confirmed, failure) = publish_handed(&bus, handed).await;
                Ok(Pass::Handed { confirmed, failure })
            }
        };
        ctx.spawn(work.into_actor(self).map(|outcome, relay, ctx| {
            relay.running = false;
            match outcome {
                Ok(Pass::Scanned(published)) if published as i64 >= BATCH => relay.drain(ctx),
                Ok(Pass::Handed { confirmed, failure }) => {
                    relay.mark_later(confirmed, ctx);
                    if let Some(error) = failure {
                        relay.failed(&error);
                    }
                }
                Ok(Pass::Scanned(_)) => {}
                Err(error) => relay.failed(&error),
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

/// Publishes the handed events in order and returns the keys of the records whose events the
/// broker all confirmed, and why the rest were not (the poll publishes them again).
async fn publish_handed(bus: &Bus, handed: Vec<Publish>) -> (Vec<String>, Option<anyhow::Error>) {
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
        Err((confirmed, error)) => (confirmed, Some(error.into())),
    };
    let done = records
        .into_iter()
        .filter(|(_, end)| *end <= confirmed)
        .map(|(key, _)| key)
        .collect();
    (done, failure)
}

impl OutboxRelay {
    fn failed(&self, error: &anyhow::Error) {
        tracing::warn!(actor = %self.name, error = %error, "outbox relay failed; will retry");
        self.registry.record_error(&self.name, &error.to_string());
    }

    fn mark_later(&mut self, confirmed: Vec<String>, ctx: &mut Context<Self>) {
        self.confirmed.extend(confirmed);
        if self.mark_due || self.confirmed.is_empty() {
            return;
        }
        self.mark_due = true;
        ctx.run_later(MARK_INTERVAL, |relay, ctx| {
            relay.mark_due = false;
            let keys = std::mem::take(&mut relay.confirmed);
            let outbox = Arc::clone(&relay.outbox);
            ctx.spawn(
                async move { outbox.mark_handed(&keys).await }
                    .into_actor(relay)
                    .map(|marked, relay, _| {
                        if let Err(error) = marked {
                            // The records stay; the poll publishes their events again.
                            tracing::warn!(actor = %relay.name, error = %error, "could not mark handed records");
                        }
                    }),
            );
        });
    }
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
        let mut confirmed = std::mem::take(&mut self.confirmed);
        Box::pin(
            async move {
                let (done, failure) = publish_handed(&bus, handed).await;
                confirmed.extend(done);
                if !confirmed.is_empty() {
                    outbox.mark_handed(&confirmed).await?;
                }
                if let Some(error) = failure {
                    return Err(error);
                }
                Ok(handed_events + relay_once(outbox.as_ref(), &bus).await?)
            }
            .into_actor(self),
        )
    }
}
