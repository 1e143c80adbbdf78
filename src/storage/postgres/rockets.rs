//! Rockets of the agencies.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::domain::launch::{
    LaunchStatus, PendingLaunch, Reach, RocketChanges, RocketRefusal, check_deactivation,
    check_rocket_changes,
};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RocketRow {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub name: String,
    pub model: String,
    pub capacity: i32,
    #[serde(rename = "range")]
    pub reach: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

pub struct NewRocket<'a> {
    pub agency_id: Uuid,
    pub name: &'a str,
    pub model: &'a str,
    pub capacity: i32,
    pub reach: &'a str,
}

const COLUMNS: &str = "id, agency_id, name, model, capacity, reach, active, created_at";

#[tracing::instrument(skip_all, fields(agency_id = %rocket.agency_id))]
pub async fn insert(pool: &PgPool, rocket: &NewRocket<'_>) -> Result<RocketRow, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "INSERT INTO rockets (id, agency_id, name, model, capacity, reach) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    )))
    .bind(Uuid::new_v4())
    .bind(rocket.agency_id)
    .bind(rocket.name)
    .bind(rocket.model)
    .bind(rocket.capacity)
    .bind(rocket.reach)
    .fetch_one(pool)
    .await
}

#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn of_agency(pool: &PgPool, agency_id: Uuid) -> Result<Vec<RocketRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rockets WHERE agency_id = $1 ORDER BY created_at"
    )))
    .bind(agency_id)
    .fetch_all(pool)
    .await
}

#[tracing::instrument(skip_all, fields(rocket_id = %rocket_id))]
pub async fn find(pool: &PgPool, rocket_id: Uuid) -> Result<Option<RocketRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM rockets WHERE id = $1"
    )))
    .bind(rocket_id)
    .fetch_optional(pool)
    .await
}

#[derive(Debug, thiserror::Error)]
pub enum RocketChangeError {
    /// No such rocket of this agency.
    #[error("rocket not found")]
    NotFound,
    #[error(transparent)]
    Refused(#[from] RocketRefusal),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// Locks the agency's rocket for this transaction (a launch being scheduled on it waits, and
/// then sees the change) and reads its launches that are not final.
async fn lock_with_pending_launches(
    transaction: &mut Transaction<'_, Postgres>,
    rocket_id: Uuid,
    agency_id: Uuid,
) -> Result<Vec<PendingLaunch>, RocketChangeError> {
    let locked: Option<(Uuid,)> =
        sqlx::query_as("SELECT id FROM rockets WHERE id = $1 AND agency_id = $2 FOR UPDATE")
            .bind(rocket_id)
            .bind(agency_id)
            .fetch_optional(&mut **transaction)
            .await?;
    if locked.is_none() {
        return Err(RocketChangeError::NotFound);
    }
    let final_statuses: Vec<&str> = [
        LaunchStatus::Launched,
        LaunchStatus::Failed,
        LaunchStatus::Aborted,
    ]
    .iter()
    .map(|status| status.as_str())
    .collect();
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT mission_name, destination FROM launches WHERE rocket_id = $1 AND status <> ALL($2) ORDER BY launch_at",
    )
    .bind(rocket_id)
    .bind(&final_statuses)
    .fetch_all(&mut **transaction)
    .await?;
    rows.into_iter()
        .map(|(mission_name, destination)| {
            let destination = Reach::parse(&destination)
                .map_err(|violation| sqlx::Error::Decode(violation.0.into()))?;
            Ok(PendingLaunch {
                mission_name,
                destination,
            })
        })
        .collect()
}

/// Applies the changes to the agency's rocket if its pending launches allow them.
#[tracing::instrument(skip_all, fields(rocket_id = %rocket_id))]
pub async fn update(
    pool: &PgPool,
    rocket_id: Uuid,
    agency_id: Uuid,
    changes: &RocketChanges,
) -> Result<RocketRow, RocketChangeError> {
    let mut transaction = pool.begin().await?;
    let pending = lock_with_pending_launches(&mut transaction, rocket_id, agency_id).await?;
    check_rocket_changes(changes, &pending)?;
    let capacity = changes
        .capacity
        .map(|capacity| i32::try_from(capacity).unwrap_or(i32::MAX));
    let rocket = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE rockets SET name = COALESCE($2, name), model = COALESCE($3, model), \
         capacity = COALESCE($4, capacity), reach = COALESCE($5, reach) WHERE id = $1 RETURNING {COLUMNS}"
    )))
    .bind(rocket_id)
    .bind(changes.name.as_deref())
    .bind(changes.model.as_deref())
    .bind(capacity)
    .bind(changes.reach.map(Reach::as_str))
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(rocket)
}

/// Deactivates the agency's rocket once all its launches are final; already inactive is fine.
#[tracing::instrument(skip_all, fields(rocket_id = %rocket_id))]
pub async fn deactivate(
    pool: &PgPool,
    rocket_id: Uuid,
    agency_id: Uuid,
) -> Result<RocketRow, RocketChangeError> {
    let mut transaction = pool.begin().await?;
    let pending = lock_with_pending_launches(&mut transaction, rocket_id, agency_id).await?;
    check_deactivation(&pending)?;
    let rocket = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE rockets SET active = false WHERE id = $1 RETURNING {COLUMNS}"
    )))
    .bind(rocket_id)
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(rocket)
}
