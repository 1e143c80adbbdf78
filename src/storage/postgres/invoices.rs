//! Invoices and their payments. An invoice's number comes from the per-year counter taken in the
//! invoice's own transaction, so numbers are unique and gapless however many are issued at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::invoice::{InvoiceLine, InvoiceStatus, invoice_number};
use crate::domain::revenue::InvoicedLaunch;
use crate::storage::amqp::EventEnvelope;

/// What travellers paid for a launch and what was refunded to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct LaunchRevenue {
    pub paid_cents: i64,
    pub refunds_cents: i64,
}

#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn launch_revenue(pool: &PgPool, launch_id: Uuid) -> Result<LaunchRevenue, sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(total_cents), 0)::bigint AS paid_cents, \
         COALESCE(SUM(refund_cents), 0)::bigint AS refunds_cents FROM bookings WHERE launch_id = $1",
    )
    .bind(launch_id)
    .fetch_one(pool)
    .await
}

/// The agency's launched launches dated before this one (what makes an agency reliable).
#[tracing::instrument(skip_all, fields(launch_id = %launch_id))]
pub async fn launched_before(
    pool: &PgPool,
    agency_id: Uuid,
    launch_id: Uuid,
    launch_at: DateTime<Utc>,
) -> Result<u32, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM launches WHERE agency_id = $1 AND id <> $2 \
         AND status = 'launched' AND launch_at < $3",
    )
    .bind(agency_id)
    .bind(launch_id)
    .bind(launch_at)
    .fetch_one(pool)
    .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// An invoice about to be numbered and stored.
pub struct NewInvoice<'a> {
    pub agency_id: Uuid,
    pub launch_id: Uuid,
    pub launch_outcome: &'a str,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    pub lines: &'a [InvoiceLine],
    pub reliable_agency: bool,
}

/// Whether the invoice was issued now or the launch already had one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issued {
    New(Uuid),
    Existing(Uuid),
}

