//! Keeps a role's list of revoked sessions: on each start it subscribes to `session.revoked.v1`
//! on a private queue of its own, then reads the revocations still in force from the system DB,
//! so that a process started (or reconnected) after a logout refuses that session too.

use std::time::Duration;

use actix::{Actor, ActorContext, ActorFutureExt, AsyncContext, Context, WrapFuture};
use chrono::Utc;

use crate::actors::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};
use crate::auth::RevokedSessions;
use crate::storage::amqp::Bus;
use crate::storage::amqp::Consumer;
use crate::storage::amqp::events::SessionRevoked;
use crate::storage::mongo::system::RevokedSessionsReader;

pub const REVOCATION_LISTENER: &str = "session-revocation-listener";
/// How often sessions whose tokens have all expired are forgotten.
const FORGET_INTERVAL: Duration = Duration::from_secs(60);

pub struct RevocationListener {
    bus: Bus,
    reader: RevokedSessionsReader,
    revoked: RevokedSessions,
    registry: ActorRegistry,
}

impl RevocationListener {
    pub fn new(
        bus: Bus,
        reader: RevokedSessionsReader,
        revoked: RevokedSessions,
        registry: ActorRegistry,
    ) -> Self {
        Self {
            bus,
            reader,
            revoked,
            registry,
        }
    }
}

impl Actor for RevocationListener {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry
            .set_state(REVOCATION_LISTENER, ActorState::Starting);
        ctx.run_interval(HEARTBEAT_INTERVAL, |listener, _| {
            listener.registry.heartbeat(REVOCATION_LISTENER)
        });
        ctx.run_interval(FORGET_INTERVAL, |listener, _| {
            listener.revoked.forget_expired(Utc::now())
        });
        let bus = self.bus.clone();
        let reader = self.reader.clone();
        let revoked = self.revoked.clone();
        let registry = self.registry.clone();
        let listen = async move {
            let queue = bus
                .declare_queue(Consumer::SessionBroadcast)
                .await
                .map_err(|error| error.to_string())?;
            let mut stream = bus
                .consume(&queue, 256)
                .await
                .map_err(|error| error.to_string())?;
            // Subscribed first: a session revoked while the store is read is heard, not missed.
            let in_force = reader
                .in_force(Utc::now())
                .await
                .map_err(|error| error.to_string())?;
            tracing::info!(revoked_sessions = in_force.len(), "revoked sessions loaded");
            for revocation in in_force {
                revoked.revoke(&revocation.session_id, revocation.expires_at);
            }
            revoked.mark_loaded();
            registry.set_state(REVOCATION_LISTENER, ActorState::Running);
            while let Some(received) = stream.next().await {
                let revocation = received
                    .decode()
                    .ok()
                    .and_then(|event| event.data_as::<SessionRevoked>().ok());
                if let Some(revocation) = revocation {
                    revoked.revoke(&revocation.session_id, revocation.expires_at);
                }
                received.ack().await.map_err(|error| error.to_string())?;
            }
            Err::<(), String>("the broker closed the session-revocation queue".to_owned())
        };
        ctx.spawn(listen.into_actor(self).map(|result, listener, ctx| {
            if let Err(error) = result {
                tracing::warn!(error = %error, "session-revocation listener stopped");
                listener
                    .registry
                    .record_failure(REVOCATION_LISTENER, &error);
            }
            ctx.stop();
        }));
    }
}
