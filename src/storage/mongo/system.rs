//! The system DB: credentials, sessions, logs, sync jobs and notifications.
