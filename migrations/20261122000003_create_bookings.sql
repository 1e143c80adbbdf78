-- Bookings are a synced copy: the customer DB holds them first.
CREATE TABLE bookings (
    id uuid PRIMARY KEY,
    launch_id uuid NOT NULL REFERENCES launches (id),
    traveler_id uuid NOT NULL,
    traveler_name text NOT NULL,
    traveler_email text NOT NULL,
    seats integer NOT NULL CHECK (seats > 0),
    seat_numbers integer[] NOT NULL,
    price_per_seat_cents bigint NOT NULL,
    total_cents bigint NOT NULL,
    status text NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    refund_cents bigint NOT NULL DEFAULT 0,
    cancellation_reason text,
    created_at timestamptz NOT NULL,
    synced_at timestamptz NOT NULL DEFAULT now(),
    source_event_id uuid NOT NULL
);
CREATE INDEX bookings_launch ON bookings (launch_id);

CREATE TABLE passengers (
    booking_id uuid NOT NULL REFERENCES bookings (id),
    position integer NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    phone text NOT NULL,
    age integer NOT NULL CHECK (age >= 18 AND age < 70),
    PRIMARY KEY (booking_id, position)
);
