-- Fewer pages written per fapiao application.
--
-- Applications are one B-tree keyed by (owner, fapiao_apply_id) instead of
-- a rowid table plus the index of that key: a new application writes one
-- leaf instead of two. (Fapiao rows are too large for this: in a table
-- without rowid, a row over about a quarter of a page spills into overflow
-- pages.)
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE fapiao_applications_saved AS SELECT * FROM fapiao_applications;
-- Leaves every fapiao without its application until the rows are back
-- below: a deferred violation that each inserted application clears.
DROP TABLE fapiao_applications;
CREATE TABLE fapiao_applications (
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    caller_mchid    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    scene           TEXT NOT NULL,
    buyer_json      TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id)
) WITHOUT ROWID;
INSERT INTO fapiao_applications
SELECT owner_mchid, fapiao_apply_id, caller_mchid, kind, scene, buyer_json, request_hash, created_at
FROM fapiao_applications_saved;
DROP TABLE fapiao_applications_saved;

-- The steps table loses AUTOINCREMENT: ids only order steps due in the same
-- second, so a plain rowid (one above the highest) serves, and no
-- `sqlite_sequence` row is rewritten with every step. The index of due
-- steps leaves out the steps nobody set a time for (an outcome held until
-- the control API releases them): they are found through
-- fapiao_jobs_by_application, and storing one no longer touches the due
-- index at all.
CREATE TABLE fapiao_jobs_lean (
    id              INTEGER PRIMARY KEY,
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    fapiao_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    due_at          INTEGER,
    fail_code       TEXT,
    fail_message    TEXT,
    created_at      INTEGER NOT NULL
);
INSERT INTO fapiao_jobs_lean (id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
    fail_code, fail_message, created_at)
SELECT id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
    fail_code, fail_message, created_at
FROM fapiao_jobs;
DROP TABLE fapiao_jobs;
ALTER TABLE fapiao_jobs_lean RENAME TO fapiao_jobs;
CREATE INDEX fapiao_jobs_due ON fapiao_jobs (due_at, id) WHERE due_at IS NOT NULL;
CREATE INDEX fapiao_jobs_by_application ON fapiao_jobs (owner_mchid, fapiao_apply_id);
