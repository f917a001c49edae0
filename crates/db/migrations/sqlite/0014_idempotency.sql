-- Idempotency keys of requests that changed something (issue 12): the claim is
-- written in the request's own transaction, with what it changed and which
-- server process ran it; the answer (encrypted) is added once it is known.
-- Keys belong to a principal (`u:<user>` or `t:<token>`) and are kept a day.
CREATE TABLE idempotency_key (
    principal TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    at INTEGER NOT NULL,
    instance TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_key_at ON idempotency_key (at);
