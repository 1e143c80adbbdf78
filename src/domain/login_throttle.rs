//! The sign-in throttle (domain.md "Authentication"). Failed sign-ins are counted per account
//! and client address, so that guesses from one place cannot lock the owner out everywhere, and
//! per address across accounts, so that trying one password on many accounts (spraying) stops
//! too. Each count lives in a fixed window that opens at its first failure.
//!
//! An attempt is counted when it starts, not when its password check ends: attempts sent all at
//! once would otherwise all pass the check before the first failure is known. A successful
//! sign-in takes its own attempt back.

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

#[derive(Debug)]
struct AccountFailures {
    opened: Instant,
    count: u32,
}

#[derive(Debug)]
struct AddressFailures {
    opened: Instant,
    accounts: HashSet<String>,
}

#[derive(Debug)]
pub struct LoginThrottle {
    policy: ThrottlePolicy,
    per_account: HashMap<(String, IpAddr), AccountFailures>,
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

    /// Starts a sign-in for `email` from `address` at `now`, counted as a failure until
    /// `succeeded` says otherwise; refused while either count is at its limit.
    pub fn begin_attempt(
        &mut self,
        email: &Email,
        address: IpAddr,
        now: Instant,
    ) -> Result<(), RetryAfter> {
        self.sweep(now);
        let window = self.policy.window;
        let still_open = |opened: Instant| now.saturating_duration_since(opened) < window;
        let wait = |opened: Instant| RetryAfter((opened + window).saturating_duration_since(now));
        let key = (email.as_str().to_owned(), address);

        let account = self
            .per_account
            .get(&key)
            .filter(|failures| still_open(failures.opened));
        let address_failures = self
            .per_address
            .get(&address)
            .filter(|failures| still_open(failures.opened));
        let account_wait = account
            .filter(|failures| failures.count >= self.policy.failures_per_account)
            .map(|failures| wait(failures.opened));
        let address_wait = address_failures
            .filter(|failures| {
                failures.accounts.len() >= self.policy.accounts_per_address as usize
                    && !failures.accounts.contains(email.as_str())
            })
            .map(|failures| wait(failures.opened));
        if let Some(longest) = account_wait.into_iter().chain(address_wait).max() {
            return Err(longest);
        }

        let account = self.per_account.entry(key).or_insert(AccountFailures {
            opened: now,
            count: 0,
        });
        if !still_open(account.opened) {
            *account = AccountFailures {
                opened: now,
                count: 0,
            };
        }
        account.count += 1;
        let address_failures = self.per_address.entry(address).or_insert(AddressFailures {
            opened: now,
            accounts: HashSet::new(),
        });
        if !still_open(address_failures.opened) {
            *address_failures = AddressFailures {
                opened: now,
                accounts: HashSet::new(),
            };
        }
        address_failures.accounts.insert(email.as_str().to_owned());
        Ok(())
    }

    /// The password was right: the attempt was no failure, and earlier slips of the owner from
    /// this address are forgiven.
    pub fn succeeded(&mut self, email: &Email, address: IpAddr) {
        self.per_account
            .remove(&(email.as_str().to_owned(), address));
        if let Some(failures) = self.per_address.get_mut(&address) {
            failures.accounts.remove(email.as_str());
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
        let still_open = |opened: Instant| now.saturating_duration_since(opened) < window;
        self.per_account
            .retain(|_, failures| still_open(failures.opened));
        self.per_address
            .retain(|_, failures| still_open(failures.opened));
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

    /// `times` attempts for `local` from `address` at `at`, each of them let through.
    fn fail(throttle: &mut LoginThrottle, local: &str, address: IpAddr, at: Instant, times: u32) {
        for _ in 0..times {
            assert_eq!(throttle.begin_attempt(&email(local), address, at), Ok(()));
        }
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
        fail(&mut throttle, "ada", address(2), now, 1);
    }

    #[test]
    fn one_address_failing_on_many_accounts_is_refused_for_new_ones() {
        let mut throttle = throttle();
        let now = Instant::now();
        for local in ["a", "b", "c"] {
            fail(&mut throttle, local, address(1), now, 1);
        }
        let refused = throttle
            .begin_attempt(&email("d"), address(1), now + Duration::from_millis(1500))
            .unwrap_err();
        assert_eq!(refused.whole_seconds(), 899, "rounded up");
        // An account already tried from there keeps its own count; another address is free.
        fail(&mut throttle, "a", address(1), now, 1);
        fail(&mut throttle, "d", address(2), now, 1);
    }

    #[test]
    fn a_success_takes_back_its_attempt_and_earlier_slips() {
        let mut throttle = throttle();
        let now = Instant::now();
        fail(&mut throttle, "ada", address(1), now, 5);
        throttle.succeeded(&email("ada"), address(1));
        fail(&mut throttle, "ada", address(1), now, 5);
        for local in ["b", "c"] {
            fail(&mut throttle, local, address(1), now, 1);
        }
        throttle.succeeded(&email("b"), address(1));
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
}
