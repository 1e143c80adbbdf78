//! Launches, their status history and the event announcing them, written together.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::launch::{LaunchStatus, StatusChange};
use crate::storage::amqp::EventEnvelope;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LaunchRow {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub rocket_id: Uuid,
    pub rocket_name: String,
    pub mission_name: String,
    pub spaceport: String,
    pub destination: String,
    pub launch_at: DateTime<Utc>,
    pub price_per_seat_cents: i64,
    pub minimum_passengers: i32,
    pub capacity: i32,
    pub seats_sold: i64,
    pub status: String,
    /// The reason given with the change to the current status, if any.
    pub status_reason: Option<String>,
    /// What travellers paid minus what was refunded to them.
    pub revenue_cents: i64,
    pub refunds_cents: i64,
    pub revision: i32,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT l.id, l.agency_id, l.rocket_id, r.name AS rocket_name, l.mission_name, l.spaceport, \
    l.destination, l.launch_at, l.price_per_seat_cents, l.minimum_passengers, r.capacity, \
    COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.launch_id = l.id AND (b.status = 'confirmed' OR NOT b.seats_released)), 0)::bigint AS seats_sold, \
    l.status, \
    (SELECT h.reason FROM launch_status_history h WHERE h.launch_id = l.id ORDER BY h.id DESC LIMIT 1) AS status_reason, \
    COALESCE((SELECT SUM(b.total_cents - b.refund_cents) FROM bookings b WHERE b.launch_id = l.id), 0)::bigint AS revenue_cents, \
    COALESCE((SELECT SUM(b.refund_cents) FROM bookings b WHERE b.launch_id = l.id), 0)::bigint AS refunds_cents, \
    l.revision, l.slug, l.created_at FROM launches l JOIN rockets r ON r.id = l.rocket_id";

#[derive(Debug, thiserror::Error)]
pub enum InsertLaunchError {
    #[error("slug already used")]
    SlugTaken,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// Inserts the launch (as `launch` gives it, in status scheduled), its first status-history row
/// and its outbox event in one transaction.
#[tracing::instrument(skip_all, fields(agency_id = %launch.agency_id))]
pub async fn insert(
    pool: &PgPool,
    launch: &LaunchRow,
    event: &EventEnvelope,
) -> Result<(), InsertLaunchError> {
    let mut transaction = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO launches (id, agency_id, rocket_id, mission_name, spaceport, destination, launch_at, \
         price_per_seat_cents, minimum_passengers, status, slug, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(launch.id)
    .bind(launch.agency_id)
    .bind(launch.rocket_id)
    .bind(&launch.mission_name)
    .bind(&launch.spaceport)
    .bind(&launch.destination)
    .bind(launch.launch_at)
    .bind(launch.price_per_seat_cents)
    .bind(launch.minimum_passengers)
    .bind(LaunchStatus::Scheduled.as_str())
    .bind(&launch.slug)
    .bind(launch.created_at)
    .execute(&mut *transaction)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(InsertLaunchError::SlugTaken);
    }
    sqlx::query("INSERT INTO launch_status_history (launch_id, from_status, to_status, changed_by, changed_at) VALUES ($1, NULL, $2, $3, $4)")
        .bind(launch.id)
        .bind(LaunchStatus::Scheduled.as_str())
        .bind(launch.agency_id.to_string())
        .bind(launch.created_at)
        .execute(&mut *transaction)
        .await?;
    super::outbox::append(&mut transaction, event).await?;
    transaction.commit().await?;
    Ok(())
}

/// Launches, all of them or one agency's.
#[tracing::instrument(skip_all)]
pub async fn list(pool: &PgPool, agency_id: Option<Uuid>) -> Result<Vec<LaunchRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE ($1::uuid IS NULL OR l.agency_id = $1) ORDER BY l.launch_at"
    )))
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn find(pool: &PgPool, launch_id: Uuid) -> Result<Option<LaunchRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE l.id = $1")))
        .bind(launch_id)
        .fetch_optional(pool)
        .await
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    launch_id: Uuid,
    from_status: Option<String>,
    to_status: String,
    changed_by: String,
    reason: Option<String>,
    changed_at: DateTime<Utc>,
}

