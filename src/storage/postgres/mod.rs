//! The operations DB (PostgreSQL), owned by the admin API.

pub mod bookings;
pub mod invoices;
pub mod launches;
pub mod outbox;
pub mod profiles;
pub mod rockets;

use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::config::Settings;
use crate::storage::ReadinessCheck;

pub async fn connect(settings: &Settings) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect(settings.database_url.expose())
        .await
}

/// Brings the schema up to date; forward-only migrations embedded in the binary.
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("./migrations").run(pool).await
}

pub struct PostgresReadiness(pub PgPool);

#[async_trait::async_trait]
impl ReadinessCheck for PostgresReadiness {
    fn name(&self) -> &'static str {
        "operations_db"
    }

    async fn check(&self) -> Result<(), String> {
        sqlx::query("SELECT 1")
            .execute(&self.0)
            .await
            .map(|_| ())
            .map_err(|error| error.to_string())
    }
}
