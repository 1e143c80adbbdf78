//! Bookings: passengers, seat limits, totals and refunds, and the seat inventory of one launch.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::RuleViolation;
use super::launch::LaunchStatus;
use super::user::{Email, PersonName};

/// Seats one traveller may hold on one launch.
pub const MAX_SEATS_PER_BOOKING: u32 = 4;
pub const MAX_SEATS_PER_VIP_BOOKING: u32 = 6;
/// A traveller with non-cancelled bookings on at least this many other launches is a VIP.
pub const VIP_OTHER_LAUNCHES: u32 = 2;
pub const MIN_PASSENGER_AGE: u32 = 18;
/// Exclusive: a passenger must be younger than this on the launch date.
pub const MAX_PASSENGER_AGE_EXCLUSIVE: u32 = 70;

pub fn max_seats(is_vip: bool) -> u32 {
    if is_vip {
        MAX_SEATS_PER_VIP_BOOKING
    } else {
        MAX_SEATS_PER_BOOKING
    }
}

pub fn is_vip(other_launches_with_active_bookings: u32) -> bool {
    other_launches_with_active_bookings >= VIP_OTHER_LAUNCHES
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Passenger {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Age on the launch date.
    pub age: u32,
}

impl Passenger {
    pub fn parse(name: &str, email: &str, phone: &str, age: i64) -> Result<Self, RuleViolation> {
        let name = PersonName::parse(name)?;
        let email = Email::parse(email)?;
        let phone = phone.trim();
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let phone_ok = (6..=20).contains(&digits)
            && phone.len() <= 32
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
        if !phone_ok {
            return Err(RuleViolation::new(format!(
                "{phone:?} is not a valid phone number"
            )));
        }
        let age = u32::try_from(age)
            .ok()
            .filter(|age| (MIN_PASSENGER_AGE..MAX_PASSENGER_AGE_EXCLUSIVE).contains(age))
            .ok_or_else(|| {
                RuleViolation::new(format!(
                    "passenger {:?} must be at least {MIN_PASSENGER_AGE} and younger than {MAX_PASSENGER_AGE_EXCLUSIVE} on the launch date",
                    name.as_str()
                ))
            })?;
        Ok(Self {
            name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            phone: phone.to_owned(),
            age,
        })
    }
}

/// A digest of what a booking request asks for (the launch and its passengers as parsed), so
/// that an idempotency key that comes back with another request is recognised.
pub fn request_fingerprint(launch_id: &str, passengers: &[Passenger]) -> String {
    let mut hasher = Sha256::new();
    // Each field ends with a separator no parsed text holds, so fields cannot run into each other.
    let mut field = |text: &str| {
        hasher.update(text.as_bytes());
        hasher.update([0x1f]);
    };
    field(launch_id);
    for passenger in passengers {
        field(&passenger.name);
        field(&passenger.email);
        field(&passenger.phone);
        field(&passenger.age.to_string());
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The same traveller, key and request give the same booking id, across retries, restarts and
/// processes; any other request gets another id, so no two bookings ever share one.
pub fn booking_id_for(traveler_id: &str, idempotency_key: &str, fingerprint: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        format!("{traveler_id}\n{idempotency_key}\n{fingerprint}").as_bytes(),
    )
    .to_string()
}

pub fn total_cents(seats: u32, price_per_seat_cents: i64) -> i64 {
    i64::from(seats).saturating_mul(price_per_seat_cents)
}

/// What a traveller gets back on cancelling, by how long before the launch they cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundDecision {
    pub percent: u32,
    pub amount_cents: i64,
    /// Late cancellations keep their seats sold: they are not resold.
    pub releases_seats: bool,
}

pub fn refund_for_cancellation(
    total_cents: i64,
    cancelled_at: DateTime<Utc>,
    launch_at: DateTime<Utc>,
) -> RefundDecision {
    let at_least = |months: u32| {
        cancelled_at
            .checked_add_months(Months::new(months))
            .is_some_and(|date| date <= launch_at)
    };
    let percent = if at_least(12) {
        90
    } else if at_least(3) {
        70
    } else {
        0
    };
    RefundDecision {
        percent,
        amount_cents: total_cents * i64::from(percent) / 100,
        releases_seats: percent > 0,
    }
}

/// Why a booking ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CancellationCause {
    /// The traveller cancelled (refund by the schedule above).
    Traveler,
    /// The agency aborted the launch (full refund).
    LaunchAborted,
}