fn status(raw: &str) -> Result<LaunchStatus, sqlx::Error> {
    LaunchStatus::parse(raw).map_err(|violation| sqlx::Error::Decode(Box::new(violation)))
}

/// The status history of each of these launches, oldest first.
#[tracing::instrument(skip_all, fields(launches = launch_ids.len()))]
pub async fn histories(
    pool: &PgPool,
    launch_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<StatusChange>>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "SELECT launch_id, from_status, to_status, changed_by, reason, changed_at \
         FROM launch_status_history WHERE launch_id = ANY($1) ORDER BY id",
    )
    .bind(launch_ids)
    .fetch_all(pool)
    .await?;
    let mut histories: HashMap<Uuid, Vec<StatusChange>> = HashMap::new();
    for row in rows {
        let change = StatusChange {
            from: row.from_status.as_deref().map(status).transpose()?,
            to: status(&row.to_status)?,
            at: row.changed_at,
            by: row.changed_by,
            reason: row.reason,
        };
        histories.entry(row.launch_id).or_default().push(change);
    }
    Ok(histories)
}

/// Launches the scheduler has to decide at `now`: still scheduled, scheduled before their
/// decision point (three calendar months before the launch, computed in UTC), which has come.
#[tracing::instrument(skip_all)]
pub async fn due_for_decision(pool: &PgPool, now: DateTime<Utc>) -> Result<Vec<Uuid>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM (SELECT id, created_at, launch_at, \
         ((launch_at AT TIME ZONE 'UTC') - interval '3 months') AT TIME ZONE 'UTC' AS decision_point \
         FROM launches WHERE status = 'scheduled') due \
         WHERE decision_point <= $1 AND created_at < decision_point ORDER BY launch_at",
    )
    .bind(now)
    .fetch_all(pool)
    .await
}

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    /// Someone changed the launch since it was read.
    #[error("the launch changed meanwhile")]
    Changed,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// A status change of a launch as read at `change.from` and `revision`.
pub struct StatusChangeWrite<'a> {
    pub launch_id: Uuid,
    pub revision: i32,
    pub change: &'a StatusChange,
    /// The launch's date after the change (the new one for a delay).
    pub launch_at: DateTime<Utc>,
}

/// Moves a launch to `change.to`, its new date and the next revision, recording who, when and
/// why, and the event announcing it, in one transaction. Refused if the launch changed since it
/// was read (its revision fences every change).
#[tracing::instrument(skip_all, fields(launch_id = %write.launch_id, to = write.change.to.as_str()))]
pub async fn change_status(
    pool: &PgPool,
    write: &StatusChangeWrite<'_>,
    event: &EventEnvelope,
) -> Result<(), StatusChangeError> {
    let change = write.change;
    let from = change.from.ok_or(StatusChangeError::Changed)?;
    let mut transaction = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE launches SET status = $3, revision = revision + 1, launch_at = $5, updated_at = $6 \
         WHERE id = $1 AND status = $2 AND revision = $4",
    )
    .bind(write.launch_id)
    .bind(from.as_str())
    .bind(change.to.as_str())
    .bind(write.revision)
    .bind(write.launch_at)
    .bind(change.at)
    .execute(&mut *transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StatusChangeError::Changed);
    }
    sqlx::query("INSERT INTO launch_status_history (launch_id, from_status, to_status, changed_by, reason, changed_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(write.launch_id)
        .bind(from.as_str())
        .bind(change.to.as_str())
        .bind(&change.by)
        .bind(&change.reason)
        .bind(change.at)
        .execute(&mut *transaction)
        .await?;
    super::outbox::append(&mut transaction, event).await?;
    transaction.commit().await?;
    Ok(())
}

/// A passenger of an active booking, for the launch's agency.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PassengerRow {
    pub booking_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub age: i32,
}

/// The passengers of the launch's active bookings, booking by booking in seat order.
#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn passengers(pool: &PgPool, launch_id: Uuid) -> Result<Vec<PassengerRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.booking_id, p.name, p.email, p.phone, p.age FROM passengers p \
         JOIN bookings b ON b.id = p.booking_id \
         WHERE b.launch_id = $1 AND b.status = 'confirmed' ORDER BY b.created_at, p.booking_id, p.position",
    )
    .bind(launch_id)
    .fetch_all(pool)
    .await
}
