-- The index of due steps leaves out the steps nobody set a time for (an
-- outcome held until the control API releases them), so storing one does
-- not touch it; they are found through fapiao_jobs_by_application. (The
-- SQLite schema also rebuilds two tables here to write fewer pages; tables
-- here keep their shape.)
DROP INDEX fapiao_jobs_due;
CREATE INDEX fapiao_jobs_due ON fapiao_jobs (due_at, id) WHERE due_at IS NOT NULL;
