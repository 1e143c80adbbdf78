//! The sign-in throttle (domain.md "Authentication"). Failed sign-ins are counted per account
//! and client address, so that guesses from one place cannot lock the owner out everywhere, and
//! per address across accounts, so that trying one password on many accounts (spraying) stops
//! too. Each count lives in a fixed window that opens at its first failure.
//!
//! Attempts still being checked count against the limits too: guesses sent all at once would
//! otherwise all pass before the first failure is known.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::domain::user::Email;

/// The numbers of the throttle; configuration (see `Settings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failed sign-ins allowed for one account from one address in one window.
    pub failures_per_account: u32,
    /// Distinct accounts one address may fail to sign into in one window.
    pub accounts_per_address: u32,
    pub window: Duration,
}

/// How long a refused attempt has to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RetryAfter(Duration);

impl RetryAfter {
    /// Whole seconds, rounded up and at least one, as the `Retry-After` header wants them.
    pub fn whole_seconds(self) -> u64 {
        let seconds = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        seconds.max(1)
    }
}

/// How long an attempt waits that is refused only because the attempts still being checked for
/// the account could use up its failures.
const IN_FLIGHT_WAIT: Duration = Duration::from_secs(1);

#[derive(Debug)]
struct AccountAttempts {
    opened: Instant,
    failures: u32,
    in_flight: u32,
}

impl AccountAttempts {
    fn new(now: Instant) -> Self {
        Self {
            opened: now,
            failures: 0,
            in_flight: 0,
        }
    }

    fn reopen_if_closed(&mut self, now: Instant, window: Duration) {
        if !is_open(self.opened, now, window) {
            self.opened = now;
            self.failures = 0;
        }
    }
}

#[derive(Debug)]
struct AddressFailures {
    opened: Instant,
    accounts: HashSet<String>,
}

impl AddressFailures {
    fn new(now: Instant) -> Self {
        Self {
            opened: now,
            accounts: HashSet::new(),
        }
    }

    fn reopen_if_closed(&mut self, now: Instant, window: Duration) {
        if !is_open(self.opened, now, window) {
            *self = Self::new(now);
        }
    }
}

fn is_open(opened: Instant, now: Instant, window: Duration) -> bool {
    now.saturating_duration_since(opened) < window
}

#[derive(Debug)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    per_account: HashMap<(String, IpAddr), AccountAttempts>,
    per_address: HashMap<IpAddr, AddressFailures>,
    last_sweep: Option<Instant>,
}

impl LoginThrottle {
    pub fn new(policy: ThrottlePolicy) -> Self {
        Self {
            policy,
            per_account: HashMap::new(),
            per_address: HashMap::new(),
            last_sweep: None,
        }
    }

    /// Starts a sign-in for `email` from `address` at `now`; refused while the failures, or the
    /// failures and the attempts still being checked, reach a limit. Every started attempt ends
    /// in `failed` or `succeeded`.
    pub fn begin_attempt(
        &mut self,
        email: &Email,
        address: IpAddr,
        now: Instant,
    ) -> Result<(), RetryAfter> {
        self.sweep(now);
        let ThrottlePolicy {
            failures_per_account,
            accounts_per_address,
            window,
        } = self.policy;
        let wait = |opened: Instant| RetryAfter((opened + window).saturating_duration_since(now));
        let account = self
            .per_account
            .entry((email.as_str().to_owned(), address))
            .or_insert_with(|| AccountAttempts::new(now));
        account.reopen_if_closed(now, window);
        let from_address = self
            .per_address
            .entry(address)
            .or_insert_with(|| AddressFailures::new(now));
        from_address.reopen_if_closed(now, window);

        let account_wait = (account.failures >= failures_per_account).then(|| wait(account.opened));
        let address_wait = (from_address.accounts.len() >= accounts_per_address as usize
            && !from_address.accounts.contains(email.as_str()))
        .then(|| wait(from_address.opened));
        let in_flight_wait = (account.failures + account.in_flight >= failures_per_account)
            .then_some(RetryAfter(IN_FLIGHT_WAIT));
        if let Some(wait) = account_wait.max(address_wait).or(in_flight_wait) {
            return Err(wait);
        }
        // Only failures count across accounts: one address (an office, the edge without trusted
        // proxies) signing many people in at once is no spray. A burst of guesses at many
        // accounts is bounded by the edge's rate limit on sign-in.
        account.in_flight += 1;
        Ok(())
    }

    /// The attempt ended without a right password.
    pub fn failed(&mut self, email: &Email, address: IpAddr, now: Instant) {
        let window = self.policy.window;
        let account = self
            .per_account
            .entry((email.as_str().to_owned(), address))
            .or_insert_with(|| AccountAttempts::new(now));
        account.in_flight = account.in_flight.saturating_sub(1);
        account.reopen_if_closed(now, window);
        account.failures += 1;
        let from_address = self
            .per_address
            .entry(address)
            .or_insert_with(|| AddressFailures::new(now));
        from_address.reopen_if_closed(now, window);
        from_address.accounts.insert(email.as_str().to_owned());
    }

    /// The password was right: earlier slips of the owner from this address are forgiven.
    pub fn succeeded(&mut self, email: &Email, address: IpAddr) {
        let key = (email.as_str().to_owned(), address);
        if let Some(account) = self.per_account.get_mut(&key) {
            account.in_flight = account.in_flight.saturating_sub(1);
            account.failures = 0;
            if account.in_flight == 0 {
                self.per_account.remove(&key);
            }
        }
        if let Some(from_address) = self.per_address.get_mut(&address) {
            from_address.accounts.remove(email.as_str());
        }
    }

