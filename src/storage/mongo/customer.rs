//! The customer DB: launch read model, seats, bookings, traveller copies.
