-- Bumped by every status change and carried by the launch's events, so that a read model never
-- applies an older snapshot of the launch over a newer one (a redelivered launch.scheduled.v1
-- arriving after launch.changed.v1).
ALTER TABLE launches ADD COLUMN revision integer NOT NULL DEFAULT 0;
