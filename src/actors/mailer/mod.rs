//! The mailer: turns events into emails. Each email is recorded in the system DB first
//! (pending), then sent over SMTP with retries, then marked sent or failed.

pub mod compose;
pub mod templates;

use std::time::Duration;

use chrono::Utc;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::storage::amqp::EventEnvelope;
use crate::storage::mongo::system::{NotificationDocument, NotificationStatus, SystemStore};
use crate::storage::smtp::Mailer;
use compose::{Email, Links, emails_for};

const SEND_ATTEMPTS: u32 = 4;
const FIRST_SEND_RETRY: Duration = Duration::from_millis(500);

pub struct MailerHandler {
    pub store: SystemStore,
    pub mailer: Mailer,
    pub public_base_url: String,
}

impl MailerHandler {
    async fn deliver(&self, event: &EventEnvelope, email: Email) -> Result<(), HandlerError> {
        let now = Utc::now();
        let pending = NotificationDocument {
            id: format!("{}:{}", event.event_id, email.recipient_email),
            event: event.event_type.clone(),
            recipient_email: email.recipient_email.clone(),
            recipient_name: email.recipient_name.clone(),
            subject: email.subject.clone(),
            body: email.text.clone(),
            html_body: Some(email.html.clone()),
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
                    &email.text,
                    Some(&email.html),
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
        for email in emails_for(&Links::new(&self.public_base_url), event)? {
            self.deliver(event, email).await?;
        }
        Ok(())
    }
}
