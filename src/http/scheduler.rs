//! The scheduler's routes (IT only): its jobs with their last run, next run and counts, and a
//! run started by hand.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::actors::audit_log::{AuditLog, Subject};
use crate::actors::scheduler::jobs::{JobRunner, NextTick, Trigger};
use crate::domain::scheduling::JobName;
use crate::http::auth::{Authorized, only};
use crate::http::error::ApiError;
use crate::http::request_id::current_request_id;
use crate::http::system::ActiveAccount;
use crate::storage::postgres::scheduler::{self as records, JobRun};

pub struct SchedulerState {
    pub runner: JobRunner,
    pub next_tick: NextTick,
    pub tick: Duration,
    pub audit: AuditLog,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RunCounts {
    pub succeeded: i64,
    pub failed: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Job {
    pub name: &'static str,
    pub description: &'static str,
    /// How often it runs, e.g. `every 30 s`.
    pub schedule: String,
    pub last_run: Option<JobRun>,
    /// This process's next tick, by the scheduler's clock.
    pub next_run_at: Option<DateTime<Utc>>,
    pub counts: RunCounts,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct JobListing {
    pub items: Vec<Job>,
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/api/scheduler/jobs", web::get().to(list_jobs))
        .route("/api/scheduler/jobs/{name}/run", web::post().to(run_job));
}

/// The scheduler's jobs: schedule, last run, next run and how many runs succeeded and failed.
#[utoipa::path(get, path = "/api/scheduler/jobs",
    responses((status = 200, body = JobListing), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn list_jobs(
    state: web::Data<SchedulerState>,
    _it: Authorized<only::It>,
) -> Result<HttpResponse, ApiError> {
    let mut items = Vec::with_capacity(JobName::ALL.len());
    for job in JobName::ALL {
        let history = records::job_history(&state.runner.pool, job.as_str())
            .await
            .map_err(ApiError::internal)?;
        items.push(Job {
            name: job.as_str(),
            description: job.description(),
            schedule: format!("every {} s", state.tick.as_secs()),
            last_run: history.last_run,
            next_run_at: state.next_tick.get(),
            counts: RunCounts {
                succeeded: history.succeeded,
                failed: history.failed,
            },
        });
    }
    Ok(HttpResponse::Ok().json(JobListing { items }))
}

/// Runs the job now, in this process, and answers with its recorded run; units another run
/// already claimed are not done again.
#[utoipa::path(post, path = "/api/scheduler/jobs/{name}/run",
    params(("name" = String, Path, description = "vip-early-notice or notification-retries")),
    responses((status = 200, body = JobRun), (status = 401), (status = 403), (status = 404)), security(("bearer" = [])))]
pub async fn run_job(
    state: web::Data<SchedulerState>,
    it: ActiveAccount<only::It>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let job = JobName::parse(&name).map_err(|_| ApiError::NotFound("job"))?;
    let run = state
        .runner
        .run(job, Trigger::Manual)
        .await
        .map_err(ApiError::internal)?;
    let request_id = current_request_id();
    let run_id = run.id.to_string();
    state.audit.info(
        "scheduler.job_run",
        Subject {
            user_id: Some(it.id()),
            entity_type: Some("job_run"),
            entity_id: Some(&run_id),
            request_id: Some(&request_id),
        },
        format!("{} run by hand: {}", job.as_str(), run.outcome),
        serde_json::json!({"job": job.as_str(), "units": run.units, "outcome": run.outcome}),
    );
    Ok(HttpResponse::Ok().json(run))
}
