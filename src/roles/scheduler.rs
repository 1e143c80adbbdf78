//! The scheduler role. Today it runs its supervision tree (audit log) and health endpoints; the
//! time-driven jobs (minimum-passenger decisions, invoicing, reminders) join this tree.

use std::net::TcpListener;
use std::sync::Arc;

use actix::Actor;
use utoipa::OpenApi;

use crate::actors::audit_log::{AuditLog, AuditLogActor};
use crate::actors::health::ActorRegistry;
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::config::Role;
use crate::http::health::HealthState;
use crate::roles::{RoleContext, RunningRole, serve, start_revocation_listener};

#[derive(OpenApi)]
#[openapi(info(
    title = "Astro Bookings scheduler",
    description = "Health of the scheduler role."
))]
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
    let registry = ActorRegistry::default();
    let audit = start_audit_log("scheduler", context, &registry);
    audit.info(
        "role.started",
        Default::default(),
        "scheduler role started",
        serde_json::json!({}),
    );
    let revoked = start_revocation_listener(Role::Scheduler, context, &registry).await?;
    let health = HealthState {
        role: "scheduler",
        registry,
        checks: Arc::new(Vec::new()),
    };
    let running = serve(
        Role::Scheduler,
        context,
        listener,
        health,
        SchedulerApi::openapi(),
        revoked,
        |_| {},
    )?;
    Ok(running.stopping_with(vec![flush_audit_log(audit)]))
}
