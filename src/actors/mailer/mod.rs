//! The mailer: turns events into emails. Each email is recorded in the system DB first
//! (pending), then sent over SMTP with retries, then marked sent or failed.

pub mod templates;

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::domain::booking::CancellationCause;
use crate::domain::launch::LaunchStatus;
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{
    BOOKING_CANCELLED, BOOKING_CONFIRMED, BookingCancelled, BookingConfirmed, LAUNCH_CHANGED,
    LaunchSnapshot, USER_REGISTERED, UserRegistered,
};
use crate::storage::mongo::system::{NotificationDocument, NotificationStatus, SystemStore};
use crate::storage::smtp::Mailer;
use templates::{
    BOOKING_CANCELLED_AGENCY, BOOKING_CANCELLED_TRAVELER, BOOKING_CONFIRMED_AGENCY,
    BOOKING_CONFIRMED_TRAVELER, LAUNCH_ABORTED_AGENCY, LAUNCH_ABORTED_TRAVELER, Template, WELCOME,
    dollars, render,
};

const SEND_ATTEMPTS: u32 = 4;
const FIRST_SEND_RETRY: Duration = Duration::from_millis(500);

pub struct MailerHandler {
    pub store: SystemStore,
    pub mailer: Mailer,
    pub public_base_url: String,
}

struct Email {
    recipient_name: String,
    recipient_email: String,
    subject: String,
    body: String,
}

