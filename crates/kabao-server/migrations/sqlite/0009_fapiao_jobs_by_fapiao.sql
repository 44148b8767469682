-- Steps are stored under the fapiao they belong to.
--
-- fapiao_jobs becomes one B-tree keyed by (owner, fapiao_apply_id,
-- fapiao_id, id) instead of a rowid table plus the index that found an
-- application's steps: a new step writes one leaf instead of two (the
-- table's last leaf and the index's). Rows keep their columns and ids;
-- kabao gives new steps ids that grow with the system clock (microseconds),
-- since a table without rowid numbers nothing itself. The due index is
-- unchanged.
CREATE TABLE fapiao_jobs_keyed (
    id              INTEGER NOT NULL,
    owner_mchid     TEXT NOT NULL,
    fapiao_apply_id TEXT NOT NULL,
    fapiao_id       TEXT NOT NULL,
    action          TEXT NOT NULL,
    due_at          INTEGER,
    fail_code       TEXT,
    fail_message    TEXT,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (owner_mchid, fapiao_apply_id, fapiao_id, id)
) WITHOUT ROWID;
INSERT INTO fapiao_jobs_keyed (id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
    fail_code, fail_message, created_at)
SELECT id, owner_mchid, fapiao_apply_id, fapiao_id, action, due_at,
    fail_code, fail_message, created_at
FROM fapiao_jobs;
DROP TABLE fapiao_jobs;
ALTER TABLE fapiao_jobs_keyed RENAME TO fapiao_jobs;
CREATE INDEX fapiao_jobs_due ON fapiao_jobs (due_at, id) WHERE due_at IS NOT NULL;
