//! The scheduler's jobs. A run is recorded before it starts and after it ends (outcome, units,
//! error); each unit of work it finds due is claimed by its key first, so whichever run claims a
//! unit does it and every other run, of this process or another, skips it.

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use crate::actors::mailer::delivery;
use crate::clock::SharedClock;
use crate::domain::invoice::{InvoiceTerms, reminder_due};
use crate::domain::scheduling::{JobName, UnitKey};
use crate::storage::amqp::EventEnvelope;
use crate::storage::amqp::events::{INVOICE_OVERDUE, LAUNCH_VIP_NOTICE, LaunchVipNotice, Origin};
use crate::storage::mongo::system::SystemStore;
use crate::storage::postgres::launches;
use crate::storage::postgres::profiles::AgencyRow;
use crate::storage::postgres::scheduler::{self as records, JobRun};
use crate::storage::postgres::{invoices, outbox};
use crate::storage::smtp::Mailer;
use crate::usecases::invoicing::{invoice_event, notice_of};
use crate::usecases::launches::{self as launches_usecases, DecisionOutcome, LaunchUseCases};

/// How many due units one run takes at most; the next tick takes the rest.
const UNITS_PER_RUN: i64 = 200;

/// What started a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Tick,
    Manual,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Tick => "tick",
            Trigger::Manual => "manual",
        }
    }
}

/// Runs the jobs against the stores they need; shared by the ticks and the jobs API.
#[derive(Clone)]
pub struct JobRunner {
    pub pool: PgPool,
    pub launches: LaunchUseCases,
    pub invoice_terms: InvoiceTerms,
    pub system: SystemStore,
    pub mailer: Mailer,
    pub clock: SharedClock,
}

impl JobRunner {
    /// Runs `job` once, recorded from start to end; a failing unit fails the run with its
    /// error, after the units done before it.
    #[tracing::instrument(skip_all, fields(job = job.as_str(), trigger = trigger.as_str()))]
    pub async fn run(&self, job: JobName, trigger: Trigger) -> Result<JobRun, sqlx::Error> {
        let run_id = Uuid::now_v7();
        records::start_run(
            &self.pool,
            run_id,
            job.as_str(),
            trigger.as_str(),
            self.clock.now(),
        )
        .await?;
        let mut units = 0u32;
        let result = match job {
            JobName::MinimumPassengerDecision => self.minimum_passengers(run_id, &mut units).await,
            JobName::VipEarlyNotice => self.vip_early_notice(run_id, &mut units).await,
            JobName::NotificationRetries => self.notification_retries(run_id, &mut units).await,
            JobName::InvoiceReminders => self.invoice_reminders(run_id, &mut units).await,
        };
        let (outcome, error) = match &result {
            Ok(()) => ("succeeded", None),
            Err(error) => {
                tracing::warn!(error = %error, units, "job run failed");
                ("failed", Some(format!("{error:#}")))
            }
        };
        records::finish_run(
            &self.pool,
            run_id,
            self.clock.now(),
            outcome,
            i32::try_from(units).unwrap_or(i32::MAX),
            error.as_deref(),
        )
        .await
    }

    /// Each launch at its decision point is confirmed or aborted by the lifecycle's use case,
    /// whose status-and-revision fence lets one decision through however many runs try; the
    /// run that made it records the unit `decide:<launch>`. A decision that failed is tried
    /// again by the next run.
    async fn minimum_passengers(&self, run_id: Uuid, units: &mut u32) -> anyhow::Result<()> {
        for launch_id in self.launches.launches_due_for_decision().await? {
            let outcome = self.launches.decide_minimum_passengers(launch_id).await?;
            if outcome == DecisionOutcome::Unchanged {
                continue;
            }
            let key = UnitKey::decision(&launch_id.to_string());
            let mut connection = self.pool.acquire().await?;
            records::claim_unit(
                &mut connection,
                key.as_str(),
                JobName::MinimumPassengerDecision.as_str(),
                run_id,
                self.clock.now(),
            )
            .await?;
            tracing::info!(%launch_id, ?outcome, "minimum-passenger decision");
            *units += 1;
        }
        Ok(())
    }

