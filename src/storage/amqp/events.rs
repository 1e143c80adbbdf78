//! Integration events between roles: past-tense names with a version, an id for idempotent
//! consumers, the time, and where the change came from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use std::any::type_name;

pub const USER_REGISTERED: &str = "user.registered.v1";
pub const LAUNCH_SCHEDULED: &str = "launch.scheduled.v1";
/// A launch's details or status changed on the admin side (for instance, it was aborted).
pub const LAUNCH_CHANGED: &str = "launch.changed.v1";
pub const BOOKING_CONFIRMED: &str = "booking.confirmed.v1";
pub const BOOKING_CANCELLED: &str = "booking.cancelled.v1";
/// A launch with this active booking changed status or date (all but an abort, which cancels the
/// booking and is told by `booking.cancelled.v1`): its traveller is told.
pub const BOOKING_LAUNCH_CHANGED: &str = "booking.launch_changed.v1";
/// A launch was scheduled: the VIP travellers get an early notice with its link.
pub const LAUNCH_VIP_NOTICE: &str = "launch.vip_notice.v1";
/// Seats of a launch changed on one customer-API process; the others refresh their copy.
pub const LAUNCH_SEATS_CHANGED: &str = "launch.seats_changed.v1";
pub const LOGS_RECORDED: &str = "logs.recorded.v1";
pub const SYNC_JOB_PROGRESSED: &str = "sync_job.progressed.v1";
/// A session was revoked (logout, a reused refresh token, a disabled account): every process of
/// every role refuses its access tokens from then on.
pub const SESSION_REVOKED: &str = "session.revoked.v1";

/// Who consumes integration events: a durable queue shared by the processes of one role (each
/// event reaches one of them), or a private queue that every process declares for itself (a
/// broadcast: each event reaches all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumer {
    /// The customer DB's copy of launches and travellers.
    CustomerSync,
    /// The operations DB's copy of users and bookings, and the invoices of closed launches.
    AdminSync,
    /// Log entries of every role, into the system DB.
    SystemAuditLog,
    /// Sync jobs: every change that must reach another store, and its progress.
    SystemSyncJobs,
    /// Emails.
    SystemMailer,
    /// Every customer-API process's board and launch actors.
    LaunchBroadcast,
    /// Every process's list of revoked sessions.
    SessionBroadcast,
}

impl Consumer {
    /// The consumers with a durable queue, the ones a namespace's deletion removes.
    pub const DURABLE: [Consumer; 5] = [
        Consumer::CustomerSync,
        Consumer::AdminSync,
        Consumer::SystemAuditLog,
        Consumer::SystemSyncJobs,
        Consumer::SystemMailer,
    ];

    /// The durable queue's name within the namespace; `None` for a broadcast's private queue.
    pub fn queue_name(self) -> Option<&'static str> {
        match self {
            Consumer::CustomerSync => Some("customer.sync"),
            Consumer::AdminSync => Some("admin.sync"),
            Consumer::SystemAuditLog => Some("system.audit-log"),
            Consumer::SystemSyncJobs => Some("system.sync-jobs"),
            Consumer::SystemMailer => Some("system.mailer"),
            Consumer::LaunchBroadcast | Consumer::SessionBroadcast => None,
        }
    }

    /// The store this consumer writes, as sync jobs name it; `None` for consumers whose events
    /// are not sync jobs (emails, logs, broadcasts to memory).
    pub fn sync_target(self) -> Option<&'static str> {
        match self {
            Consumer::CustomerSync => Some("customer_db"),
            Consumer::AdminSync => Some("operations_db"),
            _ => None,
        }
    }

    /// The event types bound to this consumer's queue, read from the registry.
    pub fn bindings(self) -> Vec<&'static str> {
        EVENTS
            .iter()
            .filter(|spec| spec.consumers.contains(&self))
            .map(|spec| spec.name)
            .collect()
    }
}

/// One integration event: its routing key (`<name>.v<version>`), version, the type its `data`
/// decodes to, and who consumes it.
pub struct EventSpec {
    pub name: &'static str,
    pub version: u32,
    pub payload: fn() -> &'static str,
    pub consumers: &'static [Consumer],
}

const fn event(
    name: &'static str,
    version: u32,
    payload: fn() -> &'static str,
    consumers: &'static [Consumer],
) -> EventSpec {
    EventSpec {
        name,
        version,
        payload,
        consumers,
    }
}

