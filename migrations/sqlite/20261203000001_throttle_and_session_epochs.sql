-- Failed sign-ins are counted per account name and client address, not per account alone,
-- so nobody can lock someone else out from elsewhere; each lock lasts longer than the last.
-- Names that match no account are counted too, so a lock says nothing about who exists.
CREATE TABLE sign_in_throttle (
    kind TEXT NOT NULL,
    account TEXT NOT NULL,
    ip TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    lockouts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, account, ip)
);
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle (updated_at);

ALTER TABLE admin_users DROP COLUMN failures;
ALTER TABLE admin_users DROP COLUMN lock_expires_at;
ALTER TABLE customers DROP COLUMN failures;
ALTER TABLE customers DROP COLUMN lock_expires_at;

-- Raised by every password change: sessions signed in under an older value end.
ALTER TABLE admin_users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
