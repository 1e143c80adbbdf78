//! The system role: the system DB (credentials, sessions, logs, sync jobs, notifications), the
//! user outbox relay, and the consumers that write logs, sync jobs and emails.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix::Actor;
use actix_web::web;
use chrono::Utc;
use utoipa::OpenApi;

use crate::actors::health::ActorRegistry;
use crate::actors::mailer::{MAILER_QUEUE, MailerHandler};
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::actors::sync::outbox_relay::Flush;
use crate::actors::sync::system::{
    AUDIT_LOG_QUEUE, AuditLogWriter, SYNC_JOBS_QUEUE, SyncJobRecorder, UserOutbox,
};
use crate::actors::sync::{ConsumerShutdown, EventConsumer, EventHandler, OutboxRelay};
use crate::config::{Role, Settings};
use crate::domain::login_throttle::LoginThrottle;
use crate::domain::user::{Email, Password, PersonName, UserRole};
use crate::http::health::{HealthState, ReadinessCheck};
use crate::http::openapi::BearerSecurity;
use crate::http::system::{self, SystemState};
use crate::roles::scheduler::{flush_audit_log, start_audit_log};
use crate::roles::{BusReadiness, RoleContext, RunningRole, StopAction, serve};
use crate::storage::amqp::{Bus, QueueSpec};
use crate::storage::mongo::MongoReadiness;
use crate::storage::mongo::system::{SystemStore, UserDocument};
use crate::storage::smtp::Mailer;

#[derive(OpenApi)]
#[openapi(
    info(title = "Astro Bookings system API", description = "Authentication, accounts, logs, notifications and sync jobs."),
    paths(system::register, system::login, system::refresh, system::logout, system::me, system::create_user,
        system::logs, system::notifications, system::sync_jobs),
    modifiers(&BearerSecurity)
)]
struct SystemApi;

fn consumer(
    name: &'static str,
    bus: Bus,
    queue: &'static QueueSpec,
    handler: Arc<dyn EventHandler>,
    registry: ActorRegistry,
    shutdown: ConsumerShutdown,
) -> ActorChild<EventConsumer> {
    ActorChild::new(name, move || {
        EventConsumer::new(
            name,
            bus.clone(),
            queue,
            Arc::clone(&handler),
            registry.clone(),
            "system",
            shutdown.clone(),
        )
        .start()
    })
}

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    let settings = &context.settings;
    let database = crate::storage::mongo::connect(
        &settings.system_mongo_url,
        &settings.system_mongo_db,
        "system-api",
    )
    .await?;
    let store = SystemStore::new(&database);
    store.create_indexes().await?;
    let mailer = Mailer::new(settings)?;

    let registry = ActorRegistry::default();
    let audit = start_audit_log("system", context, &registry);
    let user_relay = AddressSlot::<OutboxRelay>::default();
    {
        let relay_slot = user_relay.clone();
        let relay_store = store.clone();
        let relay_bus = context.bus.clone();
        let relay_registry = registry.clone();
        let bus = context.bus.clone();
        Supervisor::new("system-sync-supervisor", registry.clone())
            .with_child(ActorChild::new("system-user-outbox", move || {
                let outbox = Arc::new(UserOutbox {
                    store: relay_store.clone(),
                });
                relay_slot.set(
                    OutboxRelay::new(
                        "system-user-outbox",
                        outbox,
                        relay_bus.clone(),
                        relay_registry.clone(),
                    )
                    .start(),
                )
            }))
            .with_child(consumer(
                "system-audit-log-writer",
                bus.clone(),
                &AUDIT_LOG_QUEUE,
                Arc::new(AuditLogWriter {
                    store: store.clone(),
                }),
                registry.clone(),
                context.consumers.clone(),
            ))
            .with_child(consumer(
                "system-sync-job-recorder",
                bus.clone(),
                &SYNC_JOBS_QUEUE,
                Arc::new(SyncJobRecorder {
                    store: store.clone(),
                }),
                registry.clone(),
                context.consumers.clone(),
            ))
            .with_child(consumer(
                "system-mailer",
                bus,
                &MAILER_QUEUE,
                Arc::new(MailerHandler {
                    store: store.clone(),
                    mailer,
                    public_base_url: settings.public_base_url.clone(),
                }),
                registry.clone(),
                context.consumers.clone(),
            ))
            .start();
    }

    let checks: Vec<Arc<dyn ReadinessCheck>> = vec![
        Arc::new(MongoReadiness {
            name: "system_db",
            database,
        }),
        Arc::new(BusReadiness(context.bus.clone())),
    ];
    let health = HealthState {
        role: "system",
        registry,
        checks: Arc::new(checks),
    };
    let state = web::Data::new(SystemState {
        store,
        tokens: context.token_keys.clone(),
        refresh_ttl: settings.refresh_token_ttl,
        audit: audit.clone(),
        user_relay: user_relay.clone(),
        login_throttle: Mutex::new(LoginThrottle::new(settings.login_throttle)),
        trusted_proxies: settings.trusted_proxies.clone(),
    });
    let flush_users: StopAction = Box::new(move || {
        Box::pin(async move {
            if let Some(relay) = user_relay.get() {
                let _flushed = relay.send(Flush).await;
            }
        })
    });
    let running = serve(
        Role::System,
        context,
        listener,
        health,
        SystemApi::openapi(),
        move |config| {
            config.app_data(state.clone());
            system::routes(config);
        },
        vec![flush_users, flush_audit_log(audit)],
    )?;
    Ok(running)
}

/// Creates the first IT employee from `ASTRO_SEED_IT_*`, once; running it again changes nothing.
/// The account reaches the operations DB through the outbox when the system role runs.
pub async fn seed_it_employee(settings: &Settings) -> anyhow::Result<()> {
    let (Some(email), Some(password)) = (&settings.seed_it_email, &settings.seed_it_password)
    else {
        anyhow::bail!("set ASTRO_SEED_IT_EMAIL and ASTRO_SEED_IT_PASSWORD to seed the IT employee");
    };
    let email = Email::parse(email)?;
    let password = Password::parse(password.expose())?;
    let name = PersonName::parse(&settings.seed_it_name)?;
    let database = crate::storage::mongo::connect(
        &settings.system_mongo_url,
        &settings.system_mongo_db,
        "seed",
    )
    .await?;
    let store = SystemStore::new(&database);
    if store.user_by_email(email.as_str()).await?.is_some() {
        tracing::info!(email = email.as_str(), "IT employee already exists");
        return Ok(());
    }
    let user = UserDocument {
        email: email.as_str().to_owned(),
        user_id: uuid::Uuid::new_v4().to_string(),
        name: name.as_str().to_owned(),
        role: UserRole::It,
        status: "active".to_owned(),
        password_hash: crate::auth::hash_password(password).await?,
        created_at: Utc::now(),
        event_id: uuid::Uuid::now_v7().to_string(),
        outbox_published: false,
        created_by: None,
        request_id: None,
    };
    store.insert_user(&user).await?;
    tracing::info!(email = email.as_str(), "IT employee created");
    Ok(())
}
