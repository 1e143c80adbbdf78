-- Profiles of people; credentials live only in the system DB.
CREATE TABLE travelers (
    user_id uuid PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    phone text,
    emergency_contact text,
    tax_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agencies (
    user_id uuid PRIMARY KEY,
    name text NOT NULL,
    contact_email text NOT NULL,
    legal_name text,
    tax_id text,
    legal_address text,
    description text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE employees (
    user_id uuid PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    department text NOT NULL CHECK (department IN ('financial', 'it')),
    created_at timestamptz NOT NULL DEFAULT now()
);
