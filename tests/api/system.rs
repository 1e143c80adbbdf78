//! Integration tests: system.
