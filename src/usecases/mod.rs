//! Use cases: what a person or the scheduler does, in one place that every role calls. HTTP
//! handlers parse, authorise and map errors; the scheduler's jobs call the same functions.

pub mod invoicing;
