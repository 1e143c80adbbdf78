//! RabbitMQ: one topic exchange of integration events, durable queues per consumer with a
//! dead-letter queue, publisher confirms. The application declares its own topology at start.

pub mod events;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use futures_util::StreamExt;
use futures_util::future::join_all;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, ExchangeDeclareOptions, ExchangeDeleteOptions, QueueBindOptions,
    QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable, ShortString};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, ExchangeKind};

pub use events::{Consumer, EventEnvelope, Origin};

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("message broker: {0}")]
    Broker(#[from] lapin::Error),
    #[error("message broker refused the message")]
    Nacked,
    #[error("event could not be encoded: {0}")]
    Encoding(#[from] serde_json::Error),
    #[error("the broker connection was closed for shutdown")]
    Closed,
}

/// A live connection and its confirming publish channel.
struct Link {
    connection: Connection,
    publish_channel: Channel,
}

impl Link {
    fn is_connected(&self) -> bool {
        self.connection.status().connected() && self.publish_channel.status().connected()
    }
}

/// The broker as a role's actors share it. A lost connection (a broker restart) is opened again
/// by the next operation that needs it, so the actors' supervisors only have to retry.
#[derive(Clone)]
pub struct Bus {
    url: Arc<str>,
    namespace: String,
    link: Arc<RwLock<Option<Arc<Link>>>>,
    /// One reconnection at a time; the others wait for it.
    reconnecting: Arc<tokio::sync::Mutex<()>>,
    /// Set by `close`: a stopping role must not reconnect (and redeclare its queues).
    closed: Arc<AtomicBool>,
}

impl Bus {
    /// Connects and declares the exchanges; fails if the broker cannot be reached now.
    pub async fn connect(url: &str, namespace: &str) -> Result<Self, BusError> {
        let bus = Self {
            url: Arc::from(url),
            namespace: namespace.to_owned(),
            link: Arc::new(RwLock::new(None)),
            reconnecting: Arc::new(tokio::sync::Mutex::new(())),
            closed: Arc::new(AtomicBool::new(false)),
        };
        bus.link().await?;
        Ok(bus)
    }

    pub fn is_connected(&self) -> bool {
        self.live_link().is_some()
    }

    fn live_link(&self) -> Option<Arc<Link>> {
        let slot = self.link.read().ok()?;
        slot.as_ref().filter(|link| link.is_connected()).cloned()
    }

    /// The live link, connecting (and declaring the exchanges) again if it was lost.
    async fn link(&self) -> Result<Arc<Link>, BusError> {
        if let Some(link) = self.live_link() {
            return Ok(link);
        }
        let _one_at_a_time = self.reconnecting.lock().await;
        if self.closed.load(Ordering::Acquire) {
            return Err(BusError::Closed);
        }
        if let Some(link) = self.live_link() {
            return Ok(link);
        }
        let connection = Connection::connect(&self.url, ConnectionProperties::default()).await?;
        let publish_channel = connection.create_channel().await?;
        publish_channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        self.declare_exchanges(&publish_channel).await?;
        let link = Arc::new(Link {
            connection,
            publish_channel,
        });
        if let Ok(mut slot) = self.link.write() {
            if slot.is_some() {
                tracing::info!("reconnected to the message broker");
            }
            *slot = Some(Arc::clone(&link));
        }
        Ok(link)
    }

    fn events_exchange(&self) -> String {
        format!("{}.events", self.namespace)
    }

    fn dead_letter_exchange(&self) -> String {
        format!("{}.dead-letter", self.namespace)
    }

    pub fn queue_name(&self, queue: &str) -> String {
        format!("{}.{queue}", self.namespace)
    }

    async fn declare_exchanges(&self, publish_channel: &Channel) -> Result<(), BusError> {
        let durable = ExchangeDeclareOptions {
            durable: true,
            ..ExchangeDeclareOptions::default()
        };
        publish_channel
            .exchange_declare(
                self.events_exchange().into(),
                ExchangeKind::Topic,
                durable,
                FieldTable::default(),
            )
            .await?;
        publish_channel
            .exchange_declare(
                self.dead_letter_exchange().into(),
                ExchangeKind::Fanout,
                durable,
                FieldTable::default(),
            )
            .await?;
        let dead_letters = self.queue_name("dead-letter");
        publish_channel
            .queue_declare(
                dead_letters.clone().into(),
                QueueDeclareOptions::durable(),
                FieldTable::default(),
            )
            .await?;
        publish_channel
            .queue_bind(
                dead_letters.into(),
                self.dead_letter_exchange().into(),
                "".into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        Ok(())
    }

    /// Publishes durably and waits for the broker's confirm, so the caller may then mark its
    /// outbox entry as sent.
    #[tracing::instrument(skip_all, fields(event_type = %event.event_type, event_id = %event.event_id))]
    pub async fn publish(&self, event: &EventEnvelope) -> Result<(), BusError> {
        self.publish_all(std::slice::from_ref(event))
            .await
            .map_err(|(_, error)| error)
    }

    /// Publishes every event before waiting for any confirm (one round of confirms instead of
    /// one per event). On failure, says how many events, in order, the broker confirmed first.
    #[tracing::instrument(skip_all, fields(events = events.len()))]
    pub async fn publish_all(&self, events: &[EventEnvelope]) -> Result<(), (usize, BusError)> {
        let link = self.link().await.map_err(|error| (0, error))?;
        // lapin takes a publish's delivery tag and queues its frames when the publish is first
        // polled, then waits until its I/O loop has written them. Awaited one by one, every
        // event costs a round trip to that loop and a socket write; polled together, a batch
        // is written at once. `join_all` polls them in order the first time, which keeps the
        // events in order on the channel.
        let sent = join_all(events.iter().map(|event| self.send(&link, event))).await;
        let mut confirms = Vec::with_capacity(sent.len());
        for (position, sent) in sent.into_iter().enumerate() {
            match sent {
                Ok(confirm) => confirms.push(confirm),
                Err(error) => return Err((position, error)),
            }
        }
        for (position, confirm) in confirms.into_iter().enumerate() {
            match confirm.await {
                Ok(confirmation) if confirmation.is_nack() => {
                    return Err((position, BusError::Nacked));
                }
                Ok(_) => {}
                Err(error) => return Err((position, error.into())),
            }
        }
        Ok(())
    }

    async fn send(
        &self,
        link: &Link,
        event: &EventEnvelope,
    ) -> Result<lapin::PublisherConfirm, BusError> {
        let payload = serde_json::to_vec(event)?;
        let properties = BasicProperties::default()
            .with_delivery_mode(2)
            .with_content_type("application/json".into())
            .with_message_id(event.event_id.to_string().into());
        Ok(link
            .publish_channel
            .basic_publish(
                self.events_exchange().into(),
                event.event_type.clone().into(),
                BasicPublishOptions::default(),
                &payload,
                properties,
            )
            .await?)
    }

    /// Declares a consumer's queue (dead-lettering to the DLQ) bound to its event types in the
    /// registry: durable and shared, or private to this process for a broadcast.
    pub async fn declare_queue(&self, consumer: Consumer) -> Result<String, BusError> {
        let Some(queue_name) = consumer.queue_name() else {
            return self.declare_private_queue(&consumer.bindings()).await;
        };
        let name = self.queue_name(queue_name);
        let mut arguments = FieldTable::default();
        arguments.insert(
            ShortString::from("x-dead-letter-exchange"),
            AMQPValue::LongString(self.dead_letter_exchange().into()),
        );
        let link = self.link().await?;
        link.publish_channel
            .queue_declare(
                name.clone().into(),
                QueueDeclareOptions::durable(),
                arguments,
            )
            .await?;
        for binding in consumer.bindings() {
            link.publish_channel
                .queue_bind(
                    name.clone().into(),
                    self.events_exchange().into(),
                    binding.into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(name)
    }

    /// A private, auto-deleted queue for this process only (broadcasts such as seat changes).
    pub async fn declare_private_queue(&self, bindings: &[&str]) -> Result<String, BusError> {
        let options = QueueDeclareOptions {
            exclusive: true,
            auto_delete: true,
            ..QueueDeclareOptions::default()
        };
        let link = self.link().await?;
        let queue = link
            .publish_channel
            .queue_declare("".into(), options, FieldTable::default())
            .await?;
        let name = queue.name().to_string();
        for binding in bindings {
            link.publish_channel
                .queue_bind(
                    name.clone().into(),
                    self.events_exchange().into(),
                    (*binding).into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(name)
    }

    /// Opens a consumer on its own channel with a prefetch window.
    pub async fn consume(&self, queue: &str, prefetch: u16) -> Result<EventStream, BusError> {
        let channel = self.link().await?.connection.create_channel().await?;
        channel
            .basic_qos(prefetch, BasicQosOptions::default())
            .await?;
        let consumer = channel
            .basic_consume(
                queue.into(),
                format!("{}-{}", queue, uuid::Uuid::new_v4().simple()).into(),
                BasicConsumeOptions::default(),
                FieldTable::default(),
            )
            .await?;
        Ok(EventStream {
            _channel: channel,
            consumer,
        })
    }

    /// Deletes the namespace's durable queues (with any messages left in them) and its exchanges:
    /// for namespaces that end, such as a test's, whose queues the broker would otherwise recover
    /// on every start.
    pub async fn delete_namespace(&self) -> Result<(), BusError> {
        let link = self.link().await?;
        let names = Consumer::DURABLE
            .iter()
            .filter_map(|consumer| consumer.queue_name())
            .chain(std::iter::once("dead-letter"));
        for name in names {
            link.publish_channel
                .queue_delete(self.queue_name(name).into(), QueueDeleteOptions::default())
                .await?;
        }
        for exchange in [self.events_exchange(), self.dead_letter_exchange()] {
            link.publish_channel
                .exchange_delete(exchange.into(), ExchangeDeleteOptions::default())
                .await?;
        }
        Ok(())
    }

    /// Fault injection: drops the connection as a network cut would; consumers see their
    /// channel close, and the next use of the bus connects again.
    pub async fn sever(&self) {
        let link = self.link.write().ok().and_then(|mut slot| slot.take());
        if let Some(link) = link
            && let Err(error) = link.connection.close(320, "severed".into()).await
        {
            tracing::warn!(error = %error, "severing the broker connection failed");
        }
    }

    pub async fn close(&self) {
        let _no_reconnection_meanwhile = self.reconnecting.lock().await;
        self.closed.store(true, Ordering::Release);
        let link = self.link.write().ok().and_then(|mut slot| slot.take());
        if let Some(link) = link
            && let Err(error) = link.connection.close(200, "shutting down".into()).await
        {
            tracing::warn!(error = %error, "closing the broker connection failed");
        }
    }
}

pub struct EventStream {
    _channel: Channel,
    consumer: lapin::Consumer,
}

/// One received message; acknowledge it once handled, or reject it to the dead-letter queue.
pub struct ReceivedEvent {
    delivery: lapin::message::Delivery,
}

impl ReceivedEvent {
    pub fn decode(&self) -> Result<EventEnvelope, serde_json::Error> {
        serde_json::from_slice(&self.delivery.data)
    }

    pub fn redelivered(&self) -> bool {
        self.delivery.redelivered
    }

    pub async fn ack(self) -> Result<(), BusError> {
        self.delivery.ack(BasicAckOptions::default()).await?;
        Ok(())
    }

    /// Sends the message to the dead-letter queue (never back to this queue).
    pub async fn dead_letter(self) -> Result<(), BusError> {
        self.delivery
            .nack(BasicNackOptions {
                requeue: false,
                ..BasicNackOptions::default()
            })
            .await?;
        Ok(())
    }

    /// Returns the message to the queue for a later attempt.
    pub async fn requeue(self) -> Result<(), BusError> {
        self.delivery
            .nack(BasicNackOptions {
                requeue: true,
                ..BasicNackOptions::default()
            })
            .await?;
        Ok(())
    }
}

impl EventStream {
    /// The next message, or `None` when the channel closed (the caller's supervisor reconnects).
    pub async fn next(&mut self) -> Option<ReceivedEvent> {
        match self.consumer.next().await? {
            Ok(delivery) => Some(ReceivedEvent { delivery }),
            Err(error) => {
                tracing::warn!(error = %error, "consumer stream failed");
                None
            }
        }
    }
}
