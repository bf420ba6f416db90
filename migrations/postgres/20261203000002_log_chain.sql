-- A tamper-evident action log: each entry gets a seal whose hash covers the entry and the
-- previous seal's hash, so an entry changed or removed behind the app's back breaks the chain.
-- Seals are numbered by the sealer (previous seq + 1, no sequence): two sealers racing
-- collide on the key and one of them retries later.

CREATE TABLE action_log_seals (
    seq BIGINT PRIMARY KEY,
    entry_id BIGINT NOT NULL UNIQUE,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    sealed_at BIGINT NOT NULL
);

-- Row triggers do not fire on TRUNCATE: it needs its own statement trigger.
CREATE TRIGGER action_log_no_truncate BEFORE TRUNCATE ON action_log
FOR EACH STATEMENT EXECUTE FUNCTION action_log_append_only();

CREATE FUNCTION action_log_seals_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'action_log_seals is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER action_log_seals_no_update BEFORE UPDATE OR DELETE ON action_log_seals
FOR EACH ROW EXECUTE FUNCTION action_log_seals_append_only();
CREATE TRIGGER action_log_seals_no_truncate BEFORE TRUNCATE ON action_log_seals
FOR EACH STATEMENT EXECUTE FUNCTION action_log_seals_append_only();
