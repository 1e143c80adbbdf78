//! One delivery attempt of a recorded notification, made by whoever claimed it (the mailer's
//! consumer claims the first by recording the notification, the `notification-retries` job
//! each later one by its unit key): send over SMTP, then store sent, pending with the time of
//! the next attempt (the retry schedule), or failed after the last.

use crate::clock::SharedClock;
use crate::domain::scheduling::{AfterFailedAttempt, after_failed_attempt};
use crate::storage::mongo::system::{
    DeliveryAttempt, NotificationDocument, NotificationStatus, StoreError, SystemStore,
};
use crate::storage::smtp::Mailer;

/// Makes attempt number `attempt` and stores its outcome, which it returns.
#[tracing::instrument(skip_all, fields(notification_id = %notification.id, attempt))]
pub async fn attempt(
    store: &SystemStore,
    mailer: &Mailer,
    clock: &SharedClock,
    notification: &NotificationDocument,
    attempt: u32,
) -> Result<DeliveryAttempt, StoreError> {
    let sent = mailer
        .send(
            &notification.recipient_name,
            &notification.recipient_email,
            &notification.subject,
            &notification.body,
            notification.html_body.as_deref(),
            notification.attachment.as_ref(),
        )
        .await;
    let at = clock.now();
    let outcome = match sent {
        Ok(()) => DeliveryAttempt {
            status: NotificationStatus::Sent,
            attempts: attempt,
            last_error: None,
            next_attempt_at: None,
            at,
        },
        Err(error) => {
            let message = error.to_string();
            tracing::warn!(error = %message, "email delivery failed");
            let (status, next_attempt_at) = match after_failed_attempt(attempt, at) {
                AfterFailedAttempt::RetryAt(next) => (NotificationStatus::Pending, Some(next)),
                AfterFailedAttempt::GiveUp => (NotificationStatus::Failed, None),
            };
            DeliveryAttempt {
                status,
                attempts: attempt,
                last_error: Some(message),
                next_attempt_at,
                at,
            }
        }
    };
    store
        .record_delivery_attempt(&notification.id, &outcome)
        .await?;
    Ok(outcome)
}
