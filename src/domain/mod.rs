//! Pure types and rules of the business, no I/O. Values are parsed once at the boundary and the
//! types carry the proof afterwards.

pub mod booking;
pub mod invoice;
pub mod launch;
pub mod login_throttle;
pub mod money;
pub mod revenue;
pub mod text;
pub mod user;

/// A rule that a value broke, worded for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RuleViolation(pub String);

impl RuleViolation {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
