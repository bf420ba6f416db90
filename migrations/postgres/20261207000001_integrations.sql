-- System > Integrations: API tokens for helpdesks and CRMs. Each acts as one admin user and
-- never holds more than that user's role at the time of the call. Only a hash of the secret
-- is kept; `prefix` (its first characters) lets people tell tokens apart.
CREATE TABLE integration_tokens (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    admin_user_id BIGINT NOT NULL REFERENCES admin_users (id),
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX integration_tokens_user ON integration_tokens (admin_user_id);

-- Webhooks an integration registered, and their deliveries: written in the transaction of
-- the event (the outbox), sent after commit, retried with growing delay until delivered.
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    token_id BIGINT NOT NULL REFERENCES integration_tokens (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX webhooks_token ON webhooks (token_id);

CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    event TEXT NOT NULL,
    website_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    dropped_at BIGINT,
    last_error TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND dropped_at IS NULL;

-- A start's Idempotency-Key: a retried call answers for the session the first one made.
CREATE TABLE api_idempotency (
    token_id BIGINT NOT NULL REFERENCES integration_tokens (id),
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    session_id BIGINT NOT NULL REFERENCES assistance_sessions (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_id, idem_key)
);
