//! Every role records what happened (for audit and for IT) through its audit-log actor, which
//! ships entries to the system API over the broker. The system API writes them to the system DB.

use std::collections::VecDeque;
use std::time::Duration;

use actix::{
    Actor, ActorFutureExt, Addr, AsyncContext, Context, Handler, Message, ResponseActFuture,
    WrapFuture,
};
use chrono::Utc;

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::actors::supervisor::AddressSlot;
use crate::storage::amqp::events::{LOGS_RECORDED, LogLevel, LogRecorded, LogsRecorded};
use crate::storage::amqp::{Bus, EventEnvelope, Origin};

const FLUSH_INTERVAL: Duration = Duration::from_millis(200);
/// Entries shipped in one broker message at most: a busy role sends one message per flush,
/// not one per entry.
const ENTRIES_PER_MESSAGE: usize = 500;
/// Beyond this many unsent entries (the broker is down) the oldest are dropped, with a warning
/// on stdout, so memory stays bounded.
const MAX_BUFFERED: usize = 10_000;

#[derive(Message)]
#[rtype(result = "()")]
struct Record(LogRecorded);

/// The handle handlers and actors log through; cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    service: &'static str,
    slot: Option<AddressSlot<AuditLogActor>>,
}

/// What a log entry is about.
#[derive(Default)]
pub struct Subject<'a> {
    pub user_id: Option<&'a str>,
    pub entity_type: Option<&'a str>,
    pub entity_id: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

impl AuditLog {
    pub fn new(service: &'static str, slot: AddressSlot<AuditLogActor>) -> Self {
        Self {
            service,
            slot: Some(slot),
        }
    }

    /// Records nothing (stdout only); for tools such as the seed command.
    pub fn stdout_only(service: &'static str) -> Self {
        Self {
            service,
            slot: None,
        }
    }

    pub fn record(
        &self,
        level: LogLevel,
        event: &str,
        subject: Subject<'_>,
        message: impl Into<String>,
        data: serde_json::Value,
    ) {
        let message = message.into();
        match level {
            LogLevel::Error => tracing::error!(
                service = self.service,
                event,
                entity_id = subject.entity_id,
                "{message}"
            ),
            LogLevel::Warning => tracing::warn!(
                service = self.service,
                event,
                entity_id = subject.entity_id,
                "{message}"
            ),
            LogLevel::Info => tracing::info!(
                service = self.service,
                event,
                entity_id = subject.entity_id,
                "{message}"
            ),
        }
        let entry = LogRecorded {
            time: Utc::now(),
            level,
            service: self.service.to_owned(),
            event: event.to_owned(),
            user_id: subject.user_id.map(str::to_owned),
            entity_type: subject.entity_type.map(str::to_owned),
            entity_id: subject.entity_id.map(str::to_owned),
            request_id: subject.request_id.map(str::to_owned),
            message,
            data,
        };
        if let Some(address) = self.address() {
            // Logging never blocks a caller; the actor bounds its own buffer.
            address.do_send(Record(entry));
        }
    }

    pub fn info(
        &self,
        event: &str,
        subject: Subject<'_>,
        message: impl Into<String>,
        data: serde_json::Value,
    ) {
        self.record(LogLevel::Info, event, subject, message, data);
    }

    pub fn warning(
        &self,
        event: &str,
        subject: Subject<'_>,
        message: impl Into<String>,
        data: serde_json::Value,
    ) {
        self.record(LogLevel::Warning, event, subject, message, data);
    }

    pub fn error(
        &self,
        event: &str,
        subject: Subject<'_>,
        message: impl Into<String>,
        data: serde_json::Value,
    ) {
        self.record(LogLevel::Error, event, subject, message, data);
    }

    pub fn address(&self) -> Option<Addr<AuditLogActor>> {
        self.slot.as_ref().and_then(AddressSlot::get)
    }
}

