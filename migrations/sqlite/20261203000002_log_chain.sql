-- A tamper-evident action log: each entry gets a seal whose hash covers the entry and the
-- previous seal's hash, so an entry changed or removed behind the app's back breaks the chain.
-- Seals are numbered by the sealer (previous seq + 1, no AUTOINCREMENT): two sealers racing
-- collide on the key and one of them retries later.

CREATE TABLE action_log_seals (
    seq INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    sealed_at INTEGER NOT NULL
);

-- INSERT OR REPLACE deletes the row it conflicts with without firing delete triggers
-- (recursive_triggers is off), so an insert over an existing key is refused before it starts.
CREATE TRIGGER action_log_no_replace BEFORE INSERT ON action_log
WHEN EXISTS (SELECT 1 FROM action_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'action_log is append-only'); END;

CREATE TRIGGER action_log_seals_no_update BEFORE UPDATE ON action_log_seals
BEGIN SELECT RAISE(ABORT, 'action_log_seals is append-only'); END;
CREATE TRIGGER action_log_seals_no_delete BEFORE DELETE ON action_log_seals
BEGIN SELECT RAISE(ABORT, 'action_log_seals is append-only'); END;
CREATE TRIGGER action_log_seals_no_replace BEFORE INSERT ON action_log_seals
WHEN EXISTS (SELECT 1 FROM action_log_seals WHERE seq = NEW.seq OR entry_id = NEW.entry_id)
BEGIN SELECT RAISE(ABORT, 'action_log_seals is append-only'); END;
