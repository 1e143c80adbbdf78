//! Every query and every message to a server lives here and only here.

pub mod amqp;
pub mod mongo;
pub mod postgres;
pub mod smtp;