    /// Forgets closed windows, at most once per window, so the maps hold only recent failures.
    fn sweep(&mut self, now: Instant) {
        let window = self.policy.window;
        if self
            .last_sweep
            .is_some_and(|last| now.saturating_duration_since(last) < window)
        {
            return;
        }
        self.last_sweep = Some(now);
        self.per_account
            .retain(|_, account| account.in_flight > 0 || is_open(account.opened, now, window));
        self.per_address
            .retain(|_, from_address| is_open(from_address.opened, now, window));
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    const WINDOW: Duration = Duration::from_secs(900);

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottlePolicy {
            failures_per_account: 5,
            accounts_per_address: 3,
            window: WINDOW,
        })
    }

    fn email(local: &str) -> Email {
        Email::parse(&format!("{local}@astro.test")).unwrap()
    }

    fn address(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(192, 0, 2, last))
    }

    /// `times` failed attempts for `local` from `address` at `at`, each of them let through.
    fn fail(throttle: &mut LoginThrottle, local: &str, address: IpAddr, at: Instant, times: u32) {
        for _ in 0..times {
            assert_eq!(throttle.begin_attempt(&email(local), address, at), Ok(()));
            throttle.failed(&email(local), address, at);
        }
    }

    fn succeed(throttle: &mut LoginThrottle, local: &str, address: IpAddr, at: Instant) {
        assert_eq!(throttle.begin_attempt(&email(local), address, at), Ok(()));
        throttle.succeeded(&email(local), address);
    }

    #[test]
    fn five_failures_refuse_the_sixth_attempt_until_the_window_passes() {
        let mut throttle = throttle();
        let start = Instant::now();
        fail(&mut throttle, "ada", address(1), start, 5);
        let refused = throttle
            .begin_attempt(&email("ada"), address(1), start + Duration::from_secs(60))
            .unwrap_err();
        assert_eq!(refused.whole_seconds(), 840);
        fail(&mut throttle, "ada", address(1), start + WINDOW, 1);
    }

    #[test]
    fn failures_from_one_address_do_not_refuse_the_account_elsewhere() {
        let mut throttle = throttle();
        let now = Instant::now();
        fail(&mut throttle, "ada", address(1), now, 5);
        assert!(
            throttle
                .begin_attempt(&email("ada"), address(1), now)
                .is_err()
        );
        succeed(&mut throttle, "ada", address(2), now);
    }

    #[test]
    fn attempts_still_being_checked_count_against_the_limit_for_a_moment() {
        let mut throttle = throttle();
        let now = Instant::now();
        fail(&mut throttle, "ada", address(1), now, 2);
        for _ in 0..3 {
            assert_eq!(
                throttle.begin_attempt(&email("ada"), address(1), now),
                Ok(())
            );
        }
        let refused = throttle
            .begin_attempt(&email("ada"), address(1), now)
            .unwrap_err();
        assert_eq!(refused.whole_seconds(), 1);
        throttle.succeeded(&email("ada"), address(1));
        assert_eq!(
            throttle.begin_attempt(&email("ada"), address(1), now),
            Ok(())
        );
    }

    #[test]
    fn one_address_failing_on_many_accounts_is_refused_for_new_ones() {
        let mut throttle = throttle();
        let now = Instant::now();
        for local in ["a", "b"] {
            fail(&mut throttle, local, address(1), now, 1);
        }
        // A guess still being checked is not yet one of the accounts; once it fails it is.
        assert_eq!(throttle.begin_attempt(&email("c"), address(1), now), Ok(()));
        assert_eq!(throttle.begin_attempt(&email("d"), address(1), now), Ok(()));
        throttle.failed(&email("d"), address(1), now);
        throttle.failed(&email("c"), address(1), now);
        let refused = throttle
            .begin_attempt(&email("e"), address(1), now + Duration::from_millis(1500))
            .unwrap_err();
        assert_eq!(refused.whole_seconds(), 899, "rounded up");
        // An account already tried from there keeps its own count; another address is free.
        fail(&mut throttle, "a", address(1), now, 1);
        fail(&mut throttle, "d", address(2), now, 1);
    }

    #[test]
    fn a_success_forgives_earlier_slips() {
        let mut throttle = throttle();
        let now = Instant::now();
        fail(&mut throttle, "ada", address(1), now, 4);
        succeed(&mut throttle, "ada", address(1), now);
        fail(&mut throttle, "ada", address(1), now, 5);
        for local in ["b", "c"] {
            fail(&mut throttle, local, address(1), now, 1);
        }
        succeed(&mut throttle, "b", address(1), now);
        fail(&mut throttle, "d", address(1), now, 1);
    }

    #[test]
    fn closed_windows_are_forgotten() {
        let mut throttle = throttle();
        let now = Instant::now();
        fail(&mut throttle, "ada", address(1), now, 1);
        fail(&mut throttle, "bob", address(2), now + WINDOW + WINDOW, 1);
        assert_eq!(throttle.per_account.len(), 1);
        assert_eq!(throttle.per_address.len(), 1);
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        assert_eq!(RetryAfter(Duration::ZERO).whole_seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(2001)).whole_seconds(), 3);
    }

    #[test]
    fn many_people_signing_in_at_once_from_one_address_are_not_a_spray() {
        let mut throttle = throttle();
        let now = Instant::now();
        let office = address(9);
        for person in 0..30 {
            let local = format!("person{person}");
            assert!(
                throttle.begin_attempt(&email(&local), office, now).is_ok(),
                "{local}"
            );
        }
    }
}
