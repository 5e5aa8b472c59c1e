-- (c) create: the user's row on first write and the task in one statement, as the raw peer and ours do
\set uid random(1, 1000)
WITH u AS (INSERT INTO users (id) VALUES ('u' || :uid::text) ON CONFLICT DO NOTHING) INSERT INTO tasks (user_id, title, description) VALUES ('u' || :uid::text, 'bench task', 'created by pgbench') RETURNING id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags;
