//! The scheduler's records in the operations DB: job runs, the units of work they claimed
//! (a unit's key is the primary key: one claim wins), and what its jobs read.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::storage::amqp::events::Recipient;

/// One run of one job, as the jobs API shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct JobRun {
    pub id: Uuid,
    pub job: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `running`, `succeeded` or `failed`.
    pub outcome: String,
    /// Units of work this run claimed and did.
    pub units: i32,
    pub error: Option<String>,
}

const RUN_COLUMNS: &str = "id, job, started_at, finished_at, outcome, units, error";

#[tracing::instrument(skip_all, fields(job, run_id = %id))]
pub async fn start_run(
    pool: &PgPool,
    id: Uuid,
    job: &str,
    trigger: &str,
    started_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scheduler_job_runs (id, job, trigger, started_at, outcome) VALUES ($1, $2, $3, $4, 'running')",
    )
    .bind(id)
    .bind(job)
    .bind(trigger)
    .bind(started_at)
    .execute(pool)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(run_id = %id, outcome))]
pub async fn finish_run(
    pool: &PgPool,
    id: Uuid,
    finished_at: DateTime<Utc>,
    outcome: &str,
    units: i32,
    error: Option<&str>,
) -> Result<JobRun, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE scheduler_job_runs SET finished_at = $2, outcome = $3, units = $4, error = $5 \
         WHERE id = $1 RETURNING {RUN_COLUMNS}"
    )))
    .bind(id)
    .bind(finished_at)
    .bind(outcome)
    .bind(units)
    .bind(error)
    .fetch_one(pool)
    .await
}

/// Claims the unit for the run; false when another run already has it. Inside the transaction
/// of the unit's own writes, the claim and the work commit together or not at all.
#[tracing::instrument(skip_all, fields(unit_key))]
pub async fn claim_unit(
    connection: &mut PgConnection,
    unit_key: &str,
    job: &str,
    run_id: Uuid,
    claimed_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO scheduler_units (unit_key, job, run_id, claimed_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (unit_key) DO NOTHING",
    )
    .bind(unit_key)
    .bind(job)
    .bind(run_id)
    .bind(claimed_at)
    .execute(&mut *connection)
    .await?;
    Ok(claimed.rows_affected() == 1)
}

/// A job's latest run and how many of its runs succeeded and failed.
pub struct JobHistory {
    pub last_run: Option<JobRun>,
    pub succeeded: i64,
    pub failed: i64,
}

#[tracing::instrument(skip_all, fields(job))]
pub async fn job_history(pool: &PgPool, job: &str) -> Result<JobHistory, sqlx::Error> {
    let last_run = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RUN_COLUMNS} FROM scheduler_job_runs WHERE job = $1 ORDER BY started_at DESC, id DESC LIMIT 1"
    )))
    .bind(job)
    .fetch_optional(pool)
    .await?;
    let (succeeded, failed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*) FILTER (WHERE outcome = 'succeeded'), COUNT(*) FILTER (WHERE outcome = 'failed') \
         FROM scheduler_job_runs WHERE job = $1",
    )
    .bind(job)
    .fetch_one(pool)
    .await?;
    Ok(JobHistory {
        last_run,
        succeeded,
        failed,
    })
}

/// A scheduled launch whose VIPs have not been told, and who its agency is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LaunchAwaitingNotice {
    pub launch_id: Uuid,
    pub agency_name: String,
    pub agency_email: String,
}

/// Scheduled launches still bookable at `now` (in the future, seats free) whose `vip:` unit
/// nobody claimed yet, the oldest first.
#[tracing::instrument(skip_all)]
pub async fn launches_awaiting_vip_notice(
    pool: &PgPool,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<LaunchAwaitingNotice>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id AS launch_id, a.name AS agency_name, a.contact_email AS agency_email \
         FROM launches l JOIN rockets r ON r.id = l.rocket_id JOIN agencies a ON a.user_id = l.agency_id \
         WHERE l.status = 'scheduled' AND l.launch_at > $1 \
         AND r.capacity > COALESCE((SELECT SUM(b.seats) FROM bookings b WHERE b.launch_id = l.id \
             AND (b.status = 'confirmed' OR NOT b.seats_released)), 0) \
         AND NOT EXISTS (SELECT 1 FROM scheduler_units u WHERE u.unit_key = 'vip:' || l.id::text) \
         ORDER BY l.created_at, l.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The VIP travellers for a launch (shared/domain.md): non-cancelled bookings on at least two
/// other launches. Named as on their latest booking.
#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn vip_travellers(
    connection: &mut PgConnection,
    launch_id: Uuid,
) -> Result<Vec<Recipient>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT traveler_id, (array_agg(traveler_name ORDER BY created_at DESC))[1], \
         (array_agg(traveler_email ORDER BY created_at DESC))[1] \
         FROM bookings WHERE status = 'confirmed' AND launch_id <> $1 \
         GROUP BY traveler_id HAVING COUNT(DISTINCT launch_id) >= 2 ORDER BY traveler_id",
    )
    .bind(launch_id)
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(user_id, name, email)| Recipient {
            user_id: user_id.to_string(),
            name,
            email,
        })
        .collect())
}
