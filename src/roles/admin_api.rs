//! The admin role: the operations DB (migrated at start), its outbox relay and sync consumer,
//! and the agencies' and employees' routes.

use std::net::TcpListener;
use std::sync::Arc;

use actix::Actor;
use actix_web::web;
use utoipa::OpenApi;

use crate::actors::health::ActorRegistry;
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::actors::sync::admin::AdminSyncHandler;
use crate::actors::sync::outbox_relay::Flush;
use crate::actors::sync::{EventConsumer, OutboxRelay};
use crate::config::Role;
use crate::http::admin::{self, AdminState};
use crate::http::health::HealthState;
use crate::http::openapi::BearerSecurity;
use crate::roles::scheduler::{flush_audit_log, start_audit_log};
use crate::roles::{
    BusReadiness, RoleContext, RunningRole, StopAction, serve, start_revocation_listener,
};
use crate::storage::ReadinessCheck;
use crate::storage::amqp::Consumer;
use crate::storage::postgres::PostgresReadiness;
use crate::storage::postgres::outbox::PostgresOutbox;
use crate::usecases::launches::LaunchUseCases;

#[derive(OpenApi)]
#[openapi(
    info(title = "Astro Bookings admin API", description = "Rockets, launches and bookings in the operations DB."),
    paths(admin::rockets::list_rockets, admin::rockets::create_rocket, admin::rockets::update_rocket, admin::rockets::deactivate_rocket, admin::profile::agency_profile, admin::profile::update_agency_profile, admin::launches::list_launches, admin::launches::schedule_launch, admin::launches::get_launch, admin::launches::change_status, admin::launches::abort_launch, admin::launches::list_passengers, admin::bookings::list_bookings, admin::invoices::list_invoices, admin::invoices::get_invoice, admin::invoices::invoice_pdf, admin::invoices::resend_invoice, admin::invoices::record_payment, admin::reports::revenue),
    modifiers(&BearerSecurity)
)]
struct AdminApi;

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    let pool = crate::storage::postgres::connect(&context.settings).await?;
    crate::storage::postgres::migrate(&pool).await?;

    let registry = ActorRegistry::default();
    let audit = start_audit_log("admin", context, &registry);
    let relay = AddressSlot::<OutboxRelay>::default();
    {
        let relay_slot = relay.clone();
        let relay_pool = pool.clone();
        let relay_bus = context.bus.clone();
        let relay_registry = registry.clone();
        let consumer_bus = context.bus.clone();
        let consumer_registry = registry.clone();
        let consumer_shutdown = context.consumers.clone();
        let handler = Arc::new(AdminSyncHandler {
            pool: pool.clone(),
            clock: context.clock.clone(),
            invoice_terms: context.settings.invoice_terms,
        });
        Supervisor::new("admin-sync-supervisor", registry.clone())
            .with_child(ActorChild::new("admin-outbox", move || {
                let outbox = Arc::new(PostgresOutbox(relay_pool.clone()));
                relay_slot.set(
                    OutboxRelay::new(
                        "admin-outbox",
                        outbox,
                        relay_bus.clone(),
                        relay_registry.clone(),
                    )
                    .start(),
                )
            }))
            .with_child(ActorChild::new("admin-sync-consumer", move || {
                EventConsumer::new(
                    "admin-sync-consumer",
                    consumer_bus.clone(),
                    Consumer::AdminSync,
                    handler.clone(),
                    consumer_registry.clone(),
                    "admin",
                    consumer_shutdown.clone(),
                )
                .start()
            }))
            .start();
    }

    let revoked = start_revocation_listener(Role::Admin, context, &registry).await?;
    let checks: Vec<Arc<dyn ReadinessCheck>> = vec![
        Arc::new(PostgresReadiness(pool.clone())),
        Arc::new(BusReadiness(context.bus.clone())),
    ];
    let health = HealthState {
        role: "admin",
        registry,
        checks: Arc::new(checks),
    };
    let state = web::Data::new(AdminState {
        pool: pool.clone(),
        clock: context.clock.clone(),
        audit: audit.clone(),
        relay: relay.clone(),
        launches: LaunchUseCases {
            pool: pool.clone(),
            audit: audit.clone(),
            relay: relay.clone(),
            clock: context.clock.clone(),
        },
    });
    let drain: StopAction = Box::new(move || {
        Box::pin(async move {
            if let Some(relay) = relay.get() {
                let _flushed = relay.send(Flush).await;
            }
            pool.close().await;
        })
    });
    let running = serve(
        Role::Admin,
        context,
        listener,
        health,
        AdminApi::openapi(),
        revoked,
        move |config| {
            config.app_data(state.clone());
            admin::routes(config);
        },
    )?;
    Ok(running.stopping_with(vec![drain, flush_audit_log(audit)]))
}
