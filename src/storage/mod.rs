//! Every query and every message to a server lives here and only here; the ports the actors
//! and the health endpoint use (an outbox, a readiness check) are declared here too, so that
//! storage depends on neither.

pub mod amqp;
pub mod mongo;
pub mod postgres;
pub mod smtp;

use crate::storage::amqp::EventEnvelope;

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

/// A store a role depends on, asked whether it answers (the readiness probe).
#[async_trait::async_trait]
pub trait ReadinessCheck: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    async fn check(&self) -> Result<(), String>;
}
