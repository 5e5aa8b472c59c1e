-- first page for the user with 100,000 tasks
SELECT id, user_id, title, description, completed, completed_at, created_at, updated_at, priority, due_at, tags FROM tasks WHERE user_id = 'heavy' ORDER BY created_at DESC, id DESC LIMIT 20;
