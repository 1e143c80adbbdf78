//! Mailer actor.
