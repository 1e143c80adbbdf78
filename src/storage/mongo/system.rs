//! The system DB: credentials, sessions, logs, sync jobs and notifications.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use mongodb::{Collection, Database};
use serde::{Deserialize, Serialize};

use crate::domain::user::{AccountStatus, UserRole};
use crate::storage::amqp::events::{
    LogRecorded, SESSION_REVOKED, SessionRevoked, SyncJobStatus, USER_REGISTERED, UserRegistered,
};
use crate::storage::amqp::{EventEnvelope, Origin};
use crate::storage::mongo::{
    create_indexes, insert_each_once, insert_once, mark_published, newest_first, unpublished,
};

pub type StoreError = mongodb::error::Error;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserDocument {
    /// The lower-cased email: a second account with the same email is refused by the store.
    #[serde(rename = "_id")]
    pub email: String,
    pub user_id: String,
    pub name: String,
    pub role: UserRole,
    /// The status it was created with; the store reads any later change from `account_statuses`
    /// over it, so what callers get is the account's status now.
    pub status: AccountStatus,
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

/// One refresh token of a session. A session is one sign-in: each refresh rotates its refresh
/// token (the old one is then spent) and keeps the session id, which its access tokens carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshTokenDocument {
    /// sha256 of the refresh token; the token itself is never stored.
    #[serde(rename = "_id")]
    pub digest: String,
    /// Empty for tokens issued before sessions had ids: those are refused (sign in again).
    #[serde(default)]
    pub session_id: String,
    pub user_id: String,
    pub email: String,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// The mark that a refresh token was exchanged: keyed by its digest, so of two exchanges of the
/// same token only one can write it, and a later one is a reuse.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RotationDocument {
    #[serde(rename = "_id")]
    digest: String,
    session_id: String,
    rotated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    Logout,
    /// A refresh token that had already been exchanged came back: someone else holds a copy.
    RefreshReused,
    AccountDisabled,
}

impl RevocationReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::Logout => "logout",
            RevocationReason::RefreshReused => "refresh_reused",
            RevocationReason::AccountDisabled => "account_disabled",
        }
    }
}

/// A revoked session, kept for good: its refresh tokens stay refused. It is also its own outbox
/// marker for `session.revoked.v1`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RevokedSessionDocument {
    #[serde(rename = "_id")]
    pub session_id: String,
    pub user_id: String,
    pub reason: RevocationReason,
    pub revoked_at: DateTime<Utc>,
    /// Until when its access tokens could still be accepted: how long every role remembers it.
    pub expires_at: DateTime<Utc>,
    pub revoked_by: Option<String>,
    pub request_id: Option<String>,
    pub event_id: String,
    pub outbox_published: bool,
}

impl RevokedSessionDocument {
    pub fn revoked_event(&self) -> EventEnvelope {
        let data = SessionRevoked {
            session_id: self.session_id.clone(),
            user_id: self.user_id.clone(),
            expires_at: self.expires_at,
        };
        let origin = Origin {
            service: "system".to_owned(),
            user_id: Some(
                self.revoked_by
                    .clone()
                    .unwrap_or_else(|| self.user_id.clone()),
            ),
            action: self.reason.as_str().to_owned(),
        };
        EventEnvelope::from_outbox(
            SESSION_REVOKED,
            origin,
            self.request_id.clone(),
            serde_json::to_value(data).unwrap_or_default(),
            &self.event_id,
            self.revoked_at,
        )
    }
}

/// Revoked sessions, read by every role (of any process) when it starts: the one part of the
/// system DB that other roles read, and only this collection.
#[derive(Clone)]
pub struct RevokedSessionsReader {
    revoked: Collection<RevokedSessionDocument>,
}

/// Times are stored as RFC 3339 text, whose fractional digits vary, so text order can be off by
/// under a second: revocations are read from this much before now, and the older ones dropped.
const EXPIRY_READ_MARGIN: chrono::Duration = chrono::Duration::minutes(1);

impl RevokedSessionsReader {
    pub fn new(database: &Database) -> Self {
        Self {
            revoked: database.collection(REVOKED_SESSIONS),
        }
    }

