-- Tenants, tokens, counters and settings: the ground every family builds on.
CREATE TABLE apps (
    appid       TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    role        TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE merchants (
    mchid         TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    parent_mchid  TEXT REFERENCES merchants (mchid),
    apiv3_key     TEXT NOT NULL,
    callback_url  TEXT,
    platform_mode TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE merchant_certificates (
    mchid           TEXT NOT NULL REFERENCES merchants (mchid),
    serial_no       TEXT NOT NULL,
    public_key_pem  TEXT NOT NULL,
    certificate_pem TEXT,
    not_after       INTEGER,
    PRIMARY KEY (mchid, serial_no)
);

CREATE TABLE platform_keys (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    serial_no       TEXT UNIQUE,
    public_key_id   TEXT UNIQUE,
    private_key_pem TEXT NOT NULL,
    certificate_pem TEXT,
    not_before      INTEGER NOT NULL,
    not_after       INTEGER NOT NULL
);

CREATE TABLE users (
    appid   TEXT NOT NULL REFERENCES apps (appid),
    openid  TEXT NOT NULL,
    unionid TEXT,
    name    TEXT NOT NULL,
    PRIMARY KEY (appid, openid)
);

CREATE TABLE access_tokens (
    token      TEXT PRIMARY KEY,
    appid      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX access_tokens_by_app ON access_tokens (appid, kind, expires_at);

CREATE TABLE call_counters (
    appid TEXT NOT NULL,
    api   TEXT NOT NULL,
    day   INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (appid, api, day)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE api_tickets (
    ticket     TEXT PRIMARY KEY,
    appid      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