pub struct AuditLogActor {
    name: String,
    service: &'static str,
    bus: Bus,
    registry: ActorRegistry,
    buffer: VecDeque<LogRecorded>,
    sending: bool,
}

impl AuditLogActor {
    pub fn new(service: &'static str, bus: Bus, registry: ActorRegistry) -> Self {
        Self {
            name: format!("{service}-audit-log"),
            service,
            bus,
            registry,
            buffer: VecDeque::new(),
            sending: false,
        }
    }

    fn send_buffered(&mut self, ctx: &mut Context<Self>) {
        if self.sending || self.buffer.is_empty() {
            return;
        }
        self.sending = true;
        let batch: Vec<LogRecorded> = self.buffer.drain(..).collect();
        let bus = self.bus.clone();
        let service = self.service;
        let work = async move { publish_entries(&bus, service, batch).await };
        ctx.spawn(work.into_actor(self).map(|unsent, actor, _| {
            actor.sending = false;
            // Put back what the broker did not take, ahead of newer entries.
            for entry in unsent.into_iter().rev() {
                actor.buffer.push_front(entry);
            }
            actor.enforce_bound();
        }));
    }

    fn enforce_bound(&mut self) {
        let excess = self.buffer.len().saturating_sub(MAX_BUFFERED);
        if excess > 0 {
            self.buffer.drain(..excess);
            tracing::warn!(actor = %self.name, dropped = excess, "audit log buffer full; oldest entries dropped");
        }
    }
}

/// Publishes entries in order; returns those the broker did not confirm.
async fn publish_entries(bus: &Bus, service: &str, batch: Vec<LogRecorded>) -> Vec<LogRecorded> {
    let envelopes: Vec<EventEnvelope> = batch
        .chunks(ENTRIES_PER_MESSAGE)
        .map(|entries| {
            let origin = Origin {
                service: service.to_owned(),
                user_id: None,
                action: "log".to_owned(),
            };
            let data = serde_json::to_value(LogsRecorded {
                entries: entries.to_vec(),
            })
            .unwrap_or_default();
            EventEnvelope::new(LOGS_RECORDED, origin, None, data)
        })
        .collect();
    match bus.publish_all(&envelopes).await {
        Ok(()) => Vec::new(),
        Err((confirmed, error)) => {
            tracing::warn!(error = %error, "could not ship log entries; keeping them");
            batch
                .into_iter()
                .skip(confirmed * ENTRIES_PER_MESSAGE)
                .collect()
        }
    }
}

impl Actor for AuditLogActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(&self.name, "audit-supervisor");
        self.registry.set_state(&self.name, ActorState::Running);
        ctx.run_interval(HEARTBEAT_INTERVAL, |actor, _| {
            actor.registry.heartbeat(&actor.name)
        });
        ctx.run_interval(FLUSH_INTERVAL, |actor, ctx| actor.send_buffered(ctx));
    }
}

impl Handler<Record> for AuditLogActor {
    type Result = ();

    fn handle(&mut self, Record(entry): Record, _: &mut Self::Context) {
        self.buffer.push_back(entry);
        self.enforce_bound();
    }
}

/// Ships every buffered entry now; sent during an ordered shutdown.
#[derive(Message)]
#[rtype(result = "usize")]
pub struct FlushLogs;

impl Handler<FlushLogs> for AuditLogActor {
    type Result = ResponseActFuture<Self, usize>;

    fn handle(&mut self, _: FlushLogs, _: &mut Self::Context) -> Self::Result {
        let batch: Vec<LogRecorded> = self.buffer.drain(..).collect();
        let count = batch.len();
        let bus = self.bus.clone();
        let service = self.service;
        Box::pin(
            async move { publish_entries(&bus, service, batch).await }
                .into_actor(self)
                .map(move |unsent, actor, _| {
                    let sent = count - unsent.len();
                    actor.buffer.extend(unsent);
                    sent
                }),
        )
    }
}