/// Every integration event, the one list the queues' bindings and the sync jobs are read from.
pub static EVENTS: &[EventSpec] = &[
    event(
        USER_REGISTERED,
        1,
        type_name::<UserRegistered>,
        &[
            Consumer::AdminSync,
            Consumer::CustomerSync,
            Consumer::SystemSyncJobs,
            Consumer::SystemMailer,
        ],
    ),
    event(
        LAUNCH_SCHEDULED,
        1,
        type_name::<LaunchSnapshot>,
        &[
            Consumer::CustomerSync,
            Consumer::LaunchBroadcast,
            Consumer::SystemSyncJobs,
        ],
    ),
    event(
        LAUNCH_CHANGED,
        1,
        type_name::<LaunchSnapshot>,
        &[
            Consumer::AdminSync,
            Consumer::CustomerSync,
            Consumer::LaunchBroadcast,
            Consumer::SystemSyncJobs,
            Consumer::SystemMailer,
        ],
    ),
    event(
        BOOKING_CONFIRMED,
        1,
        type_name::<BookingConfirmed>,
        &[
            Consumer::AdminSync,
            Consumer::SystemSyncJobs,
            Consumer::SystemMailer,
        ],
    ),
    event(
        BOOKING_CANCELLED,
        1,
        type_name::<BookingCancelled>,
        &[
            Consumer::AdminSync,
            Consumer::SystemSyncJobs,
            Consumer::SystemMailer,
        ],
    ),
    event(
        BOOKING_LAUNCH_CHANGED,
        1,
        type_name::<BookingLaunchChanged>,
        &[Consumer::SystemMailer],
    ),
    event(
        LAUNCH_VIP_NOTICE,
        1,
        type_name::<LaunchVipNotice>,
        &[Consumer::SystemMailer],
    ),
    event(
        LAUNCH_SEATS_CHANGED,
        1,
        type_name::<LaunchSeatsChanged>,
        &[Consumer::LaunchBroadcast],
    ),
    event(
        LOGS_RECORDED,
        1,
        type_name::<LogsRecorded>,
        &[Consumer::SystemAuditLog],
    ),
    event(
        SYNC_JOB_PROGRESSED,
        1,
        type_name::<SyncJobProgressed>,
        &[Consumer::SystemSyncJobs],
    ),
    event(
        SESSION_REVOKED,
        1,
        type_name::<SessionRevoked>,
        &[Consumer::SessionBroadcast],
    ),
];

/// The registry's entry for an event type.
pub fn spec(event_type: &str) -> Option<&'static EventSpec> {
    EVENTS.iter().find(|spec| spec.name == event_type)
}

/// The stores an event must reach, from the registry: each store-writing consumer bound to it.
pub fn sync_targets(event_type: &str) -> Vec<&'static str> {
    spec(event_type)
        .map(|spec| {
            spec.consumers
                .iter()
                .filter_map(|consumer| consumer.sync_target())
                .collect()
        })
        .unwrap_or_default()
}

/// Who caused a change: the service, the user (if any) and what they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub service: String,
    pub user_id: Option<String>,
    pub action: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventEnvelope {
    pub event_id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub origin: Origin,
    pub request_id: Option<String>,
    pub data: serde_json::Value,
}

impl EventEnvelope {
    pub fn new(
        event_type: &str,
        origin: Origin,
        request_id: Option<String>,
        data: serde_json::Value,
    ) -> Self {
        Self {
            event_id: Uuid::now_v7(),
            event_type: event_type.to_owned(),
            occurred_at: Utc::now(),
            origin,
            request_id,
            data,
        }
    }

    /// The event an outbox marker stands for: same id and time on every relay attempt, so
    /// consumers recognise a republished event.
    pub fn from_outbox(
        event_type: &str,
        origin: Origin,
        request_id: Option<String>,
        data: serde_json::Value,
        event_id: &str,
        occurred_at: DateTime<Utc>,
    ) -> Self {
        let mut envelope = Self::new(event_type, origin, request_id, data);
        if let Ok(event_id) = Uuid::parse_str(event_id) {
            envelope.event_id = event_id;
        }
        envelope.occurred_at = occurred_at;
        envelope
    }

    pub fn data_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.data.clone())
    }
}

/// `user.registered.v1`: basic data copied to the operations DB and, for travellers, the customer DB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRegistered {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub role: crate::domain::user::UserRole,
}

/// `launch.scheduled.v1` (and later lifecycle changes): the launch as the customer side shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchSnapshot {
    pub launch_id: String,
    pub agency_id: String,
    pub agency_name: String,
    pub agency_email: String,
    pub rocket_name: String,
    pub mission_name: String,
    pub spaceport: String,
    pub destination: crate::domain::launch::Reach,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub minimum_passengers: u32,
    pub capacity: u32,
    pub status: crate::domain::launch::LaunchStatus,
    pub slug: String,
    /// Why the launch got its current status (an abort's reason), when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// 0 when scheduled, one more with each status change: a snapshot older than the one a read
    /// model holds is not applied.
    #[serde(default)]
    pub revision: u32,
    /// Every status change so far, oldest first (the customer side shows it with the bookings).
    #[serde(default)]
    pub status_history: Vec<crate::domain::launch::StatusChange>,
}

