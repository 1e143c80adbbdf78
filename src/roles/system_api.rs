//! The system role: the system DB (credentials, sessions, logs, sync jobs, notifications), the
//! user outbox relay, and the consumers that write logs, sync jobs and emails.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix::Actor;
use actix_web::web;
use chrono::Utc;
use utoipa::OpenApi;

use crate::actors::health::ActorRegistry;
use crate::actors::mailer::MailerHandler;
use crate::actors::supervisor::{ActorChild, AddressSlot, Supervisor};
use crate::actors::sync::outbox_relay::Flush;
use crate::actors::sync::system::{AuditLogWriter, RevocationOutbox, SyncJobRecorder, UserOutbox};
use crate::actors::sync::{ConsumerShutdown, EventConsumer, EventHandler, OutboxRelay};
use crate::config::{Role, Settings};
use crate::domain::login_throttle::LoginThrottle;
use crate::domain::user::{AccountStatus, Email, Password, PersonName, UserRole};
use crate::http::health::HealthState;
use crate::http::openapi::BearerSecurity;
use crate::http::system::{self, SystemState};
use crate::roles::scheduler::{flush_audit_log, start_audit_log};
use crate::roles::{
    BusReadiness, RoleContext, RunningRole, StopAction, serve, start_revocation_listener,
};
use crate::storage::Outbox;
use crate::storage::ReadinessCheck;
use crate::storage::amqp::{Bus, Consumer};
use crate::storage::mongo::MongoReadiness;
use crate::storage::mongo::system::{SystemStore, UserDocument};
use crate::storage::smtp::Mailer;

#[derive(OpenApi)]
#[openapi(
    info(title = "Astro Bookings system API", description = "Authentication, accounts, logs, notifications and sync jobs."),
    paths(system::register, system::login, system::refresh, system::logout, system::me, system::create_user,
        system::list_users, system::disable_user, system::enable_user,
        system::logs, system::notifications, system::sync_jobs),
    modifiers(&BearerSecurity)
)]
struct SystemApi;

fn consumer(
    name: &'static str,
    bus: Bus,
    queue: Consumer,
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

/// An outbox relay of the system DB, started (and restarted) into `slot`.
fn relay(
    name: &'static str,
    slot: AddressSlot<OutboxRelay>,
    outbox: Arc<dyn Outbox>,
    bus: Bus,
    registry: ActorRegistry,
) -> ActorChild<OutboxRelay> {
    ActorChild::new(name, move || {
        slot.set(OutboxRelay::new(name, Arc::clone(&outbox), bus.clone(), registry.clone()).start())
    })
}

/// Publishes what the relay's outbox still holds before the process exits.
fn flush_relay(slot: AddressSlot<OutboxRelay>) -> StopAction {
    Box::new(move || {
        Box::pin(async move {
            if let Some(relay) = slot.get() {
                let _flushed = relay.send(Flush).await;
            }
        })
    })
}

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    let settings = &context.settings;
    let tokens = context.token_issuer.clone().ok_or_else(|| {
        anyhow::anyhow!("the system role signs access tokens and needs ASTRO_TOKEN_PRIVATE_KEY")
    })?;
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
    let session_relay = AddressSlot::<OutboxRelay>::default();
    {
        let bus = context.bus.clone();
        Supervisor::new("system-sync-supervisor", registry.clone())
            .with_child(relay(
                "system-user-outbox",
                user_relay.clone(),
                Arc::new(UserOutbox {
                    store: store.clone(),
                }),
                bus.clone(),
                registry.clone(),
            ))
            .with_child(relay(
                "system-session-outbox",
                session_relay.clone(),
                Arc::new(RevocationOutbox {
                    store: store.clone(),
                }),
                bus.clone(),
                registry.clone(),
            ))
            .with_child(consumer(
                "system-audit-log-writer",
                bus.clone(),
                Consumer::SystemAuditLog,
                Arc::new(AuditLogWriter {
                    store: store.clone(),
                }),
                registry.clone(),
                context.consumers.clone(),
            ))
            .with_child(consumer(
                "system-sync-job-recorder",
                bus.clone(),
                Consumer::SystemSyncJobs,
                Arc::new(SyncJobRecorder {
                    store: store.clone(),
                }),
                registry.clone(),
                context.consumers.clone(),
            ))
            .with_child(consumer(
                "system-mailer",
                bus,
                Consumer::SystemMailer,
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

    let revoked = start_revocation_listener(Role::System, context, &registry).await?;
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
        tokens,
        revoked: revoked.clone(),
        refresh_ttl: settings.refresh_token_ttl,
        audit: audit.clone(),
        user_relay: user_relay.clone(),
        session_relay: session_relay.clone(),
        login_throttle: Mutex::new(LoginThrottle::new(settings.login_throttle)),
        trusted_proxies: settings.trusted_proxies.clone(),
    });
    let running = serve(
        Role::System,
        context,
        listener,
        health,
        SystemApi::openapi(),
        revoked,
        move |config| {
            config.app_data(state.clone());
            system::routes(config);
        },
    )?;
    Ok(running.stopping_with(vec![
        flush_relay(session_relay),
        flush_relay(user_relay),
        flush_audit_log(audit),
    ]))
}

/// Creates the first IT employee from `ASTRO_SEED_IT_*`, once; running it again changes nothing.
/// The account reaches the operations DB through the outbox when the system role runs.
pub async fn seed_it_employee(settings: &Settings) -> anyhow::Result<()> {
    let (Some(email), Some(password)) = (&settings.seed_it_email, &settings.seed_it_password)
    else {
        anyhow::bail!("set ASTRO_SEED_IT_EMAIL and ASTRO_SEED_IT_PASSWORD to seed the IT employee");
    };
    let email = Email::parse(email)?;
    let password = Password::parse_for(password.expose(), &email)?;
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
        status: AccountStatus::Active,
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
