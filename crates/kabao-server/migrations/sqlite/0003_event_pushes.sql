-- Event pushes to Official Account servers: where each app receives them,
-- the outbox, and every delivery attempt.
CREATE TABLE app_push_configs (
    appid       TEXT PRIMARY KEY REFERENCES apps (appid),
    url         TEXT NOT NULL,
    token       TEXT NOT NULL,
    original_id TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- status: pending (due at next_attempt_at; a claimed push has its
-- next_attempt_at moved to the end of its lease), delivered, failed (a round
-- of attempts all failed), no_url (the app had no push config; not retried).
-- round_start: the value of attempts when the current round (the first
-- delivery or a redelivery) began; a round has at most 3 attempts.
CREATE TABLE event_pushes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    appid           TEXT NOT NULL,
    event           TEXT NOT NULL,
    from_openid     TEXT NOT NULL,
    fields          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    round_start     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX event_pushes_due ON event_pushes (status, next_attempt_at);
CREATE INDEX event_pushes_by_app ON event_pushes (appid, id);

-- One row per HTTP attempt: the exact URL (with signature, timestamp, nonce
-- and openid) and body sent, and what came back.
CREATE TABLE event_push_attempts (
    push_id       INTEGER NOT NULL REFERENCES event_pushes (id),
    attempt       INTEGER NOT NULL,
    started_at_ms INTEGER NOT NULL,
    url           TEXT NOT NULL,
    request_body  TEXT NOT NULL,
    http_status   INTEGER,
    latency_ms    INTEGER NOT NULL,
    error         TEXT,
    response_body TEXT,
    PRIMARY KEY (push_id, attempt)
);
