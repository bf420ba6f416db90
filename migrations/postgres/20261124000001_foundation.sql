-- Stores, configuration, admin users and roles, customers and the action log.
-- Timestamps are Unix milliseconds; flags are BIGINT 0/1 (same on SQLite).

CREATE TABLE websites (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE store_groups (
    id BIGSERIAL PRIMARY KEY,
    website_id BIGINT NOT NULL REFERENCES websites(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE store_views (
    id BIGSERIAL PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES store_groups(id),
    website_id BIGINT NOT NULL REFERENCES websites(id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_order BIGINT NOT NULL DEFAULT 0,
    is_active BIGINT NOT NULL DEFAULT 1,
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE config_values (
    id BIGSERIAL PRIMARY KEY,
    scope TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    path TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (scope, scope_id, path)
);

CREATE TABLE admin_roles (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    all_resources BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE admin_role_resources (
    role_id BIGINT NOT NULL REFERENCES admin_roles(id) ON DELETE CASCADE,
    resource TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (role_id, resource)
);

CREATE TABLE admin_users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role_id BIGINT NOT NULL REFERENCES admin_roles(id),
    is_active BIGINT NOT NULL DEFAULT 1,
    failures BIGINT NOT NULL DEFAULT 0,
    lock_expires_at BIGINT,
    last_login_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE customer_groups (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    website_id BIGINT NOT NULL REFERENCES websites(id),
    store_view_id BIGINT NOT NULL REFERENCES store_views(id),
    group_id BIGINT NOT NULL REFERENCES customer_groups(id),
    email TEXT NOT NULL,
    email_normalized TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active BIGINT NOT NULL DEFAULT 1,
    assistance_allowed BIGINT NOT NULL DEFAULT 0,
    failures BIGINT NOT NULL DEFAULT 0,
    lock_expires_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (website_id, email_normalized)
);
CREATE INDEX customers_email ON customers (email_normalized);
CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_last_name ON customers (last_name, id);

CREATE TABLE action_log (
    id BIGSERIAL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    admin_id BIGINT,
    admin_username TEXT NOT NULL,
    action_group TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    result TEXT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX action_log_created ON action_log (created_at, id);
CREATE INDEX action_log_group ON action_log (action_group, created_at);

-- The log is append-only: the database itself refuses edits and deletions.
CREATE FUNCTION action_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'action_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER action_log_no_update BEFORE UPDATE OR DELETE ON action_log
FOR EACH ROW EXECUTE FUNCTION action_log_append_only();
