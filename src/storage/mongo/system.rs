//! The system DB: credentials, sessions, logs, sync jobs and notifications.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};

use crate::domain::user::UserRole;
use crate::storage::amqp::events::{LogRecorded, SyncJobStatus, USER_REGISTERED, UserRegistered};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::mongo::{create_indexes, insert_each_once, insert_once, newest_first};

pub type StoreError = mongodb::error::Error;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserDocument {
    /// The lower-cased email: a second account with the same email is refused by the store.
    #[serde(rename = "_id")]
    pub email: String,
    pub user_id: String,
    pub name: String,
    pub role: UserRole,
    pub status: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    /// Outbox marker written with the user: `user.registered.v1` not yet published.
    pub event_id: String,
    pub outbox_published: bool,
    pub created_by: Option<String>,
    pub request_id: Option<String>,
}

impl UserDocument {
    pub fn registered_event(&self) -> EventEnvelope {
        let data = UserRegistered {
            user_id: self.user_id.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
        };
        let origin = Origin {
            service: "system".to_owned(),
            user_id: Some(
                self.created_by
                    .clone()
                    .unwrap_or_else(|| self.user_id.clone()),
            ),
            action: "register".to_owned(),
        };
        EventEnvelope::from_outbox(
            USER_REGISTERED,
            origin,
            self.request_id.clone(),
            serde_json::to_value(data).unwrap_or_default(),
            &self.event_id,
            self.created_at,
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionDocument {
    /// sha256 of the refresh token; the token itself is never stored.
    #[serde(rename = "_id")]
    pub digest: String,
    pub user_id: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
    pub created_at: DateTime<Utc>,
}

/// A log entry as stored: the entry itself, keyed by the id of the event that carried it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogDocument {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(flatten)]
    pub entry: LogRecorded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationStatus {
    Pending,
    Sent,
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationDocument {
    /// `<event id>:<recipient email>`: one email per event and recipient, even on redelivery.
    #[serde(rename = "_id")]
    pub id: String,
    pub event: String,
    pub recipient_email: String,
    pub recipient_name: String,
    pub subject: String,
    pub body: String,
    pub status: NotificationStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SyncJobDocument {
    /// `<event id>:<target store>`.
    #[serde(rename = "_id")]
    pub id: String,
    pub event: String,
    pub origin_service: String,
    pub origin_user_id: Option<String>,
    pub action: String,
    pub target: String,
    pub status: SyncJobStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A listing filter: exact field matches, newest first, bounded.
pub struct ListFilter {
    pub fields: Document,
    pub limit: i64,
}

#[derive(Clone)]
pub struct SystemStore {
    users: Collection<UserDocument>,
    sessions: Collection<SessionDocument>,
    logs: Collection<LogDocument>,
    notifications: Collection<NotificationDocument>,
    sync_jobs: Collection<SyncJobDocument>,
}

impl SystemStore {
    pub fn new(database: &Database) -> Self {
        Self {
            users: database.collection("users"),
            sessions: database.collection("sessions"),
            logs: database.collection("logs"),
            notifications: database.collection("notifications"),
            sync_jobs: database.collection("sync_jobs"),
        }
    }

    pub async fn create_indexes(&self) -> Result<(), StoreError> {
        create_indexes(
            &self.users,
            [doc! {"user_id": 1}, doc! {"outbox_published": 1}],
        )
        .await?;
        create_indexes(&self.logs, [doc! {"time": -1}]).await?;
        create_indexes(&self.notifications, [doc! {"created_at": -1}]).await?;
        create_indexes(&self.sync_jobs, [doc! {"created_at": -1}]).await
    }

    /// Inserts a user; `Ok(false)` when the email is taken.
    #[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
    pub async fn insert_user(&self, user: &UserDocument) -> Result<bool, StoreError> {
        insert_once(&self.users, user).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserDocument>, StoreError> {
        self.users.find_one(doc! {"_id": email}).await
    }

    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn user_by_id(&self, user_id: &str) -> Result<Option<UserDocument>, StoreError> {
        self.users.find_one(doc! {"user_id": user_id}).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn unpublished_users(&self, limit: i64) -> Result<Vec<UserDocument>, StoreError> {
        self.users
            .find(doc! {"outbox_published": false})
            .limit(limit)
            .await?
            .try_collect()
            .await
    }

    #[tracing::instrument(skip_all)]
    pub async fn mark_user_published(&self, email: &str) -> Result<(), StoreError> {
        self.users
            .update_one(
                doc! {"_id": email},
                doc! {"$set": {"outbox_published": true}},
            )
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn insert_session(&self, session: &SessionDocument) -> Result<(), StoreError> {
        self.sessions.insert_one(session).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn session(&self, digest: &str) -> Result<Option<SessionDocument>, StoreError> {
        self.sessions.find_one(doc! {"_id": digest}).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn revoke_session(&self, digest: &str) -> Result<(), StoreError> {
        self.sessions
            .update_one(doc! {"_id": digest}, doc! {"$set": {"revoked": true}})
            .await?;
        Ok(())
    }

    /// Inserts log entries; one already stored (a redelivery) is skipped, not an error.
    #[tracing::instrument(skip_all, fields(entries = entries.len()))]
    pub async fn insert_logs(&self, entries: &[LogDocument]) -> Result<(), StoreError> {
        insert_each_once(&self.logs, entries).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn logs(&self, filter: ListFilter) -> Result<Vec<LogDocument>, StoreError> {
        newest_first(&self.logs, filter.fields, "time", filter.limit).await
    }

    /// Records a notification as pending unless it exists; returns the stored one.
    #[tracing::instrument(skip_all, fields(notification_id = %notification.id))]
    pub async fn record_notification(
        &self,
        notification: &NotificationDocument,
    ) -> Result<NotificationDocument, StoreError> {
        if insert_once(&self.notifications, notification).await? {
            return Ok(notification.clone());
        }
        Ok(self
            .notifications
            .find_one(doc! {"_id": &notification.id})
            .await?
            .unwrap_or_else(|| notification.clone()))
    }

    #[tracing::instrument(skip_all, fields(notification_id))]
    pub async fn update_notification(
        &self,
        notification_id: &str,
        status: NotificationStatus,
        attempts: u32,
        last_error: Option<String>,
    ) -> Result<(), StoreError> {
        let status = mongodb::bson::to_bson(&status).unwrap_or_default();
        self.notifications
            .update_one(
                doc! {"_id": notification_id},
                doc! {"$set": {"status": status, "attempts": attempts, "last_error": last_error, "updated_at": Utc::now().to_rfc3339()}},
            )
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn notifications(
        &self,
        filter: ListFilter,
    ) -> Result<Vec<NotificationDocument>, StoreError> {
        newest_first(
            &self.notifications,
            filter.fields,
            "created_at",
            filter.limit,
        )
        .await
    }

    /// Creates the job as pending if it does not exist yet (a progress report may come first).
    #[tracing::instrument(skip_all, fields(job_id = %job.id))]
    pub async fn record_sync_job(&self, job: &SyncJobDocument) -> Result<(), StoreError> {
        insert_once(&self.sync_jobs, job).await.map(|_| ())
    }

    #[tracing::instrument(skip_all, fields(job_id))]
    pub async fn sync_job(&self, job_id: &str) -> Result<Option<SyncJobDocument>, StoreError> {
        self.sync_jobs.find_one(doc! {"_id": job_id}).await
    }

    #[tracing::instrument(skip_all, fields(job_id = %job.id))]
    pub async fn replace_sync_job(&self, job: &SyncJobDocument) -> Result<(), StoreError> {
        self.sync_jobs
            .replace_one(doc! {"_id": &job.id}, job)
            .upsert(true)
            .await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn sync_jobs(&self, filter: ListFilter) -> Result<Vec<SyncJobDocument>, StoreError> {
        newest_first(&self.sync_jobs, filter.fields, "created_at", filter.limit).await
    }
}
