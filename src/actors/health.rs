//! Heartbeats of every actor, kept outside the actors so that health never waits on a stuck
//! mailbox: actors write here, the health endpoint reads.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use dashmap::DashMap;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorState {
    /// Started, still loading its state; takes no messages yet.
    Starting,
    Running,
    /// Its address closed (it stopped or panicked); the supervisor will start it again.
    Restarting,
    Stopped,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActorRecord {
    pub name: String,
    pub supervisor: String,
    pub state: ActorState,
    pub last_heartbeat: DateTime<Utc>,
    pub restarts: u32,
    pub panics: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// Shared by a process's actors and its health endpoints.
#[derive(Clone, Default)]
pub struct ActorRegistry {
    records: Arc<DashMap<String, ActorRecord>>,
}

/// An actor is unhealthy when it has not beaten for this long.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(1);
pub const HEARTBEAT_STALE_AFTER: Duration = Duration::from_secs(10);

impl ActorRegistry {
    pub fn register(&self, name: &str, supervisor: &str) {
        self.records
            .entry(name.to_owned())
            .and_modify(|record| {
                record.state = ActorState::Starting;
                record.last_heartbeat = Utc::now();
            })
            .or_insert_with(|| ActorRecord {
                name: name.to_owned(),
                supervisor: supervisor.to_owned(),
                state: ActorState::Starting,
                last_heartbeat: Utc::now(),
                restarts: 0,
                panics: 0,
                last_error: None,
            });
    }

    pub fn set_state(&self, name: &str, state: ActorState) {
        if let Some(mut record) = self.records.get_mut(name) {
            record.state = state;
            record.last_heartbeat = Utc::now();
        }
    }

    pub fn state_of(&self, name: &str) -> Option<ActorState> {
        self.records.get(name).map(|record| record.state)
    }

    pub fn heartbeat(&self, name: &str) {
        if let Some(mut record) = self.records.get_mut(name) {
            record.last_heartbeat = Utc::now();
        }
    }

    pub fn record_error(&self, name: &str, error: &str) {
        if let Some(mut record) = self.records.get_mut(name) {
            record.last_error = Some(error.to_owned());
        }
    }

    /// The actor ends itself because of this error (a lost broker, a write of unknown outcome);
    /// its supervisor restarts it, and the restart is not counted as a panic.
    pub fn record_failure(&self, name: &str, error: &str) {
        if let Some(mut record) = self.records.get_mut(name) {
            record.last_error = Some(error.to_owned());
            record.state = ActorState::Stopped;
        }
    }

    /// Called by a supervisor that found a child's address closed. A child that was still
    /// `Running` did not stop on purpose: it panicked.
    pub fn record_restart(&self, name: &str) -> bool {
        let Some(mut record) = self.records.get_mut(name) else {
            return false;
        };
        let panicked = record.state == ActorState::Running || record.state == ActorState::Starting;
        record.restarts += 1;
        if panicked {
            record.panics += 1;
        }
        record.state = ActorState::Restarting;
        panicked
    }

    pub fn remove(&self, name: &str) {
        self.records.remove(name);
    }

    pub fn snapshot(&self) -> Vec<ActorRecord> {
        let mut records: Vec<ActorRecord> = self
            .records
            .iter()
            .map(|entry| entry.value().clone())
            .collect();
        records.sort_by(|left, right| {
            left.supervisor
                .cmp(&right.supervisor)
                .then(left.name.cmp(&right.name))
        });
        records
    }

    /// Ready when every actor runs and has beaten recently.
    pub fn all_running(&self) -> Result<(), String> {
        let stale_before =
            Utc::now() - chrono::Duration::from_std(HEARTBEAT_STALE_AFTER).unwrap_or_default();
        for entry in self.records.iter() {
            let record = entry.value();
            if record.state != ActorState::Running {
                return Err(format!("actor {} is {:?}", record.name, record.state));
            }
            if record.last_heartbeat < stale_before {
                return Err(format!(
                    "actor {} has not beaten since {}",
                    record.name, record.last_heartbeat
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readiness_needs_every_actor_running() {
        let registry = ActorRegistry::default();
        registry.register("mailer", "system-supervisor");
        assert!(registry.all_running().is_err());
        registry.set_state("mailer", ActorState::Running);
        assert!(registry.all_running().is_ok());
        assert!(
            registry.record_restart("mailer"),
            "a running actor whose address closed panicked"
        );
        let record = registry.snapshot().remove(0);
        assert_eq!(
            (record.restarts, record.panics, record.state),
            (1, 1, ActorState::Restarting)
        );
        registry.set_state("mailer", ActorState::Stopped);
        assert!(
            !registry.record_restart("mailer"),
            "a stopped actor did not panic"
        );
        registry.set_state("mailer", ActorState::Running);
        registry.record_failure("mailer", "broker connection lost");
        assert!(
            !registry.record_restart("mailer"),
            "an actor that ended itself after an error did not panic"
        );
        let record = registry.snapshot().remove(0);
        assert_eq!(
            (record.restarts, record.panics, record.last_error.as_deref()),
            (3, 1, Some("broker connection lost"))
        );
    }
}
