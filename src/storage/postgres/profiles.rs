//! Profiles copied from registrations.

use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::user::UserRole;
use crate::storage::amqp::events::UserRegistered;

/// Creates the profile that matches the user's role; a second delivery changes nothing.
#[tracing::instrument(skip_all, fields(user_id = %user.user_id))]
pub async fn upsert_profile(pool: &PgPool, user: &UserRegistered) -> Result<(), sqlx::Error> {
    let user_id =
        Uuid::parse_str(&user.user_id).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    let statement = match user.role {
        UserRole::Traveler => {
            "INSERT INTO travelers (user_id, name, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        }
        UserRole::Agency => {
            "INSERT INTO agencies (user_id, name, contact_email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
        }
        UserRole::Financial => {
            "INSERT INTO employees (user_id, name, email, department) VALUES ($1, $2, $3, 'financial') ON CONFLICT DO NOTHING"
        }
        UserRole::It => {
            "INSERT INTO employees (user_id, name, email, department) VALUES ($1, $2, $3, 'it') ON CONFLICT DO NOTHING"
        }
    };
    sqlx::query(statement)
        .bind(user_id)
        .bind(&user.name)
        .bind(&user.email)
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgencyRow {
    pub user_id: Uuid,
    pub name: String,
    pub contact_email: String,
}

/// The agency's profile, created from its token if the registration event has not arrived yet.
#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn ensure_agency(
    pool: &PgPool,
    agency_id: Uuid,
    name: &str,
    email: &str,
) -> Result<AgencyRow, sqlx::Error> {
    sqlx::query("INSERT INTO agencies (user_id, name, contact_email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(agency_id)
        .bind(name)
        .bind(email)
        .execute(pool)
        .await?;
    sqlx::query_as("SELECT user_id, name, contact_email FROM agencies WHERE user_id = $1")
        .bind(agency_id)
        .fetch_one(pool)
        .await
}

/// The agency's profile, if it exists (every launch's agency does).
#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn agency(pool: &PgPool, agency_id: Uuid) -> Result<Option<AgencyRow>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, name, contact_email FROM agencies WHERE user_id = $1")
        .bind(agency_id)
        .fetch_optional(pool)
        .await
}
