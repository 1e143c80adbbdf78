//! The scheduler role: the job runner (apalis on the operations DB, `actors::scheduler`) under
//! its supervisor, and the jobs API. What its jobs publish goes to the operations DB's outbox,
//! which the admin role (that DB's owner) relays: a second relay on the same table would race it
//! and publish entries twice. It connects to
//! the operations DB (PostgreSQL: runs, unit claims, launches, outbox), the system DB (MongoDB:
//! the notifications it retries) and SMTP.

use std::net::TcpListener;
use std::sync::Arc;

use actix::Actor;
use actix_web::web;
use utoipa::OpenApi;

use crate::actors::audit_log::{AuditLog, AuditLogActor};
use crate::actors::health::ActorRegistry;
use crate::actors::scheduler::jobs::{JobRunner, NextTick};
use crate::actors::scheduler::{self, SCHEDULER_TICKER, SchedulerTicker};
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::config::Role;
use crate::http::health::HealthState;
use crate::http::openapi::BearerSecurity;
use crate::http::scheduler::{self as routes, SchedulerState};
use crate::roles::{
    BusReadiness, RoleContext, RunningRole, StopAction, serve, start_revocation_listener,
};
use crate::storage::ReadinessCheck;
use crate::storage::mongo::system::SystemStore;
use crate::storage::postgres::PostgresReadiness;
use crate::storage::smtp::Mailer;
use crate::usecases::launches::LaunchUseCases;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Astro Bookings scheduler",
        description = "The scheduler's jobs: their runs, and a run started by hand (IT)."
    ),
    paths(routes::list_jobs, routes::run_job),
    modifiers(&BearerSecurity)
)]
struct SchedulerApi;

/// Starts the audit-log actor of `service` under its supervisor; shared by every role.
pub fn start_audit_log(
    service: &'static str,
    context: &RoleContext,
    registry: &ActorRegistry,
) -> AuditLog {
    let slot = AddressSlot::<AuditLogActor>::default();
    let factory_slot = slot.clone();
    let bus = context.bus.clone();
    let child_registry = registry.clone();
    let supervisor = Supervisor::new(format!("{service}-audit-supervisor"), registry.clone())
        .with_child(ActorChild::new(format!("{service}-audit-log"), move || {
            factory_slot
                .set(AuditLogActor::new(service, bus.clone(), child_registry.clone()).start())
        }));
    supervisor.start();
    AuditLog::new(service, slot)
}

/// Ships buffered log entries before the process exits.
pub fn flush_audit_log(audit: AuditLog) -> crate::roles::StopAction {
    Box::new(move || {
        Box::pin(async move {
            if let Some(address) = audit.address() {
                let _sent = address.send(crate::actors::audit_log::FlushLogs).await;
            }
        })
    })
}

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    let settings = &context.settings;
    let pool = crate::storage::postgres::connect(settings).await?;
    crate::storage::postgres::migrate(&pool).await?;
    scheduler::setup(&pool).await?;
    let database = crate::storage::mongo::connect(
        &settings.system_mongo_url,
        &settings.system_mongo_db,
        "scheduler",
    )
    .await?;
    let system = SystemStore::new(&database);
    let registry = ActorRegistry::default();
    let audit = start_audit_log("scheduler", context, &registry);
    audit.info(
        "role.started",
        Default::default(),
        "scheduler role started",
        serde_json::json!({}),
    );
    let runner = JobRunner {
        pool: pool.clone(),
        // The admin role owns the outbox's relay: it publishes what the decisions write (a
        // second relay here would race it), so there is none to nudge.
        launches: LaunchUseCases {
            pool: pool.clone(),
            audit: audit.clone(),
            relay: AddressSlot::default(),
            clock: context.clock.clone(),
        },
        invoice_terms: settings.invoice_terms,
        system: system.clone(),
        mailer: Mailer::new(settings)?,
        clock: context.clock.clone(),
    };
    let ticker = AddressSlot::<SchedulerTicker>::default();
    let next_tick = NextTick::default();
    {
        let ticker_slot = ticker.clone();
        let ticker_runner = runner.clone();
        let storage = scheduler::tick_storage(&pool);
        let tick = settings.scheduler_tick;
        let ticker_next = next_tick.clone();
        let ticker_registry = registry.clone();
        Supervisor::new("scheduler-supervisor", registry.clone())
            .with_child(ActorChild::new(SCHEDULER_TICKER, move || {
                ticker_slot.set(
                    SchedulerTicker::new(
                        ticker_runner.clone(),
                        storage.clone(),
                        tick,
                        ticker_next.clone(),
                        ticker_registry.clone(),
                    )
                    .start(),
                )
            }))
            .start();
    }

    let revoked = start_revocation_listener(Role::Scheduler, context, &registry).await?;
    let checks: Vec<Arc<dyn ReadinessCheck>> = vec![
        Arc::new(PostgresReadiness(pool.clone())),
        Arc::new(BusReadiness(context.bus.clone())),
    ];
    let health = HealthState {
        role: "scheduler",
        registry,
        checks: Arc::new(checks),
    };
    let state = web::Data::new(SchedulerState {
        runner,
        next_tick,
        tick: settings.scheduler_tick,
        audit: audit.clone(),
    });
    let accounts = web::Data::new(system);
    let shutdown_timeout = settings.shutdown_timeout;
    let stop_jobs: StopAction = Box::new(move || {
        Box::pin(async move {
            if let Some(ticker) = ticker.get()
                && let Ok(Some(worker)) = ticker.send(scheduler::Stop).await
                && tokio::time::timeout(shutdown_timeout, worker)
                    .await
                    .is_err()
            {
                tracing::warn!("the scheduler's worker did not finish its run in time");
            }
            pool.close().await;
        })
    });
    let running = serve(
        Role::Scheduler,
        context,
        listener,
        health,
        SchedulerApi::openapi(),
        revoked,
        move |config| {
            config.app_data(state.clone());
            config.app_data(accounts.clone());
            routes::routes(config);
        },
    )?;
    Ok(running.stopping_with(vec![stop_jobs, flush_audit_log(audit)]))
}
