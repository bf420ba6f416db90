-- Who acted: an admin, a shopper, an admin assisting a shopper, or the command line.
-- admin_id/admin_username stay for admins; customer_id and the assistance session say the rest.
ALTER TABLE action_log ADD COLUMN actor_type TEXT NOT NULL DEFAULT 'admin';
ALTER TABLE action_log ADD COLUMN customer_id INTEGER;
ALTER TABLE action_log ADD COLUMN assistance_session_id INTEGER;
CREATE INDEX action_log_customer ON action_log (customer_id, id);

-- Keyset paging on every sortable grid column needs (column, id) indexes. (Not one on
-- website_id: counting a filtered set through it reads the table row by row, slower than a scan.)
CREATE INDEX customers_email_id ON customers (email_normalized, id);
CREATE INDEX admin_users_username_id ON admin_users (username, id);
