//! The mailer: turns events into emails. Each email is recorded in the system DB first
//! (pending), then tried once over SMTP and marked sent or, on failure, left pending with the
//! time of its next attempt, which the scheduler's `notification-retries` job makes
//! (`delivery`): the consumer never waits between attempts.

pub mod compose;
pub mod delivery;
pub mod templates;

use crate::actors::sync::{EventHandler, HandlerError};
use crate::clock::SharedClock;
use crate::storage::amqp::EventEnvelope;
use base64::Engine;
use base64::prelude::BASE64_STANDARD;

use crate::storage::mongo::system::{
    NotificationAttachment, NotificationDocument, NotificationStatus, SystemStore,
};
use crate::storage::smtp::Mailer;
use compose::{Email, Links, emails_for};

pub struct MailerHandler {
    pub store: SystemStore,
    pub mailer: Mailer,
    pub public_base_url: String,
    pub clock: SharedClock,
}

impl MailerHandler {
    /// Records the email, then makes its first attempt, once: a redelivered event finds it
    /// recorded and leaves the later attempts to the retry job.
    async fn deliver(&self, event: &EventEnvelope, email: Email) -> Result<(), HandlerError> {
        let now = self.clock.now();
        let pending = NotificationDocument {
            id: format!("{}:{}", event.event_id, email.recipient_email),
            event: event.event_type.clone(),
            recipient_email: email.recipient_email,
            recipient_name: email.recipient_name,
            subject: email.subject,
            body: email.text,
            html_body: Some(email.html),
            attachment: email.attachment.map(|file| NotificationAttachment {
                filename: file.filename,
                content_type: file.content_type.to_owned(),
                content_base64: BASE64_STANDARD.encode(file.bytes),
            }),
            status: NotificationStatus::Pending,
            attempts: 0,
            last_error: None,
            next_attempt_at: None,
            created_at: now,
            updated_at: now,
        };
        let first_attempt_is_ours = self
            .store
            .record_notification(&pending)
            .await
            .map_err(|error| HandlerError::Transient(error.to_string()))?;
        if !first_attempt_is_ours {
            return Ok(());
        }
        delivery::attempt(&self.store, &self.mailer, &self.clock, &pending, 1)
            .await
            .map(|_| ())
            .map_err(|error| HandlerError::Transient(error.to_string()))
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
