//! Sync actors: outbox relays publish changes written by this role; consumers apply changes
//! published by other roles, idempotently, and report each one as a sync job.

pub mod consumer;
pub mod outbox_relay;

pub use consumer::{ConsumerShutdown, EventConsumer, EventHandler, HandlerError};
pub use outbox_relay::OutboxRelay;
pub mod admin;
pub mod customer;
pub mod system;