    /// The revocations whose sessions' access tokens may still be accepted at `now`.
    #[tracing::instrument(skip_all)]
    pub async fn in_force(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<RevokedSessionDocument>, StoreError> {
        let from = (now - EXPIRY_READ_MARGIN).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let documents: Vec<RevokedSessionDocument> = self
            .revoked
            .find(doc! {"expires_at": {"$gt": from}})
            .await?
            .try_collect()
            .await?;
        Ok(documents
            .into_iter()
            .filter(|revoked| revoked.expires_at > now)
            .collect())
    }
}

const REVOKED_SESSIONS: &str = "revoked_sessions";

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

/// A notification's attachment as stored: the file's bytes as standard base64 text (a few
/// kilobytes; the same on MongoDB and FerretDB).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotificationAttachment {
    pub filename: String,
    pub content_type: String,
    pub content_base64: String,
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
    /// The plain-text part.
    pub body: String,
    /// The HTML part; none in notifications recorded before emails had one.
    #[serde(default)]
    pub html_body: Option<String>,
    /// A file sent with the email (an invoice's PDF), kept so that a retry sends it too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<NotificationAttachment>,
    pub status: NotificationStatus,
    /// Delivery attempts made so far (the mailer's consumer makes the first, the scheduler's
    /// `notification-retries` job the others).
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When a pending notification whose last attempt failed is due again; none before the
    /// first attempt and once sent or failed.
    #[serde(default, with = "super::sortable_time")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The outcome of one delivery attempt, as stored on the notification.
#[derive(Debug, Clone)]
pub struct DeliveryAttempt {
    pub status: NotificationStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
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

/// The status IT last gave an account, apart from its user document: FerretDB applies an update by
/// writing the whole document back, so a status written into the user document could be undone by
/// the outbox relay marking that document published at the same moment. Only status changes write
/// this document, whole, and the last one wins.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AccountStatusDocument {
    #[serde(rename = "_id")]
    user_id: String,
    status: AccountStatus,
    changed_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct SystemStore {
    users: Collection<UserDocument>,
    statuses: Collection<AccountStatusDocument>,
    sessions: Collection<RefreshTokenDocument>,
    rotations: Collection<RotationDocument>,
    revoked_sessions: Collection<RevokedSessionDocument>,
    logs: Collection<LogDocument>,
    notifications: Collection<NotificationDocument>,
    sync_jobs: Collection<SyncJobDocument>,
}

impl SystemStore {
    pub fn new(database: &Database) -> Self {
        Self {
            users: database.collection("users"),
            statuses: database.collection("account_statuses"),
            // The collection keeps its first name: its documents are sessions' refresh tokens.
            sessions: database.collection("sessions"),
            rotations: database.collection("refresh_rotations"),
            revoked_sessions: database.collection(REVOKED_SESSIONS),
            logs: database.collection("logs"),
            notifications: database.collection("notifications"),
            sync_jobs: database.collection("sync_jobs"),
        }
    }

    pub async fn create_indexes(&self) -> Result<(), StoreError> {
        create_indexes(
            &self.users,
            [
                doc! {"user_id": 1},
                doc! {"outbox_published": 1},
                doc! {"created_at": -1},
            ],
        )
        .await?;
        create_indexes(&self.sessions, [doc! {"user_id": 1}]).await?;
        create_indexes(
            &self.revoked_sessions,
            [doc! {"expires_at": 1}, doc! {"outbox_published": 1}],
        )
        .await?;
        create_indexes(&self.logs, [doc! {"time": -1}]).await?;
        create_indexes(
            &self.notifications,
            [
                doc! {"created_at": -1},
                doc! {"status": 1, "next_attempt_at": 1},
            ],
        )
        .await?;
        create_indexes(&self.sync_jobs, [doc! {"created_at": -1}]).await
    }

