//! The one clock every time-driven rule reads (bookable, refunds, listing by date, the
//! lifecycle's dates, the scheduler's decisions). Roles are given a `SharedClock`; production
//! uses the system time, tests a clock they can move.
//!
//! What measures elapsed machine time rather than the business calendar stays on the system time
//! on purpose: actor heartbeats, outbox and relay grace periods, access-token and refresh-token
//! expiry and the revoked sessions kept for them (a moved clock must not keep a token alive for
//! months), and the write times of records (events, logs, sync jobs).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub type SharedClock = Arc<dyn Clock>;

/// The system time.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

/// The system time moved by an offset that tests set: months pass in a call, while timers and
/// timeouts keep running on real time.
#[derive(Default)]
pub struct OffsetClock {
    offset_millis: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, by: Duration) {
        self.offset_millis
            .fetch_add(by.num_milliseconds(), Ordering::AcqRel);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_millis.load(Ordering::Acquire))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_clock_moves_by_what_it_is_told() {
        let clock = OffsetClock::default();
        let before = clock.now();
        clock.advance(Duration::days(90));
        let moved = clock.now() - before;
        assert!(moved >= Duration::days(90) && moved < Duration::days(90) + Duration::seconds(5));
    }
}
