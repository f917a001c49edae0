-- Idempotency keys of requests that changed something (issue 12): the claim is
-- written in the request's own transaction, with what it created; the answer
-- is added once it is known. Kept for a day.
CREATE TABLE idempotency_key (
    actor_key INTEGER NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    at INTEGER NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    PRIMARY KEY (actor_key, key)
);
CREATE INDEX idempotency_key_at ON idempotency_key (at);
