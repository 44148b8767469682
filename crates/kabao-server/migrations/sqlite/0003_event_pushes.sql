-- Event pushes to Official Account servers: where each app receives them,
-- the outbox, and every delivery attempt.
CREATE TABLE app_push_configs (
    appid       TEXT PRIMARY KEY REFERENCES apps (appid),
    url         TEXT NOT NULL,
    token       TEXT NOT NULL,
    original_id TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE event_pushes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    appid           TEXT NOT NULL,
    event           TEXT NOT NULL,
    from_openid     TEXT NOT NULL,
    fields          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER,
    last_error      TEXT
);
CREATE INDEX event_pushes_due ON event_pushes (status, next_attempt_at);

CREATE TABLE event_push_attempts (
    push_id       INTEGER NOT NULL REFERENCES event_pushes (id),
    attempt       INTEGER NOT NULL,
    started_at_ms INTEGER NOT NULL,
    http_status   INTEGER,
    latency_ms    INTEGER NOT NULL,
    error         TEXT,
    response_body TEXT,
    PRIMARY KEY (push_id, attempt)
);
