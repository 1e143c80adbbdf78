//! One actor per launch owns that launch's seats in memory and serialises every booking and
//! cancellation for it.
//! It answers yes only after the booking and its seats are durable in the customer DB, batching
//! the bookings that arrive while a write is in flight into the next write (group commit).

pub mod actor;
pub mod board;
pub mod broadcast_listener;
pub mod directory;
pub mod ledger;
pub mod messages;

pub use actor::LaunchActor;
pub use board::LaunchBoard;
pub use directory::{LaunchDirectory, LaunchHandle};
pub use messages::{
    Book, BookingFailure, BookingReceipt, BookingRequest, CancelFailure, CancelReceipt,
    CancelRequest,
};