/// Numbers and stores the launch's invoice, unless it has one, with the event `announce` makes
/// of it (given its id and number) in the same transaction. The counter row's lock orders
/// concurrent invoices of a year; a second invoice of the same launch rolls back, giving the
/// number back.
#[tracing::instrument(skip_all, fields(launch_id = %invoice.launch_id))]
pub async fn issue(
    pool: &PgPool,
    invoice: &NewInvoice<'_>,
    announce: impl FnOnce(Uuid, &str) -> Result<EventEnvelope, serde_json::Error>,
) -> Result<Issued, sqlx::Error> {
    let year = invoice.issued_on.year();
    let mut transaction = pool.begin().await?;
    let (sequence,): (i64,) = sqlx::query_as(
        "INSERT INTO invoice_counters (year, last_sequence) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last_sequence = invoice_counters.last_sequence + 1 \
         RETURNING last_sequence",
    )
    .bind(year)
    .fetch_one(&mut *transaction)
    .await?;
    // Read after the counter's lock: an invoice of this launch committed meanwhile is seen.
    let existing: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM invoices WHERE launch_id = $1")
        .bind(invoice.launch_id)
        .fetch_optional(&mut *transaction)
        .await?;
    if let Some((id,)) = existing {
        transaction.rollback().await?;
        return Ok(Issued::Existing(id));
    }
    let id = Uuid::now_v7();
    let number = invoice_number(year, sequence);
    let lines = serde_json::to_value(invoice.lines)
        .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    let event = announce(id, &number).map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    sqlx::query(
        "INSERT INTO invoices (id, number, year, sequence, agency_id, launch_id, launch_outcome, \
         issued_on, due_on, amount_cents, lines, reliable_agency) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(&number)
    .bind(year)
    .bind(sequence)
    .bind(invoice.agency_id)
    .bind(invoice.launch_id)
    .bind(invoice.launch_outcome)
    .bind(invoice.issued_on)
    .bind(invoice.due_on)
    .bind(invoice.amount_cents)
    .bind(lines)
    .bind(invoice.reliable_agency)
    .execute(&mut *transaction)
    .await?;
    super::outbox::append(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(Issued::New(id))
}

/// An invoice as stored, with what has been paid on it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: Uuid,
    pub number: String,
    pub agency_id: Uuid,
    pub agency_name: String,
    pub agency_email: String,
    pub launch_id: Uuid,
    pub mission_name: String,
    pub launch_outcome: String,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub amount_cents: i64,
    pub paid_cents: i64,
    pub lines: sqlx::types::Json<Vec<InvoiceLine>>,
    pub reliable_agency: bool,
    pub last_reminded_on: Option<NaiveDate>,
    pub reminders_sent: i32,
}

impl InvoiceRow {
    pub fn status(&self, today: NaiveDate) -> InvoiceStatus {
        InvoiceStatus::of(self.amount_cents, self.paid_cents, self.due_on, today)
    }
}

const SELECT: &str = "SELECT i.id, i.number, i.agency_id, a.name AS agency_name, \
    a.contact_email AS agency_email, i.launch_id, l.mission_name, i.launch_outcome, i.issued_on, \
    i.due_on, i.amount_cents, \
    COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0)::bigint AS paid_cents, \
    i.lines, i.reliable_agency, i.last_reminded_on, i.reminders_sent \
    FROM invoices i JOIN agencies a ON a.user_id = i.agency_id JOIN launches l ON l.id = i.launch_id";

/// Which invoices a listing asks for; the status is derived, so it is filtered by the caller.
#[derive(Debug, Default)]
pub struct InvoiceFilter {
    pub agency_id: Option<Uuid>,
    pub launch_id: Option<Uuid>,
    pub issued_from: Option<NaiveDate>,
    pub issued_to: Option<NaiveDate>,
}

#[tracing::instrument(skip_all)]
pub async fn list(pool: &PgPool, filter: &InvoiceFilter) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE ($1::uuid IS NULL OR i.agency_id = $1) \
         AND ($2::uuid IS NULL OR i.launch_id = $2) \
         AND ($3::date IS NULL OR i.issued_on >= $3) AND ($4::date IS NULL OR i.issued_on <= $4) \
         ORDER BY i.year, i.sequence"
    )))
    .bind(filter.agency_id)
    .bind(filter.launch_id)
    .bind(filter.issued_from)
    .bind(filter.issued_to)
    .fetch_all(pool)
    .await
}

#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn find(pool: &PgPool, invoice_id: Uuid) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE i.id = $1")))
        .bind(invoice_id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PaymentRow {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount_cents: i64,
    pub paid_on: NaiveDate,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// The payments of these invoices, oldest first, in one query.
#[tracing::instrument(skip_all, fields(invoices = invoice_ids.len()))]
pub async fn payments_of_invoices(
    pool: &PgPool,
    invoice_ids: &[Uuid],
) -> Result<Vec<PaymentRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, invoice_id, amount_cents, paid_on, recorded_by, created_at FROM payments \
         WHERE invoice_id = ANY($1) ORDER BY created_at",
    )
    .bind(invoice_ids)
    .fetch_all(pool)
    .await
}

