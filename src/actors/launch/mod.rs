//! Launch actors.
