-- (a) first page, newest first, random normal user: the same SQL as peers/fastify-raw
\set uid random(1, 1000)
SELECT id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags FROM tasks WHERE user_id = 'u' || :uid::text ORDER BY created_at DESC, id DESC LIMIT 20;
