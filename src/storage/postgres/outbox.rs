//! The operations DB's outbox: events appended inside the change's transaction, published later.

use sqlx::{PgPool, Postgres, Transaction};

use crate::storage::Outbox;
use crate::storage::amqp::EventEnvelope;

pub async fn append(
    transaction: &mut Transaction<'_, Postgres>,
    event: &EventEnvelope,
) -> Result<(), sqlx::Error> {
    let payload =
        serde_json::to_value(event).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query("INSERT INTO outbox (id, event_type, payload) VALUES ($1, $2, $3)")
        .bind(event.event_id)
        .bind(&event.event_type)
        .bind(payload)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Appends one event on its own (an announcement that changes nothing else).
pub async fn append_alone(pool: &PgPool, event: &EventEnvelope) -> Result<(), sqlx::Error> {
    let mut transaction = pool.begin().await?;
    append(&mut transaction, event).await?;
    transaction.commit().await
}

pub struct PostgresOutbox(pub PgPool);

#[async_trait::async_trait]
impl Outbox for PostgresOutbox {
    #[tracing::instrument(skip_all)]
    async fn unpublished(&self, limit: i64) -> anyhow::Result<Vec<EventEnvelope>> {
        let rows: Vec<(serde_json::Value,)> = sqlx::query_as(
            "SELECT payload FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.0)
        .await?;
        rows.into_iter()
            .map(|(payload,)| Ok(serde_json::from_value(payload)?))
            .collect()
    }

    #[tracing::instrument(skip_all, fields(events = events.len()))]
    async fn mark_published(&self, events: &[EventEnvelope]) -> anyhow::Result<()> {
        let ids: Vec<uuid::Uuid> = events.iter().map(|event| event.event_id).collect();
        sqlx::query("UPDATE outbox SET published_at = now() WHERE id = ANY($1)")
            .bind(&ids)
            .execute(&self.0)
            .await?;
        Ok(())
    }
}
