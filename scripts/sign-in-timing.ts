// Measures whether sign-in tells an unknown email from a wrong password by its time: 200 attempts of
// each, interleaved (so drift in the machine's speed falls on both alike), over HTTP against the real
// server, and prints both medians and their difference. A script, not a test: timings are not asserted.
// The database is a fresh one, as in the tests (dropped at the end):
//   node scripts/sign-in-timing.ts                                    (embedded PGlite)
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node scripts/sign-in-timing.ts
import { randomBytes } from 'node:crypto';
import { createServer, loadConfig } from '@tasks/server';
import { createTestDatabase } from '@tasks/testing/database';

const ATTEMPTS = Number(process.env.ATTEMPTS ?? 200);

const config = loadConfig({
  NODE_ENV: 'test',
  PORT: '0',
  AUTH_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX: '0',
  // The limits would answer 429 long before 200 attempts; they are not what is measured.
  AUTH_ATTEMPTS_PER_EMAIL: '0',
  AUTH_ATTEMPTS_PER_IP: '0',
});
const database = await createTestDatabase();
const server = await createServer(config, { db: database, logger: false });
const url = (await server.start()).replace('localhost', '127.0.0.1');

async function signIn(email: string, password: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
  return elapsed;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

try {
  const email = 'timing@example.com';
  const made = await fetch(`${url}/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'the-right-password', name: 'T' }) });
  if (made.status !== 201) throw new Error(`sign-up answered ${made.status}`);
  // Warm-up: the dummy hash is made at the first unknown email, and the JIT settles.
  for (let i = 0; i < 10; i++) {
    await signIn(`warm-${i}@example.com`, 'x');
    await signIn(email, 'x');
  }

  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    // Alternate which goes first, so neither always follows the other.
    if (i % 2 === 0) {
      unknown.push(await signIn(`nobody-${i}@example.com`, `guess-${i}`));
      wrong.push(await signIn(email, `guess-${i}`));
    } else {
      wrong.push(await signIn(email, `guess-${i}`));
      unknown.push(await signIn(`nobody-${i}@example.com`, `guess-${i}`));
    }
  }
  const a = median(unknown);
  const b = median(wrong);
  const difference = (Math.abs(a - b) / Math.min(a, b)) * 100;
  console.log(`database: ${server.db.kind}; ${ATTEMPTS} attempts each`);
  console.log(`unknown email  median ${a.toFixed(2)} ms`);
  console.log(`wrong password median ${b.toFixed(2)} ms`);
  console.log(`difference ${difference.toFixed(1)} % (${difference <= 10 ? 'within' : 'OVER'} 10 %)`);
} finally {
  await server.app.close();
  await database.destroy();
}