    /// Inserts a user; `Ok(false)` when the email is taken.
    #[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
    pub async fn insert_user(&self, user: &UserDocument) -> Result<bool, StoreError> {
        insert_once(&self.users, user).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserDocument>, StoreError> {
        let user = self.users.find_one(doc! {"_id": email}).await?;
        self.with_status_now(user).await
    }

    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn user_by_id(&self, user_id: &str) -> Result<Option<UserDocument>, StoreError> {
        let user = self.users.find_one(doc! {"user_id": user_id}).await?;
        self.with_status_now(user).await
    }

    async fn with_status_now(
        &self,
        user: Option<UserDocument>,
    ) -> Result<Option<UserDocument>, StoreError> {
        let Some(mut user) = user else {
            return Ok(None);
        };
        if let Some(changed) = self.statuses.find_one(doc! {"_id": &user.user_id}).await? {
            user.status = changed.status;
        }
        Ok(Some(user))
    }

    #[tracing::instrument(skip_all)]
    pub async fn unpublished_users(&self, limit: i64) -> Result<Vec<UserDocument>, StoreError> {
        unpublished(&self.users, limit).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn mark_user_published(&self, email: &str) -> Result<(), StoreError> {
        mark_published(&self.users, email).await
    }

    /// Accounts newest first, filtered by exact fields (and any `$or`), at most `limit`, each with
    /// its status now.
    #[tracing::instrument(skip_all)]
    pub async fn users(&self, filter: ListFilter) -> Result<Vec<UserDocument>, StoreError> {
        let mut users =
            newest_first(&self.users, filter.fields, "created_at", filter.limit).await?;
        let ids: Vec<&str> = users.iter().map(|user| user.user_id.as_str()).collect();
        let changed: HashMap<String, AccountStatus> = self
            .statuses
            .find(doc! {"_id": {"$in": ids}})
            .await?
            .map_ok(|changed| (changed.user_id, changed.status))
            .try_collect()
            .await?;
        for user in &mut users {
            if let Some(status) = changed.get(&user.user_id) {
                user.status = *status;
            }
        }
        Ok(users)
    }

    /// Sets an account's status; the account with it, or `None` if there is none.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn set_user_status(
        &self,
        user_id: &str,
        status: AccountStatus,
        now: DateTime<Utc>,
    ) -> Result<Option<UserDocument>, StoreError> {
        let Some(mut user) = self.users.find_one(doc! {"user_id": user_id}).await? else {
            return Ok(None);
        };
        let changed = AccountStatusDocument {
            user_id: user_id.to_owned(),
            status,
            changed_at: now,
        };
        self.statuses
            .replace_one(doc! {"_id": user_id}, &changed)
            .upsert(true)
            .await?;
        user.status = status;
        Ok(Some(user))
    }

    #[tracing::instrument(skip_all)]
    pub async fn insert_refresh_token(
        &self,
        token: &RefreshTokenDocument,
    ) -> Result<(), StoreError> {
        self.sessions.insert_one(token).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    pub async fn refresh_token(
        &self,
        digest: &str,
    ) -> Result<Option<RefreshTokenDocument>, StoreError> {
        self.sessions.find_one(doc! {"_id": digest}).await
    }

    /// Marks a refresh token as exchanged; `Ok(false)` when it already was (a reuse).
    #[tracing::instrument(skip_all)]
    pub async fn mark_rotated(&self, digest: &str, session_id: &str) -> Result<bool, StoreError> {
        let rotation = RotationDocument {
            digest: digest.to_owned(),
            session_id: session_id.to_owned(),
            rotated_at: Utc::now(),
        };
        insert_once(&self.rotations, &rotation).await
    }

    /// Every session the user ever had (a disabled account's are all revoked).
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn session_ids_of(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        let tokens: Vec<RefreshTokenDocument> = self
            .sessions
            .find(doc! {"user_id": user_id})
            .await?
            .try_collect()
            .await?;
        let mut session_ids: Vec<String> = tokens
            .into_iter()
            .map(|token| token.session_id)
            .filter(|session_id| !session_id.is_empty())
            .collect();
        session_ids.sort_unstable();
        session_ids.dedup();
        Ok(session_ids)
    }

    /// Stores revocations; a session already revoked keeps its first revocation.
    #[tracing::instrument(skip_all, fields(sessions = revocations.len()))]
    pub async fn insert_revocations(
        &self,
        revocations: &[RevokedSessionDocument],
    ) -> Result<(), StoreError> {
        insert_each_once(&self.revoked_sessions, revocations).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn is_revoked(&self, session_id: &str) -> Result<bool, StoreError> {
        Ok(self
            .revoked_sessions
            .find_one(doc! {"_id": session_id})
            .await?
            .is_some())
    }

    #[tracing::instrument(skip_all)]
    pub async fn unpublished_revocations(
        &self,
        limit: i64,
    ) -> Result<Vec<RevokedSessionDocument>, StoreError> {
        unpublished(&self.revoked_sessions, limit).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn mark_revocation_published(&self, session_id: &str) -> Result<(), StoreError> {
        mark_published(&self.revoked_sessions, session_id).await
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

    /// Records a notification as pending unless one with its id exists. True when this call
    /// stored it: its `_id` is then the claim on the first delivery attempt, which a redelivered
    /// event does not get again.
    #[tracing::instrument(skip_all, fields(notification_id = %notification.id))]
    pub async fn record_notification(
        &self,
        notification: &NotificationDocument,
    ) -> Result<bool, StoreError> {
        insert_once(&self.notifications, notification).await
    }

    /// Stores the outcome of a delivery attempt. The attempt was claimed before it was made, so
    /// this plain write is the only one for it.
    #[tracing::instrument(skip_all, fields(notification_id, attempts = attempt.attempts))]
    pub async fn record_delivery_attempt(
        &self,
        notification_id: &str,
        attempt: &DeliveryAttempt,
    ) -> Result<(), StoreError> {
        let status = mongodb::bson::to_bson(&attempt.status).unwrap_or_default();
        let next_attempt_at = attempt.next_attempt_at.map(super::sortable_time::text);
        self.notifications
            .update_one(
                doc! {"_id": notification_id},
                doc! {"$set": {
                    "status": status,
                    "attempts": attempt.attempts,
                    "last_error": &attempt.last_error,
                    "next_attempt_at": next_attempt_at,
                    "updated_at": attempt.at.to_rfc3339(),
                }},
            )
            .await?;
        Ok(())
    }

    /// Pending notifications whose next attempt is due at `now`, the longest waiting first.
    #[tracing::instrument(skip_all)]
    pub async fn notifications_due(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<NotificationDocument>, StoreError> {
        let status = mongodb::bson::to_bson(&NotificationStatus::Pending).unwrap_or_default();
        self.notifications
            .find(doc! {
                "status": status,
                "next_attempt_at": {"$lte": super::sortable_time::text(now)},
            })
            .sort(doc! {"next_attempt_at": 1})
            .limit(limit)
            .await?
            .try_collect()
            .await
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
