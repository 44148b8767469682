-- WeChat Pay taxi invoices (/v3/taxi-invoice/*): a service provider's taxi
-- companies, their taxis and drivers, the drivers' attendance punches, the
-- passengers' rides (trip orders), uploaded taxi fapiao files and the taxi
-- fapiao cards put into users' card packages.
--
-- Every row carries the provider that registered it: a provider never sees
-- another provider's companies, taxis, drivers, trips or cards, so plates and
-- driver licences are keyed per provider and region.

-- T1/T2. A company registered by a provider; kabao assigns its mchid.
-- registered_json: every field of the create call as given (T2 echoes them;
-- invoice_mode and enterprise_type have no published enum).
CREATE TABLE taxi_companies (
    company_mchid   TEXT PRIMARY KEY,
    provider_mchid  TEXT NOT NULL,
    region_id       INTEGER NOT NULL,
    company_name    TEXT NOT NULL,
    registered_json TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX taxi_companies_provider ON taxi_companies (provider_mchid, region_id);

-- T3/T4. A taxi (by plate) of one of the provider's companies.
-- taxi_state: IN_OPERATION or OUT_OPERATION; support_invoice from invoice_flag.
CREATE TABLE taxis (
    provider_mchid  TEXT NOT NULL,
    region_id       INTEGER NOT NULL,
    plate_number    TEXT NOT NULL,
    company_mchid   TEXT NOT NULL REFERENCES taxi_companies (company_mchid),
    main_license    TEXT NOT NULL,
    deputy_license  TEXT,
    support_invoice INTEGER NOT NULL,
    taxi_state      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (provider_mchid, region_id, plate_number)
);

-- T5/T6. A driver (by 营运资格证号) of one of the provider's companies.
-- driver_name and id_card_number are kept decrypted (they arrive
-- RSA-OAEP-encrypted with the platform key and leave encrypted to the caller).
-- photo_json: driver_photo as given, or NULL.
CREATE TABLE taxi_drivers (
    provider_mchid  TEXT NOT NULL,
    region_id       INTEGER NOT NULL,
    driver_license  TEXT NOT NULL,
    company_mchid   TEXT NOT NULL REFERENCES taxi_companies (company_mchid),
    driver_name     TEXT NOT NULL,
    id_card_number  TEXT NOT NULL,
    driver_category TEXT NOT NULL,
    driver_status   TEXT NOT NULL,
    photo_json      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (provider_mchid, region_id, driver_license)
);

-- T7. Attendance punches, in arrival order. A driver is signed in on a taxi
-- from a SIGN_IN until the next SIGN_OUT (or a SIGN_IN on another taxi);
-- only rides of a signed-in driver's taxi become trip orders.
-- event_time: the punch's own time (Unix milliseconds).
CREATE TABLE taxi_punches (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_mchid  TEXT NOT NULL,
    region_id       INTEGER NOT NULL,
    plate_number    TEXT NOT NULL,
    driver_license  TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    event_time      INTEGER NOT NULL,
    recorded_at     INTEGER NOT NULL
);
CREATE INDEX taxi_punches_taxi ON taxi_punches (provider_mchid, region_id, plate_number, id);
CREATE INDEX taxi_punches_driver ON taxi_punches (provider_mchid, region_id, driver_license, id);

-- Passengers' face-to-face payments in a taxi (recorded through the control
-- API). A ride whose taxi had a signed-in driver is a trip order: it has the
-- driver and a token (T8 lists it, T9 finds it, T11 inserts its fapiao).
-- Times in Unix seconds; pay_amount in fen.
CREATE TABLE taxi_rides (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_mchid  TEXT NOT NULL,
    company_mchid   TEXT NOT NULL REFERENCES taxi_companies (company_mchid),
    region_id       INTEGER NOT NULL,
    plate_number    TEXT NOT NULL,
    driver_license  TEXT,
    appid           TEXT NOT NULL,
    openid          TEXT NOT NULL,
    transaction_id  TEXT NOT NULL UNIQUE,
    pay_amount      INTEGER NOT NULL,
    pay_time        INTEGER NOT NULL,
    up_time         INTEGER NOT NULL,
    token           TEXT UNIQUE,
    created_at      INTEGER NOT NULL
);
CREATE INDEX taxi_rides_user ON taxi_rides (provider_mchid, appid, openid, up_time);

-- T10. Uploaded taxi fapiao files (PDF, SM3 digest checked), usable for
-- three days by the company they were uploaded for, bound to one card.
CREATE TABLE taxi_media (
    fapiao_media_id TEXT PRIMARY KEY,
    provider_mchid  TEXT NOT NULL,
    company_mchid   TEXT NOT NULL,
    region_id       INTEGER NOT NULL,
    digest          TEXT NOT NULL,
    bytes           BLOB NOT NULL,
    expires_at      INTEGER NOT NULL,
    bound_to        INTEGER,
    created_at      INTEGER NOT NULL
);

-- T11. Taxi fapiao cards in users' card packages, at most one per trip.
-- fapiao_json: fapiao_card_information as accepted (units as on the wire);
-- request_hash tells an identical replay from a different body.
-- status: INSERTED, or DISCARDED when the user discards the card.
CREATE TABLE taxi_cards (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ride_id         INTEGER NOT NULL UNIQUE REFERENCES taxi_rides (id),
    provider_mchid  TEXT NOT NULL,
    company_mchid   TEXT NOT NULL,
    appid           TEXT NOT NULL,
    openid          TEXT NOT NULL,
    card_id         TEXT NOT NULL,
    card_code       TEXT NOT NULL UNIQUE,
    fapiao_media_id TEXT NOT NULL REFERENCES taxi_media (fapiao_media_id),
    fapiao_json     TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX taxi_cards_user ON taxi_cards (appid, openid, id);
