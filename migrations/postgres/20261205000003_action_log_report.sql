-- The Action Logs Report reads newest first (by time, then id) and filters by group and by
-- admin: each filter reads along its own index in that order and stops once a page is full.
DROP INDEX action_log_group;
CREATE INDEX action_log_group_time ON action_log (action_group, created_at, id);
CREATE INDEX action_log_admin_time ON action_log (admin_username, created_at, id);
