-- The platform's invoices to agencies, one per closed launch, numbered INV-<year>-<seq> without
-- gaps: the per-year counter is taken in the invoice's own transaction (its row lock orders
-- concurrent invoices; a rolled-back invoice gives its number back).
CREATE TABLE invoice_counters (
    year integer PRIMARY KEY,
    last_sequence bigint NOT NULL CHECK (last_sequence > 0)
);

CREATE TABLE invoices (
    id uuid PRIMARY KEY,
    number text NOT NULL UNIQUE,
    year integer NOT NULL,
    sequence bigint NOT NULL,
    agency_id uuid NOT NULL REFERENCES agencies (user_id),
    launch_id uuid NOT NULL UNIQUE REFERENCES launches (id),
    launch_outcome text NOT NULL CHECK (launch_outcome IN ('launched', 'aborted')),
    issued_on date NOT NULL,
    due_on date NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
    lines jsonb NOT NULL,
    reliable_agency boolean NOT NULL,
    last_reminded_on date,
    reminders_sent integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (year, sequence)
);
CREATE INDEX invoices_agency ON invoices (agency_id);

CREATE TABLE payments (
    id uuid PRIMARY KEY,
    invoice_id uuid NOT NULL REFERENCES invoices (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    paid_on date NOT NULL,
    recorded_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice ON payments (invoice_id);
