//! The system role's side of sync: users and revoked sessions leave through their outbox
//! markers; log entries and sync-job progress from every role arrive and are written to the
//! system DB.

use chrono::Utc;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::domain::user::UserRole;
use crate::storage::Outbox;
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    self, LogsRecorded, SYNC_JOB_PROGRESSED, SessionRevoked, SyncJobProgressed, SyncJobStatus,
    USER_REGISTERED, UserRegistered,
};
use crate::storage::mongo::system::{LogDocument, SyncJobDocument, SystemStore};

fn transient(error: mongodb::error::Error) -> HandlerError {
    HandlerError::Transient(error.to_string())
}

fn malformed(error: serde_json::Error) -> HandlerError {
    HandlerError::Permanent(format!("malformed event data: {error}"))
}

pub struct AuditLogWriter {
    pub store: SystemStore,
}

#[async_trait::async_trait]
impl EventHandler for AuditLogWriter {
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError> {
        let shipped: LogsRecorded = event.data_as().map_err(malformed)?;
        let documents: Vec<LogDocument> = shipped
            .entries
            .into_iter()
            .enumerate()
            .map(|(index, entry)| LogDocument {
                id: format!("{}:{index}", event.event_id),
                entry,
            })
            .collect();
        self.store.insert_logs(&documents).await.map_err(transient)
    }
}

/// The stores a change must reach: the registry's, except that only a traveller's registration
/// reaches the customer DB.
pub fn sync_targets(event: &EventEnvelope) -> Vec<&'static str> {
    let targets = events::sync_targets(&event.event_type);
    let is_traveler = || {
        event
            .data_as::<UserRegistered>()
            .is_ok_and(|user| user.role == UserRole::Traveler)
    };
    if event.event_type == USER_REGISTERED && !is_traveler() {
        return targets
            .into_iter()
            .filter(|target| *target != "customer_db")
            .collect();
    }
    targets
}

pub struct SyncJobRecorder {
    pub store: SystemStore,
}

impl SyncJobRecorder {
    fn new_job(
        event: &EventEnvelope,
        target: &str,
        event_type: &str,
        status: SyncJobStatus,
    ) -> SyncJobDocument {
        let now = Utc::now();
        SyncJobDocument {
            id: format!("{}:{target}", event.event_id),
            event: event_type.to_owned(),
            origin_service: event.origin.service.clone(),
            origin_user_id: event.origin.user_id.clone(),
            action: event.origin.action.clone(),
            target: target.to_owned(),
            status,
            attempts: 0,
            last_error: None,
            data: event.data.clone(),
            created_at: now,
            updated_at: now,
        }
    }

    async fn progress(&self, report: &EventEnvelope) -> Result<(), HandlerError> {
        let progress: SyncJobProgressed = report.data_as().map_err(malformed)?;
        let job_id = format!("{}:{}", progress.source_event_id, progress.target);
        let mut job = match self.store.sync_job(&job_id).await.map_err(transient)? {
            Some(job) => job,
            None => {
                let mut job = Self::new_job(
                    report,
                    &progress.target,
                    &progress.source_event_type,
                    progress.status,
                );
                job.id = job_id;
                job.data = serde_json::Value::Null;
                job
            }
        };
        // A late "running" report never undoes a completion.
        if job.status == SyncJobStatus::Completed && progress.status != SyncJobStatus::Completed {
            return Ok(());
        }
        job.status = progress.status;
        job.attempts = progress.attempts;
        job.last_error = progress.error;
        job.updated_at = Utc::now();
        self.store.replace_sync_job(&job).await.map_err(transient)
    }
}

#[async_trait::async_trait]
impl EventHandler for SyncJobRecorder {
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError> {
        if event.event_type == SYNC_JOB_PROGRESSED {
            return self.progress(event).await;
        }
        for target in sync_targets(event) {
            let job = Self::new_job(event, target, &event.event_type, SyncJobStatus::Pending);
            self.store.record_sync_job(&job).await.map_err(transient)?;
        }
        Ok(())
    }
}

/// Registered users not yet announced to the other roles.
pub struct UserOutbox {
    pub store: SystemStore,
}

#[async_trait::async_trait]
impl Outbox for UserOutbox {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>> {
        Ok(self
            .store
            .unpublished_users(limit)
            .await?
            .iter()
            .map(|user| user.registered_event())
            .collect())
    }

    async fn mark_published(&self, events: &[EventEnvelope]) -> anyhow::Result<()> {
        for event in events {
            let user: UserRegistered = event.data_as()?;
            self.store.mark_user_published(&user.email).await?;
        }
        Ok(())
    }
}

/// Revoked sessions not yet announced to every process.
pub struct RevocationOutbox {
    pub store: SystemStore,
}

#[async_trait::async_trait]
impl Outbox for RevocationOutbox {
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>> {
        Ok(self
            .store
            .unpublished_revocations(limit)
            .await?
            .iter()
            .map(|revoked| revoked.revoked_event())
            .collect())
    }

    async fn mark_published(&self, events: &[EventEnvelope]) -> anyhow::Result<()> {
        for event in events {
            let revoked: SessionRevoked = event.data_as()?;
            self.store
                .mark_revocation_published(&revoked.session_id)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::amqp::Origin;
    use crate::storage::amqp::events::{BOOKING_CANCELLED, LAUNCH_SCHEDULED, LOGS_RECORDED};

    fn event(event_type: &str, data: serde_json::Value) -> EventEnvelope {
        EventEnvelope::new(
            event_type,
            Origin {
                service: "test".into(),
                user_id: None,
                action: "x".into(),
            },
            None,
            data,
        )
    }

    #[test]
    fn travellers_are_synced_to_both_stores_others_to_operations() {
        let traveler =
            serde_json::json!({"user_id": "u", "email": "e@x.io", "name": "n", "role": "traveler"});
        let agency =
            serde_json::json!({"user_id": "u", "email": "e@x.io", "name": "n", "role": "agency"});
        assert_eq!(
            sync_targets(&event(USER_REGISTERED, traveler)),
            vec!["operations_db", "customer_db"]
        );
        assert_eq!(
            sync_targets(&event(USER_REGISTERED, agency)),
            vec!["operations_db"]
        );
        assert_eq!(
            sync_targets(&event(LAUNCH_SCHEDULED, serde_json::Value::Null)),
            vec!["customer_db"]
        );
        assert_eq!(
            sync_targets(&event(BOOKING_CANCELLED, serde_json::Value::Null)),
            vec!["operations_db"]
        );
        assert!(sync_targets(&event(LOGS_RECORDED, serde_json::Value::Null)).is_empty());
    }
}
