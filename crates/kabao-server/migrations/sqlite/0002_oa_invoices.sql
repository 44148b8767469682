-- Official Account invoices and fiscal bills: invoicing platforms, card
-- templates, uploaded PDFs, merchant settings, authorised orders and the
-- cards in users' card packages.
CREATE TABLE invoice_platforms (
    appid      TEXT PRIMARY KEY REFERENCES apps (appid),
    s_pappid   TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

CREATE TABLE card_templates (
    card_id    TEXT PRIMARY KEY,
    appid      TEXT NOT NULL REFERENCES apps (appid),
    kind       TEXT NOT NULL,
    payee      TEXT NOT NULL,
    type       TEXT NOT NULL,
    title      TEXT NOT NULL,
    info_json  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX card_templates_by_app ON card_templates (appid);

CREATE TABLE pdf_media (
    s_media_id  TEXT PRIMARY KEY,
    appid       TEXT NOT NULL,
    filename    TEXT NOT NULL,
    content     BLOB NOT NULL,
    uploaded_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    bound_code  TEXT
);

CREATE TABLE pdf_links (
    media_key  TEXT PRIMARY KEY,
    s_media_id TEXT NOT NULL REFERENCES pdf_media (s_media_id),
    expires_at INTEGER NOT NULL
);

CREATE TABLE biz_attrs (
    appid      TEXT NOT NULL,
    attr       TEXT NOT NULL,
    value_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (appid, attr)
);

CREATE TABLE auth_orders (
    appid          TEXT NOT NULL,
    order_id       TEXT NOT NULL,
    kind           TEXT NOT NULL,
    s_pappid       TEXT NOT NULL,
    platform_appid TEXT NOT NULL,
    money          INTEGER NOT NULL,
    timestamp      INTEGER NOT NULL,
    source         TEXT NOT NULL,
    auth_type      INTEGER NOT NULL,
    redirect_url   TEXT,
    auth_key       TEXT NOT NULL UNIQUE,
    status         TEXT NOT NULL,
    openid         TEXT,
    auth_time      INTEGER,
    user_auth_info TEXT,
    reject_reason  TEXT,
    reject_url     TEXT,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (appid, order_id)
);

CREATE TABLE invoice_cards (
    code                TEXT PRIMARY KEY,
    kind                TEXT NOT NULL,
    card_id             TEXT NOT NULL,
    platform_appid      TEXT NOT NULL,
    appid               TEXT NOT NULL,
    order_id            TEXT NOT NULL,
    openid              TEXT NOT NULL,
    unionid             TEXT,
    encrypt_code        TEXT NOT NULL UNIQUE,
    billing_code        TEXT NOT NULL,
    billing_no          TEXT NOT NULL,
    fee                 INTEGER NOT NULL,
    title               TEXT NOT NULL,
    billing_time        INTEGER NOT NULL,
    user_data           TEXT NOT NULL,
    s_pdf_media_id      TEXT NOT NULL,
    s_trip_pdf_media_id TEXT,
    request_hash        TEXT NOT NULL,
    warnings            TEXT NOT NULL,
    reimburse_status    TEXT NOT NULL,
    reimburse_appid     TEXT,
    card_status         TEXT NOT NULL,
    inserted_at         INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (appid, order_id),
    UNIQUE (kind, billing_code, billing_no)
);
CREATE INDEX invoice_cards_by_openid ON invoice_cards (openid, inserted_at);
