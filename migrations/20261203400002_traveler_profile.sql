-- The traveller's profile as the customer side last announced it: the contact email they gave
-- (their account email stays in `email`), and the revision of that announcement, so that an
-- older profile event arriving late never overwrites a newer one.
ALTER TABLE travelers
    ADD COLUMN contact_email text,
    ADD COLUMN profile_revision bigint NOT NULL DEFAULT 0,
    ADD COLUMN profile_updated_at timestamptz;
