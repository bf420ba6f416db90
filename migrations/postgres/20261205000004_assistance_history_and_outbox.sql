-- The name a shopper sees for the admin who assisted them (Assistance History, the notice);
-- empty means the first name. Never the user name.
ALTER TABLE admin_users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
-- The assistant's name as shown to the customer, kept with each session.
ALTER TABLE assistance_sessions ADD COLUMN shown_name TEXT NOT NULL DEFAULT '';

-- Messages to send, written in the transaction of what caused them and sent after commit
-- (by SMTP when it is configured). Nothing is lost when sending fails: it is retried.
CREATE TABLE outbox_messages (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox_messages (sent_at, next_attempt_at);
