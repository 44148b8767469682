-- Nothing changes here: on SQLite this version stores fapiao_jobs under
-- their fapiao (a table without rowid, so a new step writes one B-tree
-- leaf instead of two). PostgreSQL's heap and its index on
-- (owner_mchid, fapiao_apply_id) already cost one index entry per step.
-- The version exists on both stores so their schema versions stay equal,
-- as `kabao export` / `kabao import` require.
SELECT 1;
