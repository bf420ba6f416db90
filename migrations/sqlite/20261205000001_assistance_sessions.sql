-- Login as Customer: one row per assistance session, with its single-use handoff ticket.
-- The ticket is kept only as a SHA-256 hash and cleared when redeemed or when the session
-- ends. `admin_session` ties the assistance to the admin's own session: it never outlives it.
-- Names and the email are copied at start, so the log still says who it was after a rename.
CREATE TABLE assistance_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id INTEGER NOT NULL REFERENCES admin_users(id),
    admin_name TEXT NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    customer_email TEXT NOT NULL,
    store_view_id INTEGER NOT NULL REFERENCES store_views(id),
    reason TEXT,
    admin_session TEXT NOT NULL,
    ticket_hash TEXT UNIQUE,
    ticket_expires_at INTEGER NOT NULL,
    redeemed_at INTEGER,
    started_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT
);
CREATE INDEX assistance_sessions_admin ON assistance_sessions (admin_id, ended_at);
CREATE INDEX assistance_sessions_customer ON assistance_sessions (customer_id, ended_at);
CREATE INDEX assistance_sessions_started ON assistance_sessions (started_at, id);
CREATE INDEX assistance_sessions_open ON assistance_sessions (ended_at, id);
