-- Cheap reset between peers: drop what the write workloads added, restore the seeded rows that
-- complete / update runs changed (every write bumps updated_at, so they are the rows whose
-- updated_at moved off created_at), rewind the identity sequence, empty the changes log to its seed,
-- vacuum away the dead tuples.
-- Mirrors seed.sql; psql -f sql/reset.sql (run-suite.sh does it after every peer).
\set ON_ERROR_STOP on
DELETE FROM tasks WHERE id > 200000;
UPDATE tasks SET completed = (id % 3 = 0),
                 completed_at = CASE WHEN id % 3 = 0 THEN created_at + interval '1 hour' END,
                 title = CASE WHEN user_id = 'heavy' THEN 'Heavy task ' || (id - 100000)
                              ELSE 'Task ' || ((id - 1) % 100 + 1) || ' of ' || user_id END,
                 description = CASE WHEN id % 4 = 0 THEN NULL
                                    ELSE 'Description for task ' || id || ': ' || repeat('lorem ipsum ', 1 + id % 8) END,
                 updated_at = created_at
WHERE updated_at <> created_at;
SELECT setval(pg_get_serial_sequence('tasks', 'id'), 200000);
-- The changes feed's log back to what the seed left in it: one change per seeded task. Every write
-- of a run, and the UPDATE above, logs a row; kept, the log grew with every run (1,346,769 rows,
-- 223 MB, after a day of runs), and each write's index inserts with it.
TRUNCATE task_changes RESTART IDENTITY;
INSERT INTO task_changes (user_id, task_id, deleted) SELECT user_id, id, false FROM tasks ORDER BY id;
VACUUM (ANALYZE) tasks, task_changes, task_counts;