/// How and when a booking ended, and what the traveller gets back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Cancellation {
    pub cause: CancellationCause,
    pub cancelled_at: DateTime<Utc>,
    pub reason: Option<String>,
    pub refund_percent: u32,
    pub refund_cents: i64,
    /// Early cancellations (and aborts) give their seats back; late ones keep them sold.
    pub seats_released: bool,
}

/// A launch as a sale sees it at one moment: its status and date, and the clock's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleMoment {
    pub status: LaunchStatus,
    pub launch_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

impl SaleMoment {
    /// A launch sells only while scheduled or confirmed, and never once its date has come,
    /// whatever its status still says.
    pub fn check(self) -> Result<(), BookingRefusal> {
        if !self.status.accepts_bookings() {
            return Err(BookingRefusal::NotBookable(self.status));
        }
        if self.now >= self.launch_at {
            return Err(BookingRefusal::DatePassed);
        }
        Ok(())
    }
}

/// Why a launch refused a booking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookingRefusal {
    #[error("this launch is {} and does not take bookings", .0.as_str())]
    NotBookable(LaunchStatus),
    #[error("this launch's date has passed: it takes no more bookings")]
    DatePassed,
    #[error("a booking has 1 to {max} seats")]
    SeatCountOutOfRange { max: u32 },
    #[error("you already have an active booking on this launch")]
    AlreadyBooked,
    #[error("the launch is sold out")]
    SoldOut,
    #[error("only {free} seats are free")]
    NotEnoughSeats { free: u32 },
}

/// The seats of one launch, held by its actor. Seat numbers run 1..=capacity; a seat is taken
/// from the moment it is reserved for a booking being written until that booking is cancelled
/// with a refund (or its write fails).
#[derive(Debug, Clone)]
pub struct SeatInventory {
    capacity: u32,
    taken: BTreeSet<u32>,
    /// Every seat below this one is taken, so picking seats starts here instead of walking the
    /// seats already sold (which made filling a big launch quadratic).
    lowest_maybe_free: u32,
    active_booking_by_traveler: HashMap<String, String>,
}

