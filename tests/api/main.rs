//! One integration-test binary: every test starts the whole application in-process against the
//! real servers (PostgreSQL, FerretDB, RabbitMQ, the SMTP catcher) with fresh databases.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod admin;
mod cancellation;
mod customer;
mod emails;
mod flow;
mod helpers;
mod idempotency;
mod input;
mod invoices;
mod login_throttle;
mod scaled_customers;
mod sessions;
mod system;
