//! The scheduler's rules: which jobs there are, the key of each unit of work they do (one run
//! of one scheduler process does a unit, however many try), and when a failed email is tried
//! again.

use chrono::{DateTime, Duration, Utc};

use super::RuleViolation;

/// The time-driven jobs the scheduler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobName {
    MinimumPassengerDecision,
    VipEarlyNotice,
    NotificationRetries,
    InvoiceReminders,
}

impl JobName {
    pub const ALL: [JobName; 4] = [
        JobName::MinimumPassengerDecision,
        JobName::VipEarlyNotice,
        JobName::NotificationRetries,
        JobName::InvoiceReminders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobName::MinimumPassengerDecision => "minimum-passenger-decision",
            JobName::VipEarlyNotice => "vip-early-notice",
            JobName::NotificationRetries => "notification-retries",
            JobName::InvoiceReminders => "invoice-reminders",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            JobName::MinimumPassengerDecision => {
                "Three calendar months before each launch scheduled earlier, confirms it if its \
                 minimum passengers booked, otherwise aborts it (insufficient_passengers)."
            }
            JobName::VipEarlyNotice => {
                "Tells the VIP travellers, once, of each scheduled launch that can still be booked."
            }
            JobName::InvoiceReminders => {
                "Reminds each agency of an overdue invoice the day it is overdue, then every few \
                 days (ASTRO_INVOICE_REMINDER_EVERY_DAYS) while it stays unpaid."
            }
            JobName::NotificationRetries => {
                "Sends again the emails whose delivery failed, on the retry schedule, then gives up."
            }
        }
    }

    pub fn parse(name: &str) -> Result<Self, RuleViolation> {
        Self::ALL
            .into_iter()
            .find(|job| job.as_str() == name)
            .ok_or_else(|| RuleViolation::new(format!("no job is named {name:?}")))
    }
}

/// What identifies one unit of work: claimed once in the operations DB, so that two runs (two
/// ticks, two scheduler processes, a run started by hand) never do it twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitKey(String);

impl UnitKey {
    /// The minimum-passenger decision of one launch.
    pub fn decision(launch_id: &str) -> Self {
        Self(format!("decide:{launch_id}"))
    }

    /// The `number`-th overdue reminder of one invoice.
    pub fn invoice_reminder(invoice_id: &str, number: u32) -> Self {
        Self(format!("remind:{invoice_id}:{number}"))
    }

    /// The early notice of one launch to its VIPs.
    pub fn vip_notice(launch_id: &str) -> Self {
        Self(format!("vip:{launch_id}"))
    }

    /// One delivery attempt of one notification; the consumer makes attempt 1, the job the rest.
    pub fn retry(notification_id: &str, attempt: u32) -> Self {
        Self(format!("retry:{notification_id}:{attempt}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long after each failed delivery attempt the next one is made: the last outlasts an SMTP
/// outage of an hour (shared/domain.md). After the last retry fails, the notification failed.
pub const NOTIFICATION_RETRY_MINUTES: [i64; 4] = [1, 5, 15, 60];

/// What follows a failed delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailedAttempt {
    RetryAt(DateTime<Utc>),
    GiveUp,
}

/// `attempt` is the number of the attempt that failed (the first is 1), `failed_at` when.
pub fn after_failed_attempt(attempt: u32, failed_at: DateTime<Utc>) -> AfterFailedAttempt {
    let delay = usize::try_from(attempt)
        .ok()
        .and_then(|attempt| attempt.checked_sub(1))
        .and_then(|index| NOTIFICATION_RETRY_MINUTES.get(index));
    match delay {
        Some(minutes) => AfterFailedAttempt::RetryAt(failed_at + Duration::minutes(*minutes)),
        None => AfterFailedAttempt::GiveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-03T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::minutes(i64::from(minute))
    }

    #[test]
    fn failed_attempts_are_retried_after_one_five_fifteen_and_sixty_minutes() {
        assert_eq!(
            after_failed_attempt(1, at(0)),
            AfterFailedAttempt::RetryAt(at(1))
        );
        assert_eq!(
            after_failed_attempt(2, at(1)),
            AfterFailedAttempt::RetryAt(at(6))
        );
        assert_eq!(
            after_failed_attempt(3, at(6)),
            AfterFailedAttempt::RetryAt(at(21))
        );
        assert_eq!(
            after_failed_attempt(4, at(21)),
            AfterFailedAttempt::RetryAt(at(81))
        );
    }

    #[test]
    fn the_fifth_failed_attempt_gives_up() {
        assert_eq!(after_failed_attempt(5, at(81)), AfterFailedAttempt::GiveUp);
        assert_eq!(after_failed_attempt(6, at(81)), AfterFailedAttempt::GiveUp);
    }

    #[test]
    fn an_attempt_numbered_zero_is_not_retried() {
        assert_eq!(after_failed_attempt(0, at(0)), AfterFailedAttempt::GiveUp);
    }

    #[test]
    fn unit_keys_name_the_job_the_entity_and_the_attempt() {
        assert_eq!(UnitKey::vip_notice("l-1").as_str(), "vip:l-1");
        assert_eq!(
            UnitKey::retry("e-1:a@b.test", 2).as_str(),
            "retry:e-1:a@b.test:2"
        );
        assert_ne!(UnitKey::retry("n", 2), UnitKey::retry("n", 3));
    }

    #[test]
    fn job_names_parse_back_and_unknown_ones_are_refused() {
        for job in JobName::ALL {
            assert_eq!(JobName::parse(job.as_str()), Ok(job));
        }
        assert!(JobName::parse("reminders").is_err());
    }
}
