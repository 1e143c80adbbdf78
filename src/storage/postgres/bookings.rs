//! Bookings synced from the customer DB, with their passengers.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::booking::CancellationCause;
use crate::domain::booking::Passenger;
use crate::storage::amqp::events::{BookingCancelled, BookingConfirmed};

fn decode_error(error: impl std::error::Error + Send + Sync + 'static) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(error))
}

/// Stores a confirmed booking and its passengers once; a redelivery changes nothing.
#[tracing::instrument(skip_all, fields(booking_id = %booking.booking_id))]
pub async fn insert_confirmed(
    pool: &PgPool,
    booking: &BookingConfirmed,
    event_id: Uuid,
) -> Result<(), sqlx::Error> {
    let mut transaction = pool.begin().await?;
    insert_once(&mut transaction, booking, event_id).await?;
    transaction.commit().await
}

/// Records a cancellation; the booking itself is stored first if its confirmation has not
/// arrived (the cancellation event carries all of it). A redelivery changes nothing.
#[tracing::instrument(skip_all, fields(booking_id = %cancelled.booking.booking_id))]
pub async fn record_cancelled(
    pool: &PgPool,
    cancelled: &BookingCancelled,
    event_id: Uuid,
) -> Result<(), sqlx::Error> {
    let booking_id = Uuid::parse_str(&cancelled.booking.booking_id).map_err(decode_error)?;
    let cause = match cancelled.cancellation.cause {
        CancellationCause::Traveler => "traveler",
        CancellationCause::LaunchAborted => "launch_aborted",
    };
    let mut transaction = pool.begin().await?;
    insert_once(&mut transaction, &cancelled.booking, event_id).await?;
    sqlx::query(
        "UPDATE bookings SET status = 'cancelled', cancelled_at = $2, cancellation_cause = $3, \
         cancellation_reason = $4, refund_percent = $5, refund_cents = $6, seats_released = $7 \
         WHERE id = $1",
    )
    .bind(booking_id)
    .bind(cancelled.cancellation.cancelled_at)
    .bind(cause)
    .bind(&cancelled.cancellation.reason)
    .bind(i32::try_from(cancelled.cancellation.refund_percent).unwrap_or(0))
    .bind(cancelled.cancellation.refund_cents)
    .bind(cancelled.cancellation.seats_released)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await
}

async fn insert_once(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    booking: &BookingConfirmed,
    event_id: Uuid,
) -> Result<(), sqlx::Error> {
    let booking_id = Uuid::parse_str(&booking.booking_id).map_err(decode_error)?;
    let launch_id = Uuid::parse_str(&booking.launch_id).map_err(decode_error)?;
    let traveler_id = Uuid::parse_str(&booking.traveler_id).map_err(decode_error)?;
    let seat_numbers: Vec<i32> = booking
        .seat_numbers
        .iter()
        .map(|seat| i32::try_from(*seat).unwrap_or(i32::MAX))
        .collect();
    let inserted = sqlx::query(
        "INSERT INTO bookings (id, launch_id, traveler_id, traveler_name, traveler_email, seats, seat_numbers, \
         price_per_seat_cents, total_cents, status, created_at, source_event_id) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'confirmed',$10,$11) ON CONFLICT (id) DO NOTHING",
    )
    .bind(booking_id)
    .bind(launch_id)
    .bind(traveler_id)
    .bind(&booking.traveler_name)
    .bind(&booking.traveler_email)
    .bind(i32::try_from(booking.seats).unwrap_or(i32::MAX))
    .bind(&seat_numbers)
    .bind(booking.price_per_seat_cents)
    .bind(booking.total_cents)
    .bind(booking.created_at)
    .bind(event_id)
    .execute(&mut **transaction)
    .await?;
    if inserted.rows_affected() == 1 {
        for (position, passenger) in booking.passengers.iter().enumerate() {
            sqlx::query("INSERT INTO passengers (booking_id, position, name, email, phone, age) VALUES ($1,$2,$3,$4,$5,$6)")
                .bind(booking_id)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .bind(&passenger.name)
                .bind(&passenger.email)
                .bind(&passenger.phone)
                .bind(i32::try_from(passenger.age).unwrap_or(i32::MAX))
                .execute(&mut **transaction)
                .await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct BookingRow {
    id: Uuid,
    launch_id: Uuid,
    traveler_id: Uuid,
    traveler_name: String,
    traveler_email: String,
    seats: i32,
    seat_numbers: Vec<i32>,
    price_per_seat_cents: i64,
    total_cents: i64,
    status: String,
    created_at: DateTime<Utc>,
    refund_cents: i64,
    cancelled_at: Option<DateTime<Utc>>,
    cancellation_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct PassengerRow {
    booking_id: Uuid,
    name: String,
    email: String,
    phone: String,
    age: i32,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdminBooking {
    pub id: Uuid,
    pub launch_id: Uuid,
    pub traveler_id: Uuid,
    pub traveler_name: String,
    pub traveler_email: String,
    pub seats: i32,
    pub seat_numbers: Vec<i32>,
    pub price_per_seat_cents: i64,
    pub total_cents: i64,
    pub status: String,
    pub passengers: Vec<Passenger>,
    pub created_at: DateTime<Utc>,
    /// What the agency owes back (0 unless cancelled with a refund).
    pub refund_cents: i64,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancellation_reason: Option<String>,
}

/// Bookings visible to the caller: of one agency's launches, or all; optionally of one launch.
#[tracing::instrument(skip_all)]
pub async fn list(
    pool: &PgPool,
    agency_id: Option<Uuid>,
    launch_id: Option<Uuid>,
) -> Result<Vec<AdminBooking>, sqlx::Error> {
    let rows: Vec<BookingRow> = sqlx::query_as(
        "SELECT b.id, b.launch_id, b.traveler_id, b.traveler_name, b.traveler_email, b.seats, b.seat_numbers, \
         b.price_per_seat_cents, b.total_cents, b.status, b.created_at, b.refund_cents, b.cancelled_at, \
         b.cancellation_reason FROM bookings b JOIN launches l ON l.id = b.launch_id \
         WHERE ($1::uuid IS NULL OR l.agency_id = $1) AND ($2::uuid IS NULL OR b.launch_id = $2) ORDER BY b.created_at DESC LIMIT 1000",
    )
    .bind(agency_id)
    .bind(launch_id)
    .fetch_all(pool)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let passengers: Vec<PassengerRow> = sqlx::query_as(
        "SELECT booking_id, name, email, phone, age FROM passengers WHERE booking_id = ANY($1) ORDER BY booking_id, position",
    )
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AdminBooking {
            passengers: passengers
                .iter()
                .filter(|passenger| passenger.booking_id == row.id)
                .map(|passenger| Passenger {
                    name: passenger.name.clone(),
                    email: passenger.email.clone(),
                    phone: passenger.phone.clone(),
                    age: u32::try_from(passenger.age).unwrap_or_default(),
                })
                .collect(),
            id: row.id,
            launch_id: row.launch_id,
            traveler_id: row.traveler_id,
            traveler_name: row.traveler_name,
            traveler_email: row.traveler_email,
            seats: row.seats,
            seat_numbers: row.seat_numbers,
            price_per_seat_cents: row.price_per_seat_cents,
            total_cents: row.total_cents,
            status: row.status,
            created_at: row.created_at,
            refund_cents: row.refund_cents,
            cancelled_at: row.cancelled_at,
            cancellation_reason: row.cancellation_reason,
        })
        .collect())
}
