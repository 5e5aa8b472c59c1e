-- (b) get an owned task by id (seeded ids: user u<n> owns (n-1)*100+1 .. n*100)
\set uid random(1, 1000)
\set tid (:uid - 1) * 100 + random(1, 100)
SELECT id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags FROM tasks WHERE id = :tid AND user_id = 'u' || :uid::text;
