-- WeChat Pay fapiao (/v3/new-tax-control-fapiao/*) and the APIv3 callback
-- outbox. "owner" below is the merchant the fapiao are issued for: the
-- direct merchant itself, or the sub-merchant (sub_mchid) a service
-- provider acts for. "caller" is the merchant that signed the API call and
-- receives the callbacks (the direct merchant, or the service provider).

-- Fapiao capability of a merchant (check-status, base-information).
-- provider_authorized: a sub-merchant has accepted its service provider's
-- fapiao invitation (provisioned sub-merchants start accepted).
CREATE TABLE fapiao_merchants (
    mchid               TEXT PRIMARY KEY,
    provider_authorized BOOLEAN NOT NULL DEFAULT TRUE,
    digital_tax_status  TEXT NOT NULL DEFAULT 'ENABLED',
    seller_json         TEXT,
    extra_json          TEXT,
    updated_at          BIGINT NOT NULL
);

-- development-config, per calling merchant.
CREATE TABLE fapiao_dev_configs (
    mchid              TEXT PRIMARY KEY,
    callback_url       TEXT NOT NULL,
    show_fapiao_cell   BOOLEAN NOT NULL DEFAULT FALSE,
    support_vat_fapiao BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at         BIGINT NOT NULL
);

-- card-template, per owner (overwritten by each call).
CREATE TABLE fapiao_card_templates (
    mchid         TEXT PRIMARY KEY,
    card_appid    TEXT NOT NULL,
    card_id       TEXT NOT NULL,
    template_json TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);

-- The tax classification table (tax-codes). scope '' is the table kabao
-- ships, seen by every merchant; scope = an owner mchid adds codes for it.
CREATE TABLE fapiao_tax_codes (
    scope           TEXT NOT NULL,
    tax_code        TEXT NOT NULL,
    goods_name      TEXT NOT NULL,
    goods_id        BIGINT,
    goods_category  TEXT NOT NULL,
    tax_rate        BIGINT NOT NULL,
    tax_prefer_mark TEXT NOT NULL,
    PRIMARY KEY (scope, tax_code)
);

-- Paid WeChat Pay orders made through the control API; transaction_id is
-- the fapiao_apply_id of the WITH_WECHATPAY scene.
CREATE TABLE pay_orders (
    transaction_id TEXT PRIMARY KEY,
    mchid          TEXT NOT NULL,
    out_trade_no   TEXT NOT NULL,
    appid          TEXT,
    openid         TEXT,
    amount         BIGINT NOT NULL,
    description    TEXT NOT NULL,
    paid_at        BIGINT NOT NULL
);
CREATE INDEX pay_orders_by_owner ON pay_orders (mchid, paid_at);
CREATE UNIQUE INDEX pay_orders_out_trade_no ON pay_orders (mchid, out_trade_no);

-- Title requests (title-url) and what the user filled in (user-title).
-- link_key: the unguessable key of the title page URL. title_json is NULL
-- until the user submits.
CREATE TABLE fapiao_user_titles (
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    caller_mchid    TEXT NOT NULL,
    link_key        TEXT NOT NULL UNIQUE,
    request_json    TEXT NOT NULL,
    link_expires_at BIGINT NOT NULL,
    title_json      TEXT,
    applied_at      BIGINT,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id)
);

-- One issuing request (fapiao-applications, issue-*, or insert-cards).
-- kind: CLASSIC, GENERAL, PASSENGER_TRANSPORT, REFINED_OIL,
-- REAL_ESTATE_LEASING, SELF_ISSUED. How its asynchronous steps end is in
-- fapiao_outcomes.
CREATE TABLE fapiao_applications (
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    caller_mchid    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    scene           TEXT NOT NULL,
    buyer_json      TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id)
);

-- One fapiao of an application, with its state machine and card.
-- status: ISSUE_ACCEPTED, ISSUED, ISSUE_FAILED, REVERSE_ACCEPTED, REVERSED,
-- REVERSE_FAILED. card_status: NULL (no card yet), INSERT_ACCEPTED,
-- INSERTED, DISCARD_ACCEPTED, DISCARDED. fapiao_json: the whole stored face
-- (seller, buyer, extra, items with computed amounts, totals, remark).
CREATE TABLE fapiaos (
    owner_mchid         TEXT NOT NULL,
    fapiao_apply_id     TEXT NOT NULL,
    fapiao_id           TEXT NOT NULL,
    seq                 BIGINT NOT NULL,
    status              TEXT NOT NULL,
    card_status         TEXT,
    total_amount        BIGINT NOT NULL,
    tax_amount          BIGINT NOT NULL,
    amount              BIGINT NOT NULL,
    fapiao_json         TEXT NOT NULL,
    blue_json           TEXT,
    red_json            TEXT,
    card_json           TEXT,
    fapiao_media_id     TEXT,
    error_code          TEXT,
    error_message       TEXT,
    reverse_reason      TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id, fapiao_id),
    FOREIGN KEY (owner_mchid, fapiao_apply_id)
        REFERENCES fapiao_applications (owner_mchid, fapiao_apply_id)
);

-- Scheduled asynchronous steps of the fapiao state machine.
-- action: ISSUE, INSERT_CARD, REVERSE, DISCARD_CARD. due_at NULL: held until
-- released through the control API. fail_code/fail_message: the step fails
-- with this error instead of succeeding.
CREATE TABLE fapiao_jobs (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    fapiao_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    due_at          BIGINT,
    fail_code       TEXT,
    fail_message    TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX fapiao_jobs_due ON fapiao_jobs (due_at);
CREATE INDEX fapiao_jobs_by_application ON fapiao_jobs (owner_mchid, fapiao_apply_id);

-- How the issuing and reversal steps end (control API), per owner:
-- fapiao_apply_id '' is the merchant's default, any other value one
-- application (set before or after the issuing call). outcome_json is
-- {"mode":"immediate"|"after_seconds"|"manual"|"fail", ...}.
CREATE TABLE fapiao_outcomes (
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    outcome_json    TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id)
);

-- Uploaded self-issued fapiao files (upload-fapiao-file); bound once used.
CREATE TABLE fapiao_media (
    fapiao_media_id TEXT PRIMARY KEY,
    owner_mchid     TEXT NOT NULL,
    file_type       TEXT NOT NULL,
    digest          TEXT NOT NULL,
    bytes           BYTEA NOT NULL,
    expires_at      BIGINT NOT NULL,
    bound_to        TEXT,
    created_at      BIGINT NOT NULL
);

-- Partner onboarding invitations (getspinviteurl, listspinvitemchinfo).
CREATE TABLE fapiao_invites (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    provider_mchid  TEXT NOT NULL,
    invite_code     TEXT NOT NULL,
    link_key        TEXT NOT NULL UNIQUE,
    request_json    TEXT NOT NULL,
    sub_mchid       TEXT,
    status          TEXT NOT NULL,
    ep_name         TEXT,
    tax_id          TEXT,
    failed_code     TEXT,
    failed_reason   TEXT,
    created_at      BIGINT NOT NULL,
    operate_time    BIGINT
);
CREATE INDEX fapiao_invites_by_provider ON fapiao_invites (provider_mchid, operate_time);

-- APIv3 callbacks (FAPIAO.*) waiting in the outbox. Enqueued in the same
-- transaction as the change they report. caller_mchid receives it (its
-- development-config callback_url, else its provisioned callback_url) and
-- its APIv3 key encrypts it. event_id is kept on every retry.
-- status: pending, delivered, failed (schedule exhausted), no_url.
-- next_attempt_at is in milliseconds of kabao's clock, so a compressed
-- retry schedule (time scale) can be sub-second. duplicate_of: the row
-- this one is an extra send of (same event_id; control API "duplicate").
-- leased_until (ms): a worker is attempting it; released at every start.
CREATE TABLE v3_callbacks (
    id              BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    event_id        TEXT NOT NULL,
    caller_mchid    TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    summary         TEXT NOT NULL,
    plaintext       TEXT NOT NULL,
    create_time     TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    round_start     BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT,
    duplicate_of    BIGINT REFERENCES v3_callbacks (id),
    leased_until    BIGINT
);
CREATE INDEX v3_callbacks_due ON v3_callbacks (status, next_attempt_at);
CREATE INDEX v3_callbacks_by_caller ON v3_callbacks (caller_mchid, id);

-- One row per HTTP attempt of a callback.
CREATE TABLE v3_callback_attempts (
    callback_id   BIGINT NOT NULL REFERENCES v3_callbacks (id),
    attempt       BIGINT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    url           TEXT NOT NULL,
    request_body  TEXT NOT NULL,
    http_status   BIGINT,
    latency_ms    BIGINT NOT NULL,
    error         TEXT,
    response_body TEXT,
    PRIMARY KEY (callback_id, attempt)
);
