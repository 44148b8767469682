-- Nothing changes here. On SQLite this version stores fapiao_jobs under
-- their fapiao (a table without rowid), so a new step writes one B-tree
-- leaf where a rowid table and its index by application wrote two; a
-- PostgreSQL table is a heap with separate indexes, so the change has no
-- counterpart. The version exists on both stores so their schema versions
-- stay equal, as `kabao export` / `kabao import` require.
SELECT 1;
