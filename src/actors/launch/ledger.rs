//! A launch's seat ledger replayed in memory: every booking in its latest state, and the
//! position of the next entry. Pure: the launch actor reads and writes the entries.

use std::collections::HashMap;

use crate::domain::booking::SeatInventory;
use crate::storage::mongo::customer::{BookingDocument, BookingStatus, LaunchState, LedgerEntry};

#[derive(Debug, Default)]
pub struct Replay {
    bookings: HashMap<String, BookingDocument>,
    /// Each booking's id by its traveller and idempotency key.
    by_key: HashMap<(String, String), String>,
    /// The launch's latest state the ledger recorded.
    launch: Option<LaunchState>,
    next_sequence: u64,
}

impl Replay {
    pub fn of(entries: Vec<LedgerEntry>) -> Self {
        let mut replay = Self::default();
        for entry in entries {
            replay.apply(entry);
        }
        replay
    }

    /// Applies an entry; entries come in order, so a later state of a booking wins.
    pub fn apply(&mut self, entry: LedgerEntry) {
        self.next_sequence = self.next_sequence.max(entry.sequence + 1);
        for booking in entry.bookings {
            self.by_key.insert(
                (booking.traveler_id.clone(), booking.idempotency_key.clone()),
                booking.id.clone(),
            );
            self.bookings.insert(booking.id.clone(), booking);
        }
        if let Some(state) = entry.launch
            && self
                .launch
                .as_ref()
                .is_none_or(|known| known.revision < state.revision)
        {
            self.launch = Some(state);
        }
    }

    /// The launch's latest recorded state.
    pub fn launch(&self) -> Option<&LaunchState> {
        self.launch.as_ref()
    }

    /// The booking the traveller made with this idempotency key, whatever its request.
    pub fn booking_by_key(&self, traveler_id: &str, key: &str) -> Option<&BookingDocument> {
        self.by_key
            .get(&(traveler_id.to_owned(), key.to_owned()))
            .and_then(|booking_id| self.bookings.get(booking_id))
    }

    pub fn next_sequence(&self) -> u64 {
        self.next_sequence
    }

    pub fn booking(&self, booking_id: &str) -> Option<&BookingDocument> {
        self.bookings.get(booking_id)
    }

    pub fn bookings(&self) -> impl Iterator<Item = &BookingDocument> {
        self.bookings.values()
    }

    /// The seats as the ledger leaves them: those of confirmed bookings, and of cancellations
    /// that kept their seats (no refund); each confirmed booking is its traveller's active one.
    pub fn inventory(&self, capacity: u32) -> SeatInventory {
        let mut inventory = SeatInventory::new(capacity);
        for booking in self.bookings.values() {
            let keeps_seats = booking
                .cancellation
                .as_ref()
                .is_none_or(|cancellation| !cancellation.seats_released);
            if keeps_seats {
                inventory.mark_taken(&booking.seat_numbers);
            }
            if booking.status == BookingStatus::Confirmed {
                inventory.mark_active(&booking.traveler_id, &booking.id);
            }
        }
        inventory
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Utc;

    use super::Replay;
    use crate::domain::booking::{Cancellation, CancellationCause, Passenger};
    use crate::storage::mongo::customer::{
        BookingDocument, BookingStatus, LaunchState, LedgerEntry,
    };

    fn booking(id: &str, traveler: &str, seats: Vec<u32>) -> BookingDocument {
        BookingDocument {
            id: id.into(),
            launch_id: "L".into(),
            launch_slug: "l".into(),
            mission_name: "M".into(),
            launch_at: Utc::now(),
            agency_id: "A".into(),
            agency_name: "Agency".into(),
            agency_email: "a@astro.test".into(),
            traveler_id: traveler.into(),
            traveler_name: "T".into(),
            traveler_email: "t@astro.test".into(),
            idempotency_key: id.into(),
            request_fingerprint: String::new(),
            seats: u32::try_from(seats.len()).unwrap(),
            seat_numbers: seats,
            price_per_seat_cents: 100,
            total_cents: 100,
            status: BookingStatus::Confirmed,
            passengers: vec![Passenger::parse("P", "p@astro.test", "+1 555 0100", 30).unwrap()],
            created_at: Utc::now(),
            event_id: uuid::Uuid::now_v7().to_string(),
            request_id: None,
            cancellation: None,
        }
    }

    fn cancelled(booking: &BookingDocument, seats_released: bool) -> BookingDocument {
        booking.cancelled(Cancellation {
            cause: CancellationCause::Traveler,
            cancelled_at: Utc::now(),
            reason: None,
            refund_percent: if seats_released { 90 } else { 0 },
            refund_cents: 0,
            seats_released,
        })
    }

    #[test]
    fn the_latest_entry_decides_each_booking_and_the_next_position_follows_the_last() {
        let first = booking("b1", "t1", vec![1, 2]);
        let second = booking("b2", "t2", vec![3]);
        let replay = Replay::of(vec![
            LedgerEntry::new("L", 0, vec![first.clone(), second.clone()]),
            LedgerEntry::new("L", 1, vec![cancelled(&first, true)]),
        ]);
        assert_eq!(replay.next_sequence(), 2);
        assert_eq!(
            replay.booking("b1").unwrap().status,
            BookingStatus::Cancelled
        );
        let inventory = replay.inventory(5);
        assert_eq!(
            inventory.free_seats(),
            4,
            "the refunded seats are free again"
        );
        assert_eq!(inventory.active_booking_of("t1"), None);
        assert_eq!(inventory.active_booking_of("t2"), Some("b2"));
    }

    #[test]
    fn a_cancellation_without_refund_keeps_its_seats_but_ends_the_active_booking() {
        let first = booking("b1", "t1", vec![1, 2]);
        let replay = Replay::of(vec![
            LedgerEntry::new("L", 0, vec![first.clone()]),
            LedgerEntry::new("L", 1, vec![cancelled(&first, false)]),
        ]);
        let inventory = replay.inventory(5);
        assert_eq!(inventory.free_seats(), 3);
        assert_eq!(inventory.active_booking_of("t1"), None);
    }

    #[test]
    fn the_latest_recorded_launch_state_wins_and_bookings_are_found_by_key() {
        use crate::domain::launch::LaunchStatus;
        let state = |revision, status| LaunchState {
            revision,
            status,
            launch_at: Utc::now(),
            status_reason: None,
        };
        let first = booking("b1", "t1", vec![1]);
        let replay = Replay::of(vec![
            LedgerEntry::new("L", 0, vec![first]).recording(Some(state(2, LaunchStatus::Aborted))),
            LedgerEntry::new("L", 1, Vec::new()).recording(Some(state(1, LaunchStatus::Scheduled))),
        ]);
        assert_eq!(
            replay.launch().map(|launch| launch.status),
            Some(LaunchStatus::Aborted),
            "a late entry of an older revision does not undo a newer one"
        );
        assert_eq!(replay.next_sequence(), 2);
        assert_eq!(
            replay.booking_by_key("t1", "b1").map(|b| b.id.as_str()),
            Some("b1")
        );
        assert!(replay.booking_by_key("t2", "b1").is_none());
    }

    #[test]
    fn an_empty_ledger_starts_at_zero_with_every_seat_free() {
        let replay = Replay::of(Vec::new());
        assert_eq!(replay.next_sequence(), 0);
        assert_eq!(replay.inventory(7).free_seats(), 7);
    }
}
