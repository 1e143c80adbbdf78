//! The supervision tree: supervisors watch their children (launch actors, sync consumers and
//! outbox relays, the mailer, the audit log, the session-revocation listener) and restart them;
//! heartbeats go to the registry.

pub mod audit_log;
pub mod health;
pub mod launch;
pub mod mailer;
pub mod revocation_listener;
pub mod scheduler;
pub mod supervisor;
pub mod sync;