    /// Each invoice overdue today by the clock whose reminder is due (the first, or the next
    /// one `reminder_every_days` after the last) gets `invoice.overdue.v1`, written with the
    /// reminder's record in the transaction that claims `remind:<invoice>:<number>`.
    async fn invoice_reminders(&self, run_id: Uuid, units: &mut u32) -> anyhow::Result<()> {
        let today = self.clock.now().date_naive();
        for invoice in invoices::unpaid_past_due(&self.pool, today, UNITS_PER_RUN).await? {
            let status = invoice.status(today);
            if !reminder_due(
                status,
                invoice.last_reminded_on,
                today,
                self.invoice_terms.reminder_every_days,
            ) {
                continue;
            }
            let number = u32::try_from(invoice.reminders_sent)?.saturating_add(1);
            let key = UnitKey::invoice_reminder(&invoice.id.to_string(), number);
            let mut transaction = self.pool.begin().await?;
            let claimed = records::claim_unit(
                &mut transaction,
                key.as_str(),
                JobName::InvoiceReminders.as_str(),
                run_id,
                self.clock.now(),
            )
            .await?;
            if !claimed {
                continue;
            }
            let notice = notice_of(&invoice, number);
            let event = invoice_event(INVOICE_OVERDUE, &notice)?;
            invoices::record_reminder(&mut transaction, invoice.id, today, number, &event).await?;
            transaction.commit().await?;
            *units += 1;
        }
        Ok(())
    }

    /// Each scheduled launch still bookable gets one `launch.vip_notice.v1` naming exactly its
    /// VIPs, written to the outbox in the transaction that claims `vip:<launch>`.
    async fn vip_early_notice(&self, run_id: Uuid, units: &mut u32) -> anyhow::Result<()> {
        let now = self.clock.now();
        let launches =
            records::launches_awaiting_vip_notice(&self.pool, now, UNITS_PER_RUN).await?;
        for awaiting in launches {
            let Some(launch) = launches::find(&self.pool, awaiting.launch_id).await? else {
                continue;
            };
            let key = UnitKey::vip_notice(&launch.id.to_string());
            let mut transaction = self.pool.begin().await?;
            let claimed = records::claim_unit(
                &mut transaction,
                key.as_str(),
                JobName::VipEarlyNotice.as_str(),
                run_id,
                now,
            )
            .await?;
            if !claimed {
                continue;
            }
            let recipients = records::vip_travellers(&mut transaction, launch.id).await?;
            if !recipients.is_empty() {
                let notice = LaunchVipNotice {
                    launch: launches_usecases::snapshot(
                        &launch,
                        &AgencyRow {
                            user_id: launch.agency_id,
                            name: awaiting.agency_name.clone(),
                            contact_email: awaiting.agency_email.clone(),
                        },
                        Vec::new(),
                    )?,
                    recipients,
                };
                let origin = Origin {
                    service: "scheduler".to_owned(),
                    user_id: None,
                    action: JobName::VipEarlyNotice.as_str().to_owned(),
                };
                let event = EventEnvelope::new(
                    LAUNCH_VIP_NOTICE,
                    origin,
                    None,
                    serde_json::to_value(&notice)?,
                );
                outbox::append(&mut transaction, &event).await?;
            }
            transaction.commit().await?;
            *units += 1;
        }
        Ok(())
    }

    /// Each pending notification due by the clock gets its next attempt, claimed first as
    /// `retry:<notification>:<attempt>`: a second process, or a second run, finds it taken.
    async fn notification_retries(&self, run_id: Uuid, units: &mut u32) -> anyhow::Result<()> {
        let due = self
            .system
            .notifications_due(self.clock.now(), UNITS_PER_RUN)
            .await?;
        for notification in due {
            let attempt = notification.attempts.saturating_add(1);
            let key = UnitKey::retry(&notification.id, attempt);
            let mut connection = self.pool.acquire().await?;
            let claimed = records::claim_unit(
                &mut connection,
                key.as_str(),
                JobName::NotificationRetries.as_str(),
                run_id,
                self.clock.now(),
            )
            .await?;
            drop(connection);
            if !claimed {
                continue;
            }
            delivery::attempt(
                &self.system,
                &self.mailer,
                &self.clock,
                &notification,
                attempt,
            )
            .await?;
            *units += 1;
        }
        Ok(())
    }
}

/// When the next tick of this process is due, by the clock: the jobs API shows it.
#[derive(Clone, Default)]
pub struct NextTick(std::sync::Arc<std::sync::RwLock<Option<DateTime<Utc>>>>);

impl NextTick {
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut next) = self.0.write() {
            *next = Some(at);
        }
    }

    pub fn get(&self) -> Option<DateTime<Utc>> {
        self.0.read().ok().and_then(|next| *next)
    }
}
