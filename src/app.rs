//! The process: connects what the chosen roles need, starts them, and stops them in order.

use std::net::TcpListener;
use std::time::Duration;

use crate::actors::sync::ConsumerShutdown;
use crate::clock::{self, SharedClock};
use crate::config::{Role, Settings};
use crate::roles::{self, RoleContext, RunningRole};
use crate::storage::amqp::Bus;

pub struct Application {
    roles: Vec<RunningRole>,
    bus: Bus,
    consumers: ConsumerShutdown,
    shutdown_timeout: Duration,
}

impl Application {
    /// Starts every role in `settings.roles`; a port of 0 picks a free one (tests).
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        Self::start_with_clock(settings, clock::system_clock()).await
    }

    /// As `start`, with the clock every time-driven rule of the roles reads.
    pub async fn start_with_clock(settings: Settings, clock: SharedClock) -> anyhow::Result<Self> {
        // Missing or development token keys refuse the start before anything connects.
        let token_keys = settings.token_keys()?;
        let bus = Bus::connect(settings.amqp_url.expose(), &settings.amqp_namespace).await?;
        let consumers = ConsumerShutdown::default();
        let context = RoleContext::new(
            settings.clone(),
            &token_keys,
            bus.clone(),
            consumers.clone(),
            clock,
        )?;
        let mut running = Vec::new();
        for role in &settings.roles {
            let listener =
                TcpListener::bind((settings.bind_host.as_str(), settings.port_of(*role)))?;
            let started = match role {
                Role::Customer => roles::customer_api::start(&context, listener).await?,
                Role::Admin => roles::admin_api::start(&context, listener).await?,
                Role::System => roles::system_api::start(&context, listener).await?,
                Role::Scheduler => roles::scheduler::start(&context, listener).await?,
            };
            running.push(started);
        }
        Ok(Self {
            roles: running,
            bus,
            consumers,
            shutdown_timeout: settings.shutdown_timeout,
        })
    }

    pub fn port(&self, role: Role) -> Option<u16> {
        self.roles
            .iter()
            .find(|running| running.role == role)
            .map(|running| running.port)
    }

    pub fn registry(&self, role: Role) -> Option<crate::actors::health::ActorRegistry> {
        self.roles
            .iter()
            .find(|running| running.role == role)
            .map(|running| running.registry.clone())
    }

    /// Fault injection: the broker connection drops, as a network cut would.
    pub async fn sever_broker_connection(&self) {
        self.bus.sever().await;
    }

    /// The launch actors of the customer role, for fault-injection tests.
    pub fn customer_directory(&self) -> Option<crate::actors::launch::LaunchDirectory> {
        self.roles
            .iter()
            .find_map(|running| running.customer_directory.clone())
    }

    /// Waits for SIGTERM or SIGINT, then stops in order.
    pub async fn run_until_signalled(self) -> anyhow::Result<()> {
        wait_for_signal().await?;
        self.stop().await;
        Ok(())
    }

    /// Every role stops accepting and drains at once; then each flushes its actors; then the
    /// consumers settle the deliveries in hand; then the broker connection closes.
    pub async fn stop(mut self) {
        futures_util::future::join_all(self.roles.iter_mut().map(RunningRole::drain)).await;
        for role in self.roles {
            role.finish().await;
        }
        self.consumers.stop(self.shutdown_timeout).await;
        self.bus.close().await;
    }
}

async fn wait_for_signal() -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = terminate.recv() => tracing::info!(signal = "SIGTERM", "shutdown requested"),
        _ = interrupt.recv() => tracing::info!(signal = "SIGINT", "shutdown requested"),
    }
    Ok(())
}
