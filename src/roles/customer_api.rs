//! The customer role: the customer DB, one actor per launch under the launch supervisor, the
//! sync actors (launches and travellers in, bookings out) and the public and traveller routes.

use std::net::TcpListener;
use std::sync::Arc;

use actix::Actor;
use actix_web::web;
use utoipa::OpenApi;

use crate::actors::health::ActorRegistry;
use crate::actors::launch::broadcast_listener::{BROADCAST_LISTENER, BroadcastListener};
use crate::actors::launch::directory::LaunchDependencies;
use crate::actors::launch::{LaunchBoard, LaunchDirectory};
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::actors::sync::customer::{BookingOutbox, CustomerSyncHandler};
use crate::actors::sync::outbox_relay::Flush;
use crate::actors::sync::{EventConsumer, OutboxRelay};
use crate::config::Role;
use crate::http::customer::{self, CustomerState};
use crate::http::health::HealthState;
use crate::http::openapi::BearerSecurity;
use crate::roles::scheduler::{flush_audit_log, start_audit_log};
use crate::roles::{
    BusReadiness, RoleContext, RunningRole, StopAction, serve, start_revocation_listener,
};
use crate::storage::ReadinessCheck;
use crate::storage::amqp::Consumer;
use crate::storage::mongo::MongoReadiness;
use crate::storage::mongo::customer::CustomerStore;

/// Launch actors hand their stored bookings' events to the relay; reading the outbox (which costs
/// a lookup per pending entry) is the safety net for events a handover missed.
const BOOKING_OUTBOX_POLL: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(OpenApi)]
#[openapi(
    info(title = "Astro Bookings customer API", description = "Public launch listing and travellers' bookings."),
    paths(customer::list_launches, customer::launch_by_slug, customer::create_booking, customer::my_bookings, customer::refund_preview, customer::cancel_booking),
    modifiers(&BearerSecurity)
)]
struct CustomerApi;

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    let settings = &context.settings;
    let database = crate::storage::mongo::connect(
        &settings.customer_mongo_url,
        &settings.customer_mongo_db,
        "customer-api",
    )
    .await?;
    let store = CustomerStore::new(&database);
    store.create_indexes().await?;

    let registry = ActorRegistry::default();
    let audit = start_audit_log("customer", context, &registry);
    let board = Arc::new(LaunchBoard::default());
    let process_id = uuid::Uuid::new_v4().simple().to_string();

    let booking_relay = AddressSlot::<OutboxRelay>::default();
    let launch_supervisor = Supervisor::new("launch-supervisor", registry.clone()).start();
    let dependencies = LaunchDependencies {
        store: store.clone(),
        board: Arc::clone(&board),
        registry: registry.clone(),
        bus: context.bus.clone(),
        process_id: process_id.clone(),
        booking_relay: booking_relay.clone(),
        clock: context.clock.clone(),
    };
    let directory = LaunchDirectory::new(
        launch_supervisor,
        dependencies,
        settings.launch_mailbox_capacity,
        settings.actor_timeout,
    );

    let sync_supervisor = {
        let relay_slot = booking_relay.clone();
        let relay_store = store.clone();
        let relay_bus = context.bus.clone();
        let relay_registry = registry.clone();
        let consumer_bus = context.bus.clone();
        let consumer_registry = registry.clone();
        let consumer_shutdown = context.consumers.clone();
        let handler = Arc::new(CustomerSyncHandler {
            store: store.clone(),
            directory: directory.clone(),
        });
        let listener_bus = context.bus.clone();
        let listener_store = store.clone();
        let listener_directory = directory.clone();
        let listener_registry = registry.clone();
        Supervisor::new("customer-sync-supervisor", registry.clone())
            .with_child(ActorChild::new("customer-booking-outbox", move || {
                let outbox = Arc::new(BookingOutbox {
                    store: relay_store.clone(),
                });
                relay_slot.set(
                    OutboxRelay::new(
                        "customer-booking-outbox",
                        outbox,
                        relay_bus.clone(),
                        relay_registry.clone(),
                    )
                    .polling_every(BOOKING_OUTBOX_POLL)
                    .start(),
                )
            }))
            .with_child(ActorChild::new("customer-sync-consumer", move || {
                EventConsumer::new(
                    "customer-sync-consumer",
                    consumer_bus.clone(),
                    Consumer::CustomerSync,
                    handler.clone(),
                    consumer_registry.clone(),
                    "customer",
                    consumer_shutdown.clone(),
                )
                .start()
            }))
            .with_child(ActorChild::new(BROADCAST_LISTENER, move || {
                BroadcastListener::new(
                    listener_bus.clone(),
                    listener_store.clone(),
                    listener_directory.clone(),
                    listener_registry.clone(),
                    process_id.clone(),
                )
                .start()
            }))
    };
    sync_supervisor.start();

    // Launches already known start their actors now; each rebuilds its seats from the store.
    for launch in store.all_launches().await? {
        directory.ensure(launch);
    }

    let revoked = start_revocation_listener(Role::Customer, context, &registry).await?;
    let checks: Vec<Arc<dyn ReadinessCheck>> = vec![
        Arc::new(MongoReadiness {
            name: "customer_db",
            database,
        }),
        Arc::new(BusReadiness(context.bus.clone())),
    ];
    let health = HealthState {
        role: "customer",
        registry,
        checks: Arc::new(checks),
    };
    let state = web::Data::new(CustomerState {
        board,
        directory: directory.clone(),
        store,
        audit: audit.clone(),
        clock: context.clock.clone(),
    });
    let flush_bookings: StopAction = Box::new(move || {
        Box::pin(async move {
            if let Some(relay) = booking_relay.get() {
                let _flushed = relay.send(Flush).await;
            }
        })
    });
    let mut running = serve(
        Role::Customer,
        context,
        listener,
        health,
        CustomerApi::openapi(),
        revoked,
        move |config| {
            config.app_data(state.clone());
            customer::routes(config);
        },
    )?
    .stopping_with(vec![flush_bookings, flush_audit_log(audit)]);
    running.customer_directory = Some(directory);
    Ok(running)
}
