//! Profiles: copied from registrations, then kept by their owners (agencies here, travellers
//! through the customer side's profile events).

use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::profile::AgencyProfile;
use crate::domain::user::UserRole;
use crate::storage::amqp::events::{TravelerProfileUpdated, UserRegistered};

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

/// An agency's profile as stored: the legal fields are empty until the agency first fills them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AgencyProfileRow {
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub legal_address: Option<String>,
    /// Where the platform writes to the agency (its launches' emails); the account email until
    /// the agency gives another.
    pub contact_email: String,
    pub description: Option<String>,
}

const AGENCY_PROFILE_COLUMNS: &str =
    "legal_name, tax_id, legal_address, contact_email, description";

#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn agency_profile(
    pool: &PgPool,
    agency_id: Uuid,
) -> Result<Option<AgencyProfileRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {AGENCY_PROFILE_COLUMNS} FROM agencies WHERE user_id = $1"
    )))
    .bind(agency_id)
    .fetch_optional(pool)
    .await
}

/// Replaces the agency's profile (the row exists: see `ensure_agency`).
#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn update_agency_profile(
    pool: &PgPool,
    agency_id: Uuid,
    profile: &AgencyProfile,
) -> Result<AgencyProfileRow, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "UPDATE agencies SET legal_name = $2, tax_id = $3, legal_address = $4, contact_email = $5, \
         description = $6 WHERE user_id = $1 RETURNING {AGENCY_PROFILE_COLUMNS}"
    )))
    .bind(agency_id)
    .bind(profile.legal_name.as_deref())
    .bind(&profile.tax_id)
    .bind(&profile.legal_address)
    .bind(profile.contact_email.as_str())
    .bind(profile.description.as_deref())
    .fetch_one(pool)
    .await
}

/// Copies a traveller's profile unless the stored copy is at a later revision (an older event
/// arrived late); creates the traveller's row if the registration has not arrived yet.
#[tracing::instrument(skip_all, fields(user_id = %updated.user_id, revision = updated.revision))]
pub async fn apply_traveler_profile(
    pool: &PgPool,
    updated: &TravelerProfileUpdated,
) -> Result<(), sqlx::Error> {
    let user_id =
        Uuid::parse_str(&updated.user_id).map_err(|error| sqlx::Error::Decode(Box::new(error)))?;
    let profile = &updated.profile;
    sqlx::query(
        "INSERT INTO travelers (user_id, name, email, phone, contact_email, emergency_contact, tax_id, \
         profile_revision, profile_updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (user_id) DO UPDATE SET phone = EXCLUDED.phone, contact_email = EXCLUDED.contact_email, \
         emergency_contact = EXCLUDED.emergency_contact, tax_id = EXCLUDED.tax_id, \
         profile_revision = EXCLUDED.profile_revision, profile_updated_at = EXCLUDED.profile_updated_at \
         WHERE travelers.profile_revision <= EXCLUDED.profile_revision",
    )
    .bind(user_id)
    .bind(&updated.name)
    .bind(&updated.email)
    .bind(profile.phone.as_deref())
    .bind(profile.contact_email.as_deref())
    .bind(profile.emergency_contact.as_deref())
    .bind(profile.tax_id.as_deref())
    .bind(updated.revision)
    .bind(updated.updated_at)
    .execute(pool)
    .await?;
    Ok(())
}

/// The agency's profile, if it exists (every launch's agency does).
#[tracing::instrument(skip_all, fields(agency_id = %agency_id))]
pub async fn agency(pool: &PgPool, agency_id: Uuid) -> Result<Option<AgencyRow>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, name, contact_email FROM agencies WHERE user_id = $1")
        .bind(agency_id)
        .fetch_optional(pool)
        .await
}