fn utc_minutes(time: chrono::DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn compose(
    template: &Template,
    recipient_name: &str,
    recipient_email: &str,
    values: &HashMap<&str, String>,
) -> Email {
    Email {
        recipient_name: recipient_name.to_owned(),
        recipient_email: recipient_email.to_owned(),
        subject: render(template.subject, values),
        body: render(template.body, values),
    }
}

impl MailerHandler {
    fn emails_for(&self, event: &EventEnvelope) -> Result<Vec<Email>, HandlerError> {
        let malformed = |error: serde_json::Error| {
            HandlerError::Permanent(format!("malformed event data: {error}"))
        };
        match event.event_type.as_str() {
            USER_REGISTERED => {
                let user: UserRegistered = event.data_as().map_err(malformed)?;
                let values = HashMap::from([
                    ("name", user.name.clone()),
                    ("email", user.email.clone()),
                    ("link", self.public_base_url.clone()),
                ]);
                Ok(vec![compose(&WELCOME, &user.name, &user.email, &values)])
            }
            BOOKING_CONFIRMED => {
                let booking: BookingConfirmed = event.data_as().map_err(malformed)?;
                let mut values = self.booking_values(&booking);
                let to_traveler = compose(
                    &BOOKING_CONFIRMED_TRAVELER,
                    &booking.traveler_name,
                    &booking.traveler_email,
                    &values,
                );
                values.insert("name", booking.agency_name.clone());
                let to_agency = compose(
                    &BOOKING_CONFIRMED_AGENCY,
                    &booking.agency_name,
                    &booking.agency_email,
                    &values,
                );
                Ok(vec![to_traveler, to_agency])
            }
            BOOKING_CANCELLED => {
                let cancelled: BookingCancelled = event.data_as().map_err(malformed)?;
                let booking = &cancelled.booking;
                let mut values = self.booking_values(booking);
                values.insert("refund", dollars(cancelled.cancellation.refund_cents));
                values.insert(
                    "refund_percent",
                    cancelled.cancellation.refund_percent.to_string(),
                );
                values.insert(
                    "reason",
                    cancelled.cancellation.reason.clone().unwrap_or_default(),
                );
                values.insert(
                    "seats_note",
                    if cancelled.cancellation.seats_released {
                        "The seats are free again."
                    } else {
                        "Cancelled less than 3 months before the launch: the seats stay sold."
                    }
                    .to_owned(),
                );
                if cancelled.cancellation.cause == CancellationCause::LaunchAborted {
                    // The agency hears of the abort once, from the launch change.
                    return Ok(vec![compose(
                        &LAUNCH_ABORTED_TRAVELER,
                        &booking.traveler_name,
                        &booking.traveler_email,
                        &values,
                    )]);
                }
                let to_traveler = compose(
                    &BOOKING_CANCELLED_TRAVELER,
                    &booking.traveler_name,
                    &booking.traveler_email,
                    &values,
                );
                values.insert("name", booking.agency_name.clone());
                let to_agency = compose(
                    &BOOKING_CANCELLED_AGENCY,
                    &booking.agency_name,
                    &booking.agency_email,
                    &values,
                );
                Ok(vec![to_traveler, to_agency])
            }
            LAUNCH_CHANGED => {
                let launch: LaunchSnapshot = event.data_as().map_err(malformed)?;
                if launch.status != LaunchStatus::Aborted {
                    return Ok(Vec::new());
                }
                let values = HashMap::from([
                    ("name", launch.agency_name.clone()),
                    ("mission", launch.mission_name.clone()),
                    ("launch_at", utc_minutes(launch.launch_at)),
                    ("reason", launch.status_reason.clone().unwrap_or_default()),
                ]);
                Ok(vec![compose(
                    &LAUNCH_ABORTED_AGENCY,
                    &launch.agency_name,
                    &launch.agency_email,
                    &values,
                )])
            }
            other => Err(HandlerError::Permanent(format!("no email for {other}"))),
        }
    }

    /// The placeholders every booking email uses, addressed to the traveller.
    fn booking_values(&self, booking: &BookingConfirmed) -> HashMap<&'static str, String> {
        let passengers: Vec<&str> = booking
            .passengers
            .iter()
            .map(|passenger| passenger.name.as_str())
            .collect();
        let seat_numbers: Vec<String> = booking.seat_numbers.iter().map(u32::to_string).collect();
        HashMap::from([
            ("booking_id", booking.booking_id.clone()),
            ("mission", booking.mission_name.clone()),
            ("launch_at", utc_minutes(booking.launch_at)),
            ("seats", booking.seats.to_string()),
            ("seat_numbers", seat_numbers.join(", ")),
            ("passengers", passengers.join(", ")),
            ("total", dollars(booking.total_cents)),
            ("traveler", booking.traveler_name.clone()),
            (
                "link",
                format!("{}/launches/{}", self.public_base_url, booking.launch_slug),
            ),
            ("name", booking.traveler_name.clone()),
        ])
    }

    async fn deliver(&self, event: &EventEnvelope, email: Email) -> Result<(), HandlerError> {
        let now = Utc::now();
        let pending = NotificationDocument {
            id: format!("{}:{}", event.event_id, email.recipient_email),
            event: event.event_type.clone(),
            recipient_email: email.recipient_email.clone(),
            recipient_name: email.recipient_name.clone(),
            subject: email.subject.clone(),
            body: email.body.clone(),
            status: NotificationStatus::Pending,
            attempts: 0,
            last_error: None,
            created_at: now,
            updated_at: now,
        };
        let stored = self
            .store
            .record_notification(&pending)
            .await
            .map_err(|error| HandlerError::Transient(error.to_string()))?;
        if stored.status != NotificationStatus::Pending {
            return Ok(());
        }
        let mut attempts = stored.attempts;
        loop {
            attempts += 1;
            match self
                .mailer
                .send(
                    &email.recipient_name,
                    &email.recipient_email,
                    &email.subject,
                    &email.body,
                )
                .await
            {
                Ok(()) => {
                    return self
                        .store
                        .update_notification(&stored.id, NotificationStatus::Sent, attempts, None)
                        .await
                        .map_err(|error| HandlerError::Transient(error.to_string()));
                }
                Err(error) => {
                    let message = error.to_string();
                    tracing::warn!(notification_id = %stored.id, attempts, error = %message, "email delivery failed");
                    let give_up = attempts >= SEND_ATTEMPTS;
                    let status = if give_up {
                        NotificationStatus::Failed
                    } else {
                        NotificationStatus::Pending
                    };
                    self.store
                        .update_notification(&stored.id, status, attempts, Some(message))
                        .await
                        .map_err(|error| HandlerError::Transient(error.to_string()))?;
                    if give_up {
                        return Ok(());
                    }
                    tokio::time::sleep(
                        FIRST_SEND_RETRY.saturating_mul(2u32.saturating_pow(attempts)),
                    )
                    .await;
                }
            }
        }
    }
}

#[async_trait::async_trait]
impl EventHandler for MailerHandler {
    #[tracing::instrument(skip_all, fields(event_type = %event.event_type, event_id = %event.event_id))]
    async fn handle(&self, event: &EventEnvelope) -> Result<(), HandlerError> {
        for email in self.emails_for(event)? {
            self.deliver(event, email).await?;
        }
        Ok(())
    }
}
