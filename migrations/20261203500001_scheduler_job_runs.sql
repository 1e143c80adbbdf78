-- The scheduler's job runs and the units of work they did. A unit (`vip:<launch>`,
-- `retry:<notification>:<attempt>`, `decide:<launch>`) is claimed by inserting its key: the
-- primary key lets one run, of whichever scheduler process, do it, however many try.
CREATE TABLE scheduler_job_runs (
    id uuid PRIMARY KEY,
    job text NOT NULL,
    trigger text NOT NULL CHECK (trigger IN ('tick', 'manual')),
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    outcome text NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
    units integer NOT NULL DEFAULT 0 CHECK (units >= 0),
    error text
);
CREATE INDEX scheduler_job_runs_job ON scheduler_job_runs (job, started_at DESC);

CREATE TABLE scheduler_units (
    unit_key text PRIMARY KEY,
    job text NOT NULL,
    run_id uuid NOT NULL REFERENCES scheduler_job_runs (id),
    claimed_at timestamptz NOT NULL
);
CREATE INDEX scheduler_units_run ON scheduler_units (run_id);
