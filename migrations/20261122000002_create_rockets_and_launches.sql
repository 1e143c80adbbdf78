CREATE TABLE rockets (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (user_id),
    name text NOT NULL,
    model text NOT NULL,
    capacity integer NOT NULL CHECK (capacity > 0),
    reach text NOT NULL CHECK (reach IN ('suborbital', 'low_earth_orbit', 'moon', 'mars')),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rockets_agency ON rockets (agency_id);

CREATE TABLE launches (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (user_id),
    rocket_id uuid NOT NULL REFERENCES rockets (id),
    mission_name text NOT NULL,
    spaceport text NOT NULL,
    destination text NOT NULL CHECK (destination IN ('suborbital', 'low_earth_orbit', 'moon', 'mars')),
    launch_at timestamptz NOT NULL,
    price_per_seat_cents bigint NOT NULL CHECK (price_per_seat_cents > 0),
    minimum_passengers integer NOT NULL CHECK (minimum_passengers > 0),
    status text NOT NULL CHECK (status IN ('scheduled', 'confirmed', 'delayed', 'launched', 'failed', 'aborted')),
    slug text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX launches_agency ON launches (agency_id);

CREATE TABLE launch_status_history (
    id bigserial PRIMARY KEY,
    launch_id uuid NOT NULL REFERENCES launches (id),
    from_status text,
    to_status text NOT NULL,
    changed_by uuid NOT NULL,
    reason text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
