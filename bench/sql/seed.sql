-- Deterministic seed of the shared workload's shape, on OUR schema (packages/db migrations: run
-- them first; prepare-db.ts does both). Plain SQL without psql meta-commands, so that it runs through
-- psql, node-postgres and PGlite alike.
--   users u1..u1000 with 100 tasks each (ids 1..100000), user "heavy" with 100,000 (ids 100001..200000);
--   task k (1..100) of user u<n> has id (n - 1) * 100 + k, so pgbench scripts pick an owned task without a lookup;
--   created_at grows with id (one task per second from 2025-01-01): newest first = highest id;
--   every third task is completed (completed_at one hour after creation); updated_at = created_at,
--   which reset.sql relies on to find the rows a write workload changed.
-- tasks.id is GENERATED ALWAYS AS IDENTITY: explicit ids need OVERRIDING SYSTEM VALUE, and the
-- identity sequence is moved past them so the server's inserts take 200001 onwards.
BEGIN;

INSERT INTO users (id, created_at)
SELECT 'u' || n, timestamptz '2024-12-01 00:00:00+00' + n * interval '1 minute'
FROM generate_series(1, 1000) AS n;

INSERT INTO users (id, created_at) VALUES ('heavy', timestamptz '2024-12-01 00:00:00+00');

INSERT INTO tasks (id, user_id, title, description, completed, completed_at, created_at, updated_at)
OVERRIDING SYSTEM VALUE
SELECT g,
       CASE WHEN g <= 100000 THEN 'u' || ((g - 1) / 100 + 1) ELSE 'heavy' END,
       CASE WHEN g <= 100000 THEN 'Task ' || ((g - 1) % 100 + 1) || ' of u' || ((g - 1) / 100 + 1)
            ELSE 'Heavy task ' || (g - 100000) END,
       CASE WHEN g % 4 = 0 THEN NULL
            ELSE 'Description for task ' || g || ': ' || repeat('lorem ipsum ', 1 + g % 8) END,
       g % 3 = 0,
       CASE WHEN g % 3 = 0 THEN timestamptz '2025-01-01 01:00:00+00' + g * interval '1 second' END,
       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second',
       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(1, 200000) AS g;

SELECT setval(pg_get_serial_sequence('tasks', 'id'), 200000);
COMMIT;