/// `booking.confirmed.v1`: a booking as the traveller made it, for the operations DB and emails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingConfirmed {
    pub booking_id: String,
    pub launch_id: String,
    pub launch_slug: String,
    pub mission_name: String,
    pub launch_at: DateTime<Utc>,
    pub agency_id: String,
    pub agency_name: String,
    pub agency_email: String,
    pub traveler_id: String,
    pub traveler_name: String,
    pub traveler_email: String,
    pub seats: u32,
    pub seat_numbers: Vec<u32>,
    pub price_per_seat_cents: i64,
    pub total_cents: i64,
    pub passengers: Vec<crate::domain::booking::Passenger>,
    pub created_at: DateTime<Utc>,
}

/// `booking.cancelled.v1`: the whole booking (so a consumer that missed the confirmation can
/// still record it) and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingCancelled {
    #[serde(flatten)]
    pub booking: BookingConfirmed,
    #[serde(flatten)]
    pub cancellation: crate::domain::booking::Cancellation,
}

/// `booking.launch_changed.v1`: the booking, the change its launch went through, and the
/// launch's date now (the new one after a delay).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingLaunchChanged {
    pub booking: BookingConfirmed,
    pub change: crate::domain::launch::StatusChange,
    pub launch_at: DateTime<Utc>,
}

/// Someone an email goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub user_id: String,
    pub name: String,
    pub email: String,
}

/// `launch.vip_notice.v1`: the launch and exactly the VIP travellers to tell of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchVipNotice {
    pub launch: LaunchSnapshot,
    pub recipients: Vec<Recipient>,
}

/// `launch.seats_changed.v1`: broadcast to every customer-API process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchSeatsChanged {
    pub launch_id: String,
    pub publisher: String,
}

/// `session.revoked.v1`: broadcast to every process, each on a private queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRevoked {
    pub session_id: String,
    pub user_id: String,
    /// Until when the session's access tokens could still be accepted: how long to remember it.
    pub expires_at: DateTime<Utc>,
}

/// `logs.recorded.v1`: the audit/system log entries one role shipped together, for the system
/// DB. Entry `i` is stored as `<event id>:<i>`, so a redelivery stores nothing twice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogsRecorded {
    pub entries: Vec<LogRecorded>,
}

/// One audit/system log entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LogRecorded {
    pub time: DateTime<Utc>,
    pub level: LogLevel,
    pub service: String,
    pub event: String,
    pub user_id: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub request_id: Option<String>,
    pub message: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Info,
    Warning,
    Error,
}

/// `sync_job.progressed.v1`: a consumer reports applying (or failing to apply) a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncJobProgressed {
    pub source_event_id: Uuid,
    pub source_event_type: String,
    pub target: String,
    pub status: SyncJobStatus,
    pub attempts: u32,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncJobStatus {
    Pending,
    Running,
    Completed,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_event_is_named_once_with_its_version() {
        let mut names = HashSet::new();
        for spec in EVENTS {
            assert!(names.insert(spec.name), "{} twice", spec.name);
            assert!(
                spec.name.ends_with(&format!(".v{}", spec.version)),
                "{} is not version {}",
                spec.name,
                spec.version
            );
            assert!(!spec.consumers.is_empty(), "{} has no consumer", spec.name);
            assert!((spec.payload)().contains("events::"));
        }
    }

    #[test]
    fn every_change_that_reaches_a_store_is_a_sync_job() {
        for spec in EVENTS {
            if !sync_targets(spec.name).is_empty() {
                assert!(
                    spec.consumers.contains(&Consumer::SystemSyncJobs),
                    "{} reaches a store but is not recorded as a sync job",
                    spec.name
                );
            }
        }
        assert_eq!(
            sync_targets(LAUNCH_CHANGED),
            vec!["operations_db", "customer_db"]
        );
        assert_eq!(sync_targets(BOOKING_CANCELLED), vec!["operations_db"]);
        assert!(sync_targets(LOGS_RECORDED).is_empty());
    }

    #[test]
    fn queues_are_bound_from_the_registry() {
        assert_eq!(
            Consumer::CustomerSync.bindings(),
            vec![USER_REGISTERED, LAUNCH_SCHEDULED, LAUNCH_CHANGED]
        );
        assert_eq!(
            Consumer::LaunchBroadcast.bindings(),
            vec![LAUNCH_SCHEDULED, LAUNCH_CHANGED, LAUNCH_SEATS_CHANGED]
        );
        for consumer in Consumer::DURABLE {
            assert!(consumer.queue_name().is_some());
        }
    }
}
