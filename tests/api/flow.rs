//! Integration tests: flow.
