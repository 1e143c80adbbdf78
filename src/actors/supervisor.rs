//! A supervisor that watches its children from outside and starts them again with backoff.
//! actix's own `Supervisor` does not restart an actor that panicked (its address just closes),
//! so this one polls each child's address and counts restarts and panics in the registry.

use std::time::{Duration, Instant};

use actix::{Actor, ActorContext, Addr, AsyncContext, Context, Handler, Message};

use super::health::{ActorRegistry, ActorState, HEARTBEAT_INTERVAL};

const WATCH_INTERVAL: Duration = Duration::from_millis(100);
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// One supervised actor: how to start it and whether it is still alive.
pub trait Child: Send + 'static {
    fn name(&self) -> &str;
    fn start(&mut self);
    fn is_alive(&self) -> bool;
}

/// A child of a concrete actor type, built by a factory each time it (re)starts.
pub struct ActorChild<A: Actor<Context = Context<A>>> {
    name: String,
    factory: Box<dyn Fn() -> Addr<A> + Send>,
    address: Option<Addr<A>>,
}

impl<A: Actor<Context = Context<A>>> ActorChild<A> {
    pub fn new(name: impl Into<String>, factory: impl Fn() -> Addr<A> + Send + 'static) -> Self {
        Self {
            name: name.into(),
            factory: Box::new(factory),
            address: None,
        }
    }
}

impl<A: Actor<Context = Context<A>>> Child for ActorChild<A> {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&mut self) {
        self.address = Some((self.factory)());
    }

    fn is_alive(&self) -> bool {
        self.address.as_ref().is_some_and(Addr::connected)
    }
}

struct Watched {
    child: Box<dyn Child>,
    consecutive_restarts: u32,
    restart_not_before: Option<Instant>,
    last_start: Instant,
}

pub struct Supervisor {
    name: String,
    registry: ActorRegistry,
    children: Vec<Watched>,
    stopping: bool,
}

impl Supervisor {
    pub fn new(name: impl Into<String>, registry: ActorRegistry) -> Self {
        Self {
            name: name.into(),
            registry,
            children: Vec::new(),
            stopping: false,
        }
    }

    /// Adds a child; it starts with the supervisor.
    pub fn with_child(mut self, child: impl Child) -> Self {
        self.registry.register(child.name(), &self.name);
        self.children.push(Watched {
            child: Box::new(child),
            consecutive_restarts: 0,
            restart_not_before: None,
            last_start: Instant::now(),
        });
        self
    }

    fn backoff(consecutive_restarts: u32) -> Duration {
        let factor = 2u32.saturating_pow(consecutive_restarts.min(16));
        FIRST_BACKOFF.saturating_mul(factor).min(MAX_BACKOFF)
    }

    fn watch(&mut self) {
        if self.stopping {
            return;
        }
        let now = Instant::now();
        for watched in &mut self.children {
            if watched.child.is_alive() {
                // A child that stayed up for a while has earned a fresh backoff.
                if now.duration_since(watched.last_start) > MAX_BACKOFF {
                    watched.consecutive_restarts = 0;
                }
                continue;
            }
            match watched.restart_not_before {
                None => {
                    let panicked = self.registry.record_restart(watched.child.name());
                    let delay = Self::backoff(watched.consecutive_restarts);
                    tracing::warn!(
                        supervisor = %self.name,
                        actor = watched.child.name(),
                        panicked,
                        delay_ms = delay.as_millis() as u64,
                        "actor stopped; restarting"
                    );
                    watched.restart_not_before = Some(now + delay);
                }
                Some(not_before) if now >= not_before => {
                    watched.consecutive_restarts = watched.consecutive_restarts.saturating_add(1);
                    watched.restart_not_before = None;
                    watched.last_start = now;
                    watched.child.start();
                }
                Some(_) => {}
            }
        }
    }
}

impl Actor for Supervisor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        self.registry.register(&self.name, &self.name);
        for watched in &mut self.children {
            watched.last_start = Instant::now();
            watched.child.start();
        }
        self.registry.set_state(&self.name, ActorState::Running);
        ctx.run_interval(WATCH_INTERVAL, |supervisor, _| supervisor.watch());
        ctx.run_interval(HEARTBEAT_INTERVAL, |supervisor, _| {
            supervisor.registry.heartbeat(&supervisor.name)
        });
    }
}

/// Adds and starts a child while running (one launch actor per launch as launches appear).
#[derive(Message)]
#[rtype(result = "()")]
pub struct AddChild(pub Box<dyn Child>);

impl Handler<AddChild> for Supervisor {
    type Result = ();

    fn handle(&mut self, AddChild(mut child): AddChild, _: &mut Self::Context) {
        if self
            .children
            .iter()
            .any(|watched| watched.child.name() == child.name())
        {
            return;
        }
        self.registry.register(child.name(), &self.name);
        child.start();
        self.children.push(Watched {
            child,
            consecutive_restarts: 0,
            restart_not_before: None,
            last_start: Instant::now(),
        });
    }
}

/// Stops watching a child that stopped for good (a launch actor whose launch is final): it is
/// not restarted, and leaves the registry.
#[derive(Message)]
#[rtype(result = "()")]
pub struct RemoveChild(pub String);

impl Handler<RemoveChild> for Supervisor {
    type Result = ();

    fn handle(&mut self, RemoveChild(name): RemoveChild, _: &mut Self::Context) {
        self.children
            .retain(|watched| watched.child.name() != name.as_str());
        self.registry.remove(&name);
    }
}

/// Stops restarting children; sent during an ordered shutdown.
#[derive(Message)]
#[rtype(result = "()")]
pub struct StopSupervising;

impl Handler<StopSupervising> for Supervisor {
    type Result = ();

    fn handle(&mut self, _: StopSupervising, ctx: &mut Self::Context) {
        self.stopping = true;
        self.registry.set_state(&self.name, ActorState::Stopped);
        ctx.stop();
    }
}

/// Where the current address of a restartable actor lives, so that handles outliving one
/// incarnation reach the next.
pub struct AddressSlot<A: Actor>(std::sync::Arc<std::sync::RwLock<Option<Addr<A>>>>);

impl<A: Actor> Clone for AddressSlot<A> {
    fn clone(&self) -> Self {
        Self(std::sync::Arc::clone(&self.0))
    }
}

impl<A: Actor> Default for AddressSlot<A> {
    fn default() -> Self {
        Self(std::sync::Arc::new(std::sync::RwLock::new(None)))
    }
}

impl<A: Actor> AddressSlot<A> {
    pub fn set(&self, address: Addr<A>) -> Addr<A> {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some(address.clone());
        }
        address
    }

    pub fn get(&self) -> Option<Addr<A>> {
        self.0.read().ok().and_then(|slot| slot.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(Supervisor::backoff(0), Duration::from_millis(100));
        assert_eq!(Supervisor::backoff(3), Duration::from_millis(800));
        assert_eq!(Supervisor::backoff(30), MAX_BACKOFF);
    }
}