/// A payment to record, checked against the balance by `check` while the invoice is locked.
pub struct NewPayment {
    pub invoice_id: Uuid,
    pub amount_cents: i64,
    pub paid_on: NaiveDate,
    pub recorded_by: Uuid,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError<E> {
    #[error("unknown invoice")]
    UnknownInvoice,
    #[error(transparent)]
    Refused(E),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// Records a payment if `check(amount, paid so far)` accepts it. The invoice row is locked, so
/// two payments at once cannot both fit the same balance.
#[tracing::instrument(skip_all, fields(invoice_id = %payment.invoice_id))]
pub async fn record_payment<E>(
    pool: &PgPool,
    payment: &NewPayment,
    check: impl FnOnce(i64, i64) -> Result<(), E>,
) -> Result<PaymentRow, PaymentError<E>> {
    let mut transaction = pool.begin().await?;
    let invoice: Option<(i64,)> =
        sqlx::query_as("SELECT amount_cents FROM invoices WHERE id = $1 FOR UPDATE")
            .bind(payment.invoice_id)
            .fetch_optional(&mut *transaction)
            .await?;
    let Some((amount_cents,)) = invoice else {
        return Err(PaymentError::UnknownInvoice);
    };
    let (paid_cents,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM payments WHERE invoice_id = $1",
    )
    .bind(payment.invoice_id)
    .fetch_one(&mut *transaction)
    .await?;
    check(amount_cents, paid_cents).map_err(PaymentError::Refused)?;
    let stored: PaymentRow = sqlx::query_as(
        "INSERT INTO payments (id, invoice_id, amount_cents, paid_on, recorded_by) \
         VALUES ($1, $2, $3, $4, $5) \
         RETURNING id, invoice_id, amount_cents, paid_on, recorded_by, created_at",
    )
    .bind(Uuid::now_v7())
    .bind(payment.invoice_id)
    .bind(payment.amount_cents)
    .bind(payment.paid_on)
    .bind(payment.recorded_by)
    .fetch_one(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(stored)
}

/// The invoices issued from `from` to `to` (inclusive), with their launch's net revenue and what
/// was received on them, for the revenue report.
#[tracing::instrument(skip_all)]
pub async fn invoiced_launches(
    pool: &PgPool,
    from: NaiveDate,
    to: NaiveDate,
    agency_id: Option<Uuid>,
) -> Result<Vec<InvoicedLaunch>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, NaiveDate, i64, i64, i64)> = sqlx::query_as(
        "SELECT i.agency_id, a.name, i.launch_outcome, i.issued_on, \
         COALESCE((SELECT SUM(b.total_cents - b.refund_cents) FROM bookings b WHERE b.launch_id = i.launch_id), 0)::bigint, \
         i.amount_cents, \
         COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0)::bigint \
         FROM invoices i JOIN agencies a ON a.user_id = i.agency_id \
         WHERE i.issued_on BETWEEN $1 AND $2 AND ($3::uuid IS NULL OR i.agency_id = $3) \
         ORDER BY i.issued_on, i.sequence",
    )
    .bind(from)
    .bind(to)
    .bind(agency_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(agency_id, agency_name, outcome, issued_on, net, fee, received)| InvoicedLaunch {
                agency_id: agency_id.to_string(),
                agency_name,
                launched: outcome == "launched",
                issued_on,
                net_revenue_cents: net,
                fee_cents: fee,
                received_cents: received,
            },
        )
        .collect())
}

/// Each agency's launched launches dated up to the end of `to`.
#[tracing::instrument(skip_all)]
pub async fn launched_by_agency(
    pool: &PgPool,
    to: NaiveDate,
) -> Result<BTreeMap<String, u32>, sqlx::Error> {
    let rows: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT agency_id, COUNT(*) FROM launches WHERE status = 'launched' \
         AND launch_at < ($1::date + 1) GROUP BY agency_id",
    )
    .bind(to)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(agency_id, count)| {
            (
                agency_id.to_string(),
                u32::try_from(count).unwrap_or(u32::MAX),
            )
        })
        .collect())
}

/// Invoices past their due date on `today` and not fully paid: the reminder job's candidates.
#[tracing::instrument(skip_all)]
pub async fn unpaid_past_due(
    pool: &PgPool,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT * FROM ({SELECT} WHERE i.due_on < $1) unpaid WHERE paid_cents < amount_cents \
         ORDER BY due_on LIMIT $2"
    )))
    .bind(today)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Records that the invoice's `number`-th reminder went out on `today`, with its event, in the
/// transaction that claimed it.
pub async fn record_reminder(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    invoice_id: Uuid,
    today: NaiveDate,
    number: u32,
    event: &EventEnvelope,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invoices SET last_reminded_on = $2, reminders_sent = $3 WHERE id = $1")
        .bind(invoice_id)
        .bind(today)
        .bind(i32::try_from(number).unwrap_or(i32::MAX))
        .execute(&mut **transaction)
        .await?;
    super::outbox::append(transaction, event).await
}