impl SeatInventory {
    pub fn new(capacity: u32) -> Self {
        Self {
            capacity,
            taken: BTreeSet::new(),
            lowest_maybe_free: 1,
            active_booking_by_traveler: HashMap::new(),
        }
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn free_seats(&self) -> u32 {
        let taken = u32::try_from(self.taken.len()).unwrap_or(u32::MAX);
        debug_assert!(taken <= self.capacity, "sold {taken} of {}", self.capacity);
        self.capacity.saturating_sub(taken)
    }

    pub fn active_booking_of(&self, traveler_id: &str) -> Option<&str> {
        self.active_booking_by_traveler
            .get(traveler_id)
            .map(String::as_str)
    }

    /// Records seats already stored (rebuilding from the store, or sold by another process).
    pub fn mark_taken(&mut self, seat_numbers: &[u32]) {
        for seat in seat_numbers {
            if (1..=self.capacity).contains(seat) {
                self.taken.insert(*seat);
            }
        }
    }

    pub fn mark_active(&mut self, traveler_id: &str, booking_id: &str) {
        self.active_booking_by_traveler
            .insert(traveler_id.to_owned(), booking_id.to_owned());
    }

    /// Picks the lowest free seats for a new booking, or says why not.
    pub fn reserve(
        &mut self,
        sale: SaleMoment,
        traveler_id: &str,
        booking_id: &str,
        seats: u32,
        is_vip: bool,
    ) -> Result<Vec<u32>, BookingRefusal> {
        sale.check()?;
        let max = max_seats(is_vip);
        if !(1..=max).contains(&seats) {
            return Err(BookingRefusal::SeatCountOutOfRange { max });
        }
        if self.active_booking_by_traveler.contains_key(traveler_id) {
            return Err(BookingRefusal::AlreadyBooked);
        }
        let free = self.free_seats();
        if free == 0 {
            return Err(BookingRefusal::SoldOut);
        }
        if free < seats {
            return Err(BookingRefusal::NotEnoughSeats { free });
        }
        let wanted = usize::try_from(seats).unwrap_or(usize::MAX);
        let mut chosen = Vec::with_capacity(wanted);
        let mut seat = self.lowest_maybe_free;
        while chosen.len() < wanted && seat <= self.capacity {
            if self.taken.insert(seat) {
                chosen.push(seat);
            }
            seat += 1;
        }
        self.lowest_maybe_free = seat;
        self.mark_active(traveler_id, booking_id);
        Ok(chosen)
    }

    /// Gives seats back (a failed write, or a refunded cancellation) and ends the traveller's
    /// active booking if it is this one.
    pub fn release(&mut self, traveler_id: &str, booking_id: &str, seat_numbers: &[u32]) {
        for seat in seat_numbers {
            if self.taken.remove(seat) {
                self.lowest_maybe_free = self.lowest_maybe_free.min(*seat);
            }
        }
        self.end_active(traveler_id, booking_id);
    }

    pub fn end_active(&mut self, traveler_id: &str, booking_id: &str) {
        if self
            .active_booking_by_traveler
            .get(traveler_id)
            .is_some_and(|active| active == booking_id)
        {
            self.active_booking_by_traveler.remove(traveler_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    /// Tests read a fixed instant, never the system time.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 15, 12, 0, 0).unwrap()
    }

    /// A launch in this status, dated far ahead.
    fn open(status: LaunchStatus) -> SaleMoment {
        let now = now();
        SaleMoment {
            status,
            launch_at: now + Duration::days(400),
            now,
        }
    }

    #[test]
    fn a_launch_whose_date_has_come_sells_nothing_whatever_its_status() {
        let launch_at = now();
        let moment = |status, now| SaleMoment {
            status,
            launch_at,
            now,
        };
        let second = Duration::seconds(1);
        assert_eq!(
            moment(LaunchStatus::Scheduled, launch_at - second).check(),
            Ok(())
        );
        assert_eq!(
            moment(LaunchStatus::Confirmed, launch_at).check(),
            Err(BookingRefusal::DatePassed)
        );
        assert_eq!(
            moment(LaunchStatus::Scheduled, launch_at + second).check(),
            Err(BookingRefusal::DatePassed)
        );
        assert_eq!(
            moment(LaunchStatus::Aborted, launch_at - second).check(),
            Err(BookingRefusal::NotBookable(LaunchStatus::Aborted))
        );
        let mut inventory = SeatInventory::new(3);
        assert_eq!(
            inventory.reserve(
                moment(LaunchStatus::Scheduled, launch_at),
                "t1",
                "b1",
                1,
                false
            ),
            Err(BookingRefusal::DatePassed)
        );
        assert_eq!(inventory.free_seats(), 3);
    }

    #[test]
    fn a_key_maps_to_one_booking_per_request() {
        let ada = Passenger::parse("Ada", "ada@example.com", "+1 555 0100", 30).unwrap();
        let bob = Passenger::parse("Bob", "bob@example.com", "+1 555 0101", 31).unwrap();
        let one = request_fingerprint("L0", std::slice::from_ref(&ada));
        assert_eq!(one, request_fingerprint("L0", std::slice::from_ref(&ada)));
        assert_ne!(one, request_fingerprint("L1", std::slice::from_ref(&ada)));
        assert_ne!(one, request_fingerprint("L0", &[ada.clone(), bob.clone()]));
        assert_ne!(
            request_fingerprint("L0", &[ada.clone(), bob.clone()]),
            request_fingerprint("L0", &[bob, ada]),
            "the passengers' order is part of the request (seats follow it)"
        );
        assert_eq!(
            booking_id_for("t", "k", &one),
            booking_id_for("t", "k", &one)
        );
        assert_ne!(
            booking_id_for("t", "k", &one),
            booking_id_for("t", "k", "other")
        );
        assert_ne!(
            booking_id_for("t", "k", &one),
            booking_id_for("u", "k", &one)
        );
    }

    #[test]
    fn passengers_must_be_adults_under_seventy() {
        assert!(Passenger::parse("Ada", "ada@example.com", "+1 555 0100", 18).is_ok());
        assert!(Passenger::parse("Ada", "ada@example.com", "+1 555 0100", 69).is_ok());
        assert!(Passenger::parse("Ada", "ada@example.com", "+1 555 0100", 17).is_err());
        assert!(Passenger::parse("Ada", "ada@example.com", "+1 555 0100", 70).is_err());
        assert!(Passenger::parse("Ada", "ada@example.com", "call me", 30).is_err());
        assert!(Passenger::parse("Ada", "not-an-email", "+1 555 0100", 30).is_err());
    }

    #[test]
    fn refunds_follow_the_schedule() {
        let now = now();
        let total = 1_000_000;
        let far = refund_for_cancellation(total, now, now + Duration::days(400));
        assert_eq!(
            (far.percent, far.amount_cents, far.releases_seats),
            (90, 900_000, true)
        );
        let middle = refund_for_cancellation(total, now, now + Duration::days(120));
        assert_eq!(
            (middle.percent, middle.amount_cents, middle.releases_seats),
            (70, 700_000, true)
        );
        let late = refund_for_cancellation(total, now, now + Duration::days(30));
        assert_eq!(
            (late.percent, late.amount_cents, late.releases_seats),
            (0, 0, false)
        );
    }

    #[test]
    fn inventory_never_sells_more_than_capacity() {
        let mut inventory = SeatInventory::new(5);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t1", "b1", 4, false)
                .unwrap(),
            vec![1, 2, 3, 4]
        );
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Scheduled), "t2", "b2", 2, false),
            Err(BookingRefusal::NotEnoughSeats { free: 1 })
        );
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t2", "b2", 1, false)
                .unwrap(),
            vec![5]
        );
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Scheduled), "t3", "b3", 1, false),
            Err(BookingRefusal::SoldOut)
        );
        assert_eq!(inventory.free_seats(), 0);
        inventory.release("t1", "b1", &[1, 2]);
        assert_eq!(inventory.free_seats(), 2);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t3", "b3", 2, false)
                .unwrap(),
            vec![1, 2]
        );
    }

    #[test]
    fn inventory_applies_the_booking_rules() {
        let mut inventory = SeatInventory::new(20);
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Delayed), "t1", "b1", 1, false),
            Err(BookingRefusal::NotBookable(LaunchStatus::Delayed))
        );
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Scheduled), "t1", "b1", 5, false),
            Err(BookingRefusal::SeatCountOutOfRange { max: 4 })
        );
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Scheduled), "t1", "b1", 0, false),
            Err(BookingRefusal::SeatCountOutOfRange { max: 4 })
        );
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Confirmed), "t1", "b1", 6, true)
                .unwrap()
                .len(),
            6
        );
        assert_eq!(
            inventory.reserve(open(LaunchStatus::Confirmed), "t1", "b9", 1, true),
            Err(BookingRefusal::AlreadyBooked)
        );
        assert!(is_vip(2) && !is_vip(1));
        assert_eq!(total_cents(3, 2_500), 7_500);
    }

    #[test]
    fn the_lowest_free_seats_are_picked_again_after_a_release() {
        let mut inventory = SeatInventory::new(6);
        let first = inventory
            .reserve(open(LaunchStatus::Scheduled), "t1", "b1", 3, false)
            .unwrap();
        assert_eq!(first, vec![1, 2, 3]);
        inventory.mark_taken(&[5]);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t2", "b2", 1, false)
                .unwrap(),
            vec![4]
        );
        inventory.release("t1", "b1", &[2, 3]);
        assert_eq!(inventory.free_seats(), 3);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t3", "b3", 3, false)
                .unwrap(),
            vec![2, 3, 6]
        );
        assert_eq!(inventory.free_seats(), 0);
        inventory.release("t3", "b3", &[6]);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t4", "b4", 1, false)
                .unwrap(),
            vec![6]
        );
    }

    #[test]
    fn seats_taken_elsewhere_are_respected() {
        let mut inventory = SeatInventory::new(3);
        inventory.mark_taken(&[1, 3, 99]);
        assert_eq!(inventory.free_seats(), 1);
        assert_eq!(
            inventory
                .reserve(open(LaunchStatus::Scheduled), "t1", "b1", 1, false)
                .unwrap(),
            vec![2]
        );
    }
}
