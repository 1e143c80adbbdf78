//! What each process role starts: its stores, its supervision tree and its HTTP server.
//! Any set of roles can share one process; each keeps its own port, registry and actors.

pub mod admin_api;
pub mod customer_api;
pub mod scheduler;
pub mod system_api;

use std::net::TcpListener;

use actix::Actor;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, web};
use futures_util::future::LocalBoxFuture;
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa_scalar::{Scalar, Servable};

use crate::actors::health::ActorRegistry;
use crate::actors::revocation_listener::{REVOCATION_LISTENER, RevocationListener};
use crate::actors::supervisor::{ActorChild, Supervisor};
use crate::actors::sync::ConsumerShutdown;
use crate::auth::{RevokedSessions, TokenIssuer, TokenVerifier};
use crate::clock::SharedClock;
use crate::config::{Role, Settings, TokenKeys};
use crate::http::auth::AccessGuard;
use crate::http::health::HealthState;
use crate::http::request_id::RequestTracing;
use crate::storage::amqp::Bus;
use crate::storage::mongo::system::RevokedSessionsReader;

/// What every role gets from the process.
#[derive(Clone)]
pub struct RoleContext {
    pub settings: Settings,
    pub bus: Bus,
    pub token_verifier: TokenVerifier,
    /// Only in a process that runs the system role: the others cannot sign a token.
    pub token_issuer: Option<TokenIssuer>,
    pub consumers: ConsumerShutdown,
    pub clock: SharedClock,
}

impl RoleContext {
    pub fn new(
        settings: Settings,
        token_keys: &TokenKeys,
        bus: Bus,
        consumers: ConsumerShutdown,
        clock: SharedClock,
    ) -> anyhow::Result<Self> {
        let token_issuer = token_keys
            .private
            .as_ref()
            .map(|private| TokenIssuer::new(private, settings.access_token_ttl))
            .transpose()?;
        Ok(Self {
            token_verifier: TokenVerifier::new(&token_keys.public),
            token_issuer,
            settings,
            bus,
            consumers,
            clock,
        })
    }
}

/// Starts the role's session-revocation listener under its own supervisor and returns the
/// revoked sessions it keeps, which the role's auth extractors refuse. It reads the system DB's
/// revoked sessions on start (whichever role it serves) and hears new ones on the broker.
pub async fn start_revocation_listener(
    role: Role,
    context: &RoleContext,
    registry: &ActorRegistry,
) -> anyhow::Result<RevokedSessions> {
    let settings = &context.settings;
    let database = crate::storage::mongo::connect(
        &settings.system_mongo_url,
        &settings.system_mongo_db,
        &format!("{}-revocations", role.as_str()),
    )
    .await?;
    let reader = RevokedSessionsReader::new(&database);
    let revoked = RevokedSessions::default();
    let bus = context.bus.clone();
    let listener_revoked = revoked.clone();
    let listener_registry = registry.clone();
    Supervisor::new(
        format!("{}-session-supervisor", role.as_str()),
        registry.clone(),
    )
    .with_child(ActorChild::new(REVOCATION_LISTENER, move || {
        RevocationListener::new(
            bus.clone(),
            reader.clone(),
            listener_revoked.clone(),
            listener_registry.clone(),
        )
        .start()
    }))
    .start();
    Ok(revoked)
}

/// A step of the ordered shutdown, run after the HTTP server drained.
pub type StopAction = Box<dyn FnOnce() -> LocalBoxFuture<'static, ()>>;

pub struct RunningRole {
    pub role: Role,
    pub port: u16,
    pub registry: ActorRegistry,
    /// Set by the customer role: its launch actors.
    pub customer_directory: Option<crate::actors::launch::LaunchDirectory>,
    server: ServerHandle,
    server_task: tokio::task::JoinHandle<std::io::Result<()>>,
    stop_actions: Vec<StopAction>,
}

impl RunningRole {
    /// The steps that flush this role's actors after its requests drained, in order.
    pub fn stopping_with(mut self, stop_actions: Vec<StopAction>) -> Self {
        self.stop_actions = stop_actions;
        self
    }

    /// Stops accepting and drains in-flight requests.
    pub async fn drain(&mut self) {
        tracing::info!(role = self.role.as_str(), "stopping: draining requests");
        self.server.stop(true).await;
    }

    /// After `drain`: flushes actors and closes stores.
    pub async fn finish(self) {
        if let Err(error) = self.server_task.await {
            tracing::warn!(role = self.role.as_str(), error = %error, "server task ended badly");
        }
        for action in self.stop_actions {
            action().await;
        }
        tracing::info!(role = self.role.as_str(), "stopped");
    }
}

/// The HTTP server of one role: common middleware, extractor errors, health, OpenAPI and docs,
/// then the role's own routes. Bearer tokens are checked against `revoked`.
pub fn serve(
    role: Role,
    context: &RoleContext,
    listener: TcpListener,
    health: HealthState,
    openapi: OpenApiDocument,
    revoked: RevokedSessions,
    routes: impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static,
) -> std::io::Result<RunningRole> {
    let port = listener.local_addr()?.port();
    let prefix = format!("/api/{}", role.as_str());
    let access_guard = web::Data::new(AccessGuard {
        verifier: context.token_verifier.clone(),
        revoked,
    });
    let health_data = web::Data::new(health.clone());
    let openapi = web::Data::new(openapi);
    let service_name = role.as_str();
    let server: Server = HttpServer::new(move || {
        let prefix = prefix.clone();
        let openapi_document = openapi.get_ref().clone();
        App::new()
            .wrap(RequestTracing {
                service: service_name,
            })
            .app_data(access_guard.clone())
            .app_data(health_data.clone())
            .app_data(openapi.clone())
            .configure(crate::http::configure_extractors)
            .configure(|config| crate::http::health::routes(&prefix, config))
            .route(
                &format!("{prefix}/openapi.json"),
                web::get().to(openapi_json),
            )
            .service(Scalar::with_url(format!("{prefix}/docs"), openapi_document))
            .configure(routes.clone())
            .default_service(web::to(crate::http::not_found))
    })
    .workers(context.settings.http_workers)
    .disable_signals()
    .shutdown_timeout(context.settings.shutdown_timeout.as_secs())
    .listen(listener)?
    .run();
    let handle = server.handle();
    let server_task = tokio::spawn(server);
    tracing::info!(role = role.as_str(), port, "role listening");
    Ok(RunningRole {
        role,
        port,
        registry: health.registry,
        customer_directory: None,
        server: handle,
        server_task,
        stop_actions: Vec::new(),
    })
}

async fn openapi_json(document: web::Data<OpenApiDocument>) -> web::Json<OpenApiDocument> {
    web::Json(document.get_ref().clone())
}

/// Ready only while the broker connection is up.
pub struct BusReadiness(pub Bus);

#[async_trait::async_trait]
impl crate::storage::ReadinessCheck for BusReadiness {
    fn name(&self) -> &'static str {
        "broker"
    }

    async fn check(&self) -> Result<(), String> {
        if self.0.is_connected() {
            Ok(())
        } else {
            Err("broker connection is closed".to_owned())
        }
    }
}
