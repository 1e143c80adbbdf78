//! One actor per queue: takes one event at a time, hands it to its handler, retries a failing
//! one with backoff, then dead-letters it. Handlers must be idempotent (events can arrive twice).

use std::sync::Arc;
use std::time::Duration;

use actix::{Actor, ActorContext, ActorFutureExt, AsyncContext, Context, WrapFuture};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::storage::amqp::events::{SYNC_JOB_PROGRESSED, SyncJobProgressed, SyncJobStatus};
use crate::storage::amqp::{Bus, Consumer, EventEnvelope, Origin};

const MAX_ATTEMPTS: u32 = 5;
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Worth another try (a store was unreachable).
    #[error("{0}")]
    Transient(String),
    /// Will never succeed (malformed data); goes straight to the dead-letter queue.
    #[error("{0}")]
    Permanent(String),
}

/// How a process stops its consumers: they take no new delivery, settle the one in hand (so no
/// store is written after the process says it stopped), and `stop` waits for that.
#[derive(Clone, Default)]
pub struct ConsumerShutdown {
    requested: CancellationToken,
    loops: TaskTracker,
}

impl ConsumerShutdown {
    pub async fn stop(&self, timeout: Duration) {
        self.requested.cancel();
        self.loops.close();
        if tokio::time::timeout(timeout, self.loops.wait())
            .await
            .is_err()
        {
            tracing::warn!("consumers still busy at shutdown; their deliveries will come again");
        }
    }
}

#[async_trait::async_trait]
pub trait EventHandler: Send + Sync + 'static {
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError>;
}

pub struct EventConsumer {
    name: String,
    bus: Bus,
    queue: Consumer,
    handler: Arc<dyn EventHandler>,
    registry: ActorRegistry,
    service: &'static str,
    shutdown: ConsumerShutdown,
}

impl EventConsumer {
    pub fn new(
        name: impl Into<String>,
        bus: Bus,
        queue: Consumer,
        handler: Arc<dyn EventHandler>,
        registry: ActorRegistry,
        service: &'static str,
        shutdown: ConsumerShutdown,
    ) -> Self {
        Self {
            name: name.into(),
            bus,
            queue,
            handler,
            registry,
            service,
            shutdown,
        }
    }
}

async fn report(
    bus: &Bus,
    service: &str,
    event: &EventEnvelope,
    target: &str,
    status: SyncJobStatus,
    attempts: u32,
    error: Option<String>,
) {
    let progress = SyncJobProgressed {
        source_event_id: event.event_id,
        source_event_type: event.event_type.clone(),
        target: target.to_owned(),
        status,
        attempts,
        error,
    };
    let Ok(data) = serde_json::to_value(&progress) else {
        return;
    };
    let origin = Origin {
        service: service.to_owned(),
        user_id: None,
        action: "apply".to_owned(),
    };
    let envelope = EventEnvelope::new(SYNC_JOB_PROGRESSED, origin, event.request_id.clone(), data);
    if let Err(error) = bus.publish(&envelope).await {
        tracing::warn!(error = %error, "could not report sync job progress");
    }
}

/// Handles one event with retries; returns whether it was applied.
async fn process(
    bus: &Bus,
    service: &str,
    handler: &dyn EventHandler,
    target: Option<&'static str>,
    event: &EventEnvelope,
) -> bool {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let outcome = handler.handle(event).await;
        match outcome {
            Ok(()) => {
                if let Some(target) = target {
                    report(
                        bus,
                        service,
                        event,
                        target,
                        SyncJobStatus::Completed,
                        attempts,
                        None,
                    )
                    .await;
                }
                return true;
            }
            Err(error) => {
                let permanent = matches!(error, HandlerError::Permanent(_));
                tracing::warn!(
                    event_type = %event.event_type,
                    event_id = %event.event_id,
                    request_id = event.request_id.as_deref().unwrap_or("none"),
                    attempts,
                    error = %error,
                    "event handling failed"
                );
                if permanent || attempts >= MAX_ATTEMPTS {
                    if let Some(target) = target {
                        report(
                            bus,
                            service,
                            event,
                            target,
                            SyncJobStatus::Failed,
                            attempts,
                            Some(error.to_string()),
                        )
                        .await;
                    }
                    return false;
                }
                if let Some(target) = target {
                    report(
                        bus,
                        service,
                        event,
                        target,
                        SyncJobStatus::Running,
                        attempts,
                        Some(error.to_string()),
                    )
                    .await;
                }
                tokio::time::sleep(FIRST_RETRY_DELAY.saturating_mul(2u32.saturating_pow(attempts)))
                    .await;
            }
        }
    }
}

impl Actor for EventConsumer {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(&self.name, "sync-supervisor");
        ctx.run_interval(HEARTBEAT_INTERVAL, |consumer, _| {
            consumer.registry.heartbeat(&consumer.name)
        });
        let bus = self.bus.clone();
        let queue = self.queue;
        let handler = Arc::clone(&self.handler);
        let registry = self.registry.clone();
        let name = self.name.clone();
        let service = self.service;
        let requested = self.shutdown.requested.clone();
        let consume_loop = async move {
            if requested.is_cancelled() {
                return Ok(());
            }
            let queue_name = bus
                .declare_queue(queue)
                .await
                .map_err(|error| error.to_string())?;
            let mut stream = bus
                .consume(&queue_name, 16)
                .await
                .map_err(|error| error.to_string())?;
            registry.set_state(&name, ActorState::Running);
            loop {
                let next = tokio::select! {
                    biased;
                    () = requested.cancelled() => return Ok(()),
                    next = stream.next() => next,
                };
                let Some(received) = next else { break };
                let event = match received.decode() {
                    Ok(event) => event,
                    Err(error) => {
                        tracing::error!(queue = %queue_name, error = %error, "undecodable message dead-lettered");
                        received
                            .dead_letter()
                            .await
                            .map_err(|error| error.to_string())?;
                        continue;
                    }
                };
                let applied =
                    process(&bus, service, handler.as_ref(), queue.sync_target(), &event).await;
                let settled = if applied {
                    received.ack().await
                } else {
                    received.dead_letter().await
                };
                settled.map_err(|error| error.to_string())?;
            }
            Err::<(), String>("the broker closed the consumer".to_owned())
        };
        let consume_loop = self.shutdown.loops.track_future(consume_loop);
        ctx.spawn(consume_loop.into_actor(self).map(|result, consumer, ctx| {
            match result {
                // Stopped for shutdown: stays stopped rather than being restarted.
                Ok(()) => consumer
                    .registry
                    .set_state(&consumer.name, ActorState::Stopped),
                Err(error) => {
                    tracing::warn!(actor = %consumer.name, error = %error, "consumer stopped");
                    consumer.registry.record_failure(&consumer.name, &error);
                    ctx.stop();
                }
            }
        }));
    }
}
