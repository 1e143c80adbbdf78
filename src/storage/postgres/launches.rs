//! Launches, their status history and the event announcing them, written together.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::launch::{LaunchStatus, NewLaunch};
use crate::storage::amqp::EventEnvelope;
use crate::storage::postgres::rockets::RocketRow;

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
    pub revision: i32,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT l.id, l.agency_id, l.rocket_id, r.name AS rocket_name, l.mission_name, l.spaceport, \
    l.destination, l.launch_at, l.price_per_seat_cents, l.minimum_passengers, l.capacity, \
    COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.launch_id = l.id AND (b.status = 'confirmed' OR NOT b.seats_released)), 0)::bigint AS seats_sold, \
    l.status, l.revision, l.slug, l.created_at FROM launches l JOIN rockets r ON r.id = l.rocket_id";

#[derive(Debug, thiserror::Error)]
pub enum InsertLaunchError {
    #[error("slug already used")]
    SlugTaken,
    /// The rocket was deactivated or changed since it was read.
    #[error("the rocket changed meanwhile")]
    RocketChanged,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// Inserts the launch, its first status-history row and its outbox event in one transaction,
/// with the capacity of the rocket as the caller read it. The rocket's row is share-locked
/// first, so a deactivation or change of the rocket (which locks it for update) either waits
/// for this launch and then counts it, or went first and this launch is refused.
#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn insert(
    pool: &PgPool,
    launch_id: Uuid,
    agency_id: Uuid,
    rocket: &RocketRow,
    launch: &NewLaunch,
    slug: &str,
    event: &EventEnvelope,
) -> Result<(), InsertLaunchError> {
    let mut transaction = pool.begin().await?;
    let current: Option<(bool, i32, String)> =
        sqlx::query_as("SELECT active, capacity, reach FROM rockets WHERE id = $1 FOR SHARE")
            .bind(rocket.id)
            .fetch_optional(&mut *transaction)
            .await?;
    if current != Some((true, rocket.capacity, rocket.reach.clone())) {
        return Err(InsertLaunchError::RocketChanged);
    }
    let inserted = sqlx::query(
        "INSERT INTO launches (id, agency_id, rocket_id, mission_name, spaceport, destination, launch_at, \
         price_per_seat_cents, minimum_passengers, status, slug, capacity) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) \
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(launch_id)
    .bind(agency_id)
    .bind(rocket.id)
    .bind(&launch.mission_name)
    .bind(&launch.spaceport)
    .bind(launch.destination.as_str())
    .bind(launch.launch_at)
    .bind(launch.price_per_seat_cents)
    .bind(i32::try_from(launch.minimum_passengers).unwrap_or(i32::MAX))
    .bind(LaunchStatus::Scheduled.as_str())
    .bind(slug)
    .bind(rocket.capacity)
    .execute(&mut *transaction)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(InsertLaunchError::SlugTaken);
    }
    sqlx::query("INSERT INTO launch_status_history (launch_id, from_status, to_status, changed_by) VALUES ($1, NULL, $2, $3)")
        .bind(launch_id)
        .bind(LaunchStatus::Scheduled.as_str())
        .bind(agency_id)
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

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    /// Someone changed the status since it was read.
    #[error("the launch status changed meanwhile")]
    Changed,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// A status change of a launch as read at `from` and `revision`.
pub struct StatusChange<'a> {
    pub launch_id: Uuid,
    pub from: LaunchStatus,
    pub revision: i32,
    pub to: LaunchStatus,
    pub changed_by: Uuid,
    pub reason: &'a str,
}

/// Moves a launch to `change.to` and the next revision, recording who, when and why, and the
/// event announcing it, in one transaction. Refused if the launch changed since it was read.
#[tracing::instrument(skip_all, fields(launch_id = %change.launch_id, to = change.to.as_str()))]
pub async fn change_status(
    pool: &PgPool,
    change: &StatusChange<'_>,
    event: &EventEnvelope,
) -> Result<(), StatusChangeError> {
    let mut transaction = pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE launches SET status = $3, revision = revision + 1 \
         WHERE id = $1 AND status = $2 AND revision = $4",
    )
    .bind(change.launch_id)
    .bind(change.from.as_str())
    .bind(change.to.as_str())
    .bind(change.revision)
    .execute(&mut *transaction)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(StatusChangeError::Changed);
    }
    sqlx::query("INSERT INTO launch_status_history (launch_id, from_status, to_status, changed_by, reason) VALUES ($1, $2, $3, $4, $5)")
        .bind(change.launch_id)
        .bind(change.from.as_str())
        .bind(change.to.as_str())
        .bind(change.changed_by)
        .bind(change.reason)
        .execute(&mut *transaction)
        .await?;
    super::outbox::append(&mut transaction, event).await?;
    transaction.commit().await?;
    Ok(())
}
