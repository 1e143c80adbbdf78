//! The job runner of the scheduler role, on apalis with its PostgreSQL storage. Every tick
//! (`ASTRO_SCHEDULER_TICK_SECS`) the ticker enqueues one task per job, keyed by the job and the
//! tick's slot of the clock: apalis's unique idempotency key keeps one task per job and slot
//! whichever processes enqueue it, and its workers (one in each scheduler process) take each
//! task once, with a heartbeat and re-enqueueing when a process died holding one. The run itself
//! (`jobs`) claims its units by key, which is what makes each unit of work happen once.

pub mod jobs;

use std::time::Duration;

use actix::{Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, WrapFuture};
use apalis::prelude::{BackendExt, BoxDynError, Data, TaskBuilder, TaskSink, WorkerBuilder};
use apalis_postgres::{Config, PostgresStorage};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::domain::scheduling::JobName;
use jobs::{JobRunner, NextTick, Trigger};

pub const SCHEDULER_TICKER: &str = "scheduler-ticker";
/// The apalis queue (its `job_type`) of the scheduler's tick tasks.
const QUEUE: &str = "astro.scheduler.tick";
/// How often a worker looks for tick tasks (apalis's own default waits far longer).
const WORKER_POLL: Duration = Duration::from_millis(500);

/// The task apalis carries: run this job (for the tick that enqueued it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobTick {
    pub job: String,
}

/// The apalis storage of the tick tasks; its schema (`apalis.*`) is set up by `setup`.
pub fn tick_storage(pool: &sqlx::PgPool) -> PostgresStorage<JobTick> {
    PostgresStorage::new(pool).with_config(Config::default().queue(QUEUE))
}

/// Creates or updates apalis's own schema, kept apart from ours (`apalis._sqlx_migrations`).
pub async fn setup(pool: &sqlx::PgPool) -> Result<(), apalis_postgres::Error> {
    PostgresStorage::<()>::setup(pool).await
}

/// The key of one job's task for the tick slot the clock is in: two processes ticking in the
/// same slot enqueue one task.
fn tick_key(job: JobName, now: chrono::DateTime<chrono::Utc>, tick: Duration) -> String {
    let tick_secs = i64::try_from(tick.as_secs().max(1)).unwrap_or(i64::MAX);
    format!(
        "tick:{}:{}",
        job.as_str(),
        now.timestamp().div_euclid(tick_secs)
    )
}

async fn run_tick(task: JobTick, runner: Data<JobRunner>) -> Result<(), BoxDynError> {
    let job = JobName::parse(&task.job)?;
    runner.run(job, Trigger::Tick).await?;
    Ok(())
}

/// Enqueues the tick tasks and owns this process's apalis worker, which it stops on `Stop`.
pub struct SchedulerTicker {
    runner: JobRunner,
    storage: PostgresStorage<JobTick>,
    tick: Duration,
    next_tick: NextTick,
    registry: ActorRegistry,
    worker_stop: Option<oneshot::Sender<()>>,
    worker: Option<tokio::task::JoinHandle<()>>,
}

impl SchedulerTicker {
    pub fn new(
        runner: JobRunner,
        storage: PostgresStorage<JobTick>,
        tick: Duration,
        next_tick: NextTick,
        registry: ActorRegistry,
    ) -> Self {
        Self {
            runner,
            storage,
            tick,
            next_tick,
            registry,
            worker_stop: None,
            worker: None,
        }
    }

    fn start_worker(&mut self) {
        let (stop, stopped) = oneshot::channel::<()>();
        let worker = WorkerBuilder::new(format!("astro-scheduler-{}", uuid::Uuid::now_v7()))
            .backend(self.storage.clone().poll_with_interval(WORKER_POLL))
            .data(self.runner.clone())
            .build(run_tick);
        let handle = tokio::spawn(async move {
            // Ends when told to stop, or when this actor is gone (the sender dropped).
            let signal = async move {
                let _either_way = stopped.await;
                Ok::<(), std::io::Error>(())
            };
            if let Err(error) = worker.run_until(signal).await {
                tracing::warn!(error = %error, "scheduler worker ended with an error");
            }
        });
        self.worker_stop = Some(stop);
        self.worker = Some(handle);
    }

    fn enqueue_ticks(&mut self, ctx: &mut Context<Self>) {
        let now = self.runner.clock.now();
        let tick = self.tick;
        self.next_tick
            .set(now + chrono::Duration::from_std(tick).unwrap_or_default());
        let mut storage = self.storage.clone();
        let work = async move {
            for job in JobName::ALL {
                let task = TaskBuilder::new(JobTick {
                    job: job.as_str().to_owned(),
                })
                .idempotency_key(tick_key(job, now, tick))
                .build();
                // A duplicate key is another process's task for this slot: nothing to add.
                if let Err(error) = storage.push_task(task).await {
                    tracing::debug!(job = job.as_str(), error = %error, "tick not enqueued");
                }
            }
        };
        ctx.spawn(work.into_actor(self).map(|(), _, _| ()));
    }
}

impl Actor for SchedulerTicker {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry
            .set_state(SCHEDULER_TICKER, ActorState::Running);
        self.start_worker();
        self.next_tick.set(
            self.runner.clock.now() + chrono::Duration::from_std(self.tick).unwrap_or_default(),
        );
        ctx.run_interval(HEARTBEAT_INTERVAL, |ticker, _| {
            ticker.registry.heartbeat(SCHEDULER_TICKER)
        });
        ctx.run_interval(self.tick, |ticker, ctx| ticker.enqueue_ticks(ctx));
    }

    fn stopped(&mut self, _: &mut Self::Context) {
        self.registry
            .set_state(SCHEDULER_TICKER, ActorState::Stopped);
    }
}

/// Stops ticking and asks the worker to finish the run it is in; answers with the worker's
/// handle, to be awaited.
#[derive(Message)]
#[rtype(result = "Option<tokio::task::JoinHandle<()>>")]
pub struct Stop;

impl Handler<Stop> for SchedulerTicker {
    type Result = Option<tokio::task::JoinHandle<()>>;

    fn handle(&mut self, _: Stop, ctx: &mut Self::Context) -> Self::Result {
        if let Some(stop) = self.worker_stop.take() {
            let _already_ended = stop.send(());
        }
        actix::ActorContext::stop(ctx);
        self.worker.take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_slot_has_one_key_per_job_and_the_next_slot_another() {
        let tick = Duration::from_secs(30);
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T12:00:05Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let same_slot = at + chrono::Duration::seconds(20);
        let next_slot = at + chrono::Duration::seconds(26);
        let job = JobName::NotificationRetries;
        assert_eq!(tick_key(job, at, tick), tick_key(job, same_slot, tick));
        assert_ne!(tick_key(job, at, tick), tick_key(job, next_slot, tick));
        assert_ne!(
            tick_key(JobName::VipEarlyNotice, at, tick),
            tick_key(job, at, tick)
        );
    }
}
