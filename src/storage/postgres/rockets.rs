//! Rockets of the agencies.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

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
