-- PUT: rename an owned task (only a title given)
\set uid random(1, 1000)
\set tid (:uid - 1) * 100 + random(1, 100)
UPDATE tasks SET title = 'updated', updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond') WHERE id = :tid AND user_id = 'u' || :uid::text RETURNING id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags;
