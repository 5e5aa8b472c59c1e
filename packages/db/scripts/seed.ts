// `pnpm db:seed --users N --tasks M [--heavy-user ID --heavy-tasks K]`: migrates, then fills the
// database named by DATABASE_URL (or the embedded PGlite in DATA_DIR) with realistic tasks.
import { parseArgs } from 'node:util';
import { createDb } from '../src/create-db.ts';
import { migrateToLatest } from '../src/migrate.ts';
import { seedTasks } from '../src/seed.ts';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10' },
    tasks: { type: 'string', default: '100' },
    'heavy-user': { type: 'string' },
    'heavy-tasks': { type: 'string' },
    prefix: { type: 'string', default: 'seed-user-' },
    help: { type: 'boolean', short: 'h' },
  },
});

const count = (name: string, text: string | undefined): number => {
  const n = Number(text ?? 0);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number ≥ 0 (got ${text})`);
    process.exit(2);
  }
  return n;
};

if (values.help) {
  console.log('usage: pnpm db:seed --users N --tasks M [--heavy-user ID --heavy-tasks K] [--prefix seed-user-]');
  process.exit(0);
}

const { db, kind } = createDb({ url: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR ?? '.data/pglite', statementTimeoutMs: 0 });
try {
  await migrateToLatest(db);
  const started = performance.now();
  const result = await seedTasks(db, {
    users: count('users', values.users),
    tasksPerUser: count('tasks', values.tasks),
    userPrefix: values.prefix,
    heavyUser: values['heavy-user'],
    heavyTasks: count('heavy-tasks', values['heavy-tasks']),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`seeded ${result.tasks} tasks for ${result.users} users on ${kind} in ${seconds} s`);
} finally {
  await db.destroy();
}
