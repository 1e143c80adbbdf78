-- A status change is made by the launch's agency (its user id) or by the scheduler (the
-- minimum-passenger decision), so `changed_by` holds either a user id or 'scheduler'.
ALTER TABLE launch_status_history ALTER COLUMN changed_by TYPE text USING changed_by::text;
ALTER TABLE launch_status_history ADD CONSTRAINT launch_status_history_changed_by_user_or_scheduler
    CHECK (changed_by = 'scheduler' OR changed_by ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
CREATE INDEX launch_status_history_launch ON launch_status_history (launch_id, id);
