-- Cancellations as the customer side decided them: when, how much came back, and whether the
-- seats were freed (late cancellations keep their seats sold).
ALTER TABLE bookings
    ADD COLUMN cancelled_at timestamptz,
    ADD COLUMN cancellation_cause text CHECK (cancellation_cause IN ('traveler', 'launch_aborted')),
    ADD COLUMN refund_percent integer NOT NULL DEFAULT 0 CHECK (refund_percent BETWEEN 0 AND 100),
    ADD COLUMN seats_released boolean NOT NULL DEFAULT false;
