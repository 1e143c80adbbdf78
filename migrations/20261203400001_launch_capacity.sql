-- A launch keeps the capacity it was scheduled with: its seats are on sale against it (the
-- customer DB copied it), so a later change of the rocket's capacity applies to later launches.
ALTER TABLE launches ADD COLUMN capacity integer;
UPDATE launches l SET capacity = r.capacity FROM rockets r WHERE r.id = l.rocket_id;
ALTER TABLE launches ALTER COLUMN capacity SET NOT NULL, ADD CONSTRAINT launches_capacity_positive CHECK (capacity > 0);
