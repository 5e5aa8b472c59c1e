// `pnpm bench:query [--pglite] [--iterations N]`: list/search/stats latency for a user with 100
// tasks and one with 100,000 (beside 1,000 users with 100 each), through the real procedures
// (createCaller) on a fresh PostgreSQL database it creates and drops; PGlite with smaller counts.
import { parseArgs } from 'node:util';
import { createCaller, createInnerContext } from '@tasks/api';
import { createDb, migrateToLatest, seedTasks, type DbHandle } from '@tasks/db';
import { createPostgresDatabase } from '@tasks/testing';
import { sql } from 'kysely';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    iterations: { type: 'string', default: '200' },
    pglite: { type: 'boolean', default: false },
    'pglite-only': { type: 'boolean', default: false },
    'heavy-tasks': { type: 'string' },
    others: { type: 'string' },
  },
});
const iterations = Number(values.iterations);
const LIGHT = 'light-user';
const HEAVY = 'heavy-user';
const SORTS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;

type Caller = ReturnType<typeof createCaller>;
interface Case {
  name: string;
  /** Prepares per user (e.g. walks to page 49 for a cursor) and returns the call to time. */
  prepare(caller: Caller): Promise<() => Promise<unknown>>;
}

async function cursorForPage(caller: Caller, input: Record<string, unknown>, page: number): Promise<{ cursor: string | null; page: number }> {
  let cursor: string | null = null;
  let reached = 1;
  for (; reached < page; reached++) {
    const next: string | null = (await caller.tasks.list({ ...input, limit: 20, cursor } as never)).nextCursor;
    if (!next) break;
    cursor = next;
  }
  return { cursor, page: reached };
}

const reachedPage = new Map<string, number>();
const cases: Case[] = [
  ...SORTS.flatMap((sort) =>
    (['asc', 'desc'] as const).map((order) => ({
      name: `first page, ${sort} ${order}`,
      prepare: async (caller: Caller) => () => caller.tasks.list({ sort, order, limit: 20 }),
    })),
  ),
  ...SORTS.map((sort) => ({
    name: `page 50 by cursor, ${sort}`,
    prepare: async (caller: Caller) => {
      const { cursor, page } = await cursorForPage(caller, { sort }, 50);
      reachedPage.set(`${sort}:${page}`, page);
      return () => caller.tasks.list({ sort, limit: 20, cursor });
    },
  })),
  { name: 'search "invoice", ranked', prepare: async (c) => () => c.tasks.list({ q: 'invoice', limit: 20 }) },
  { name: 'search "invoice", page 2 ranked', prepare: async (c) => {
    const { cursor } = await cursorForPage(c, { q: 'invoice' }, 2);
    return () => c.tasks.list({ q: 'invoice', limit: 20, cursor });
  } },
  { name: 'search "passport photos", ranked', prepare: async (c) => () => c.tasks.list({ q: 'passport photos', limit: 20 }) },
  { name: 'search "invoice", newest first', prepare: async (c) => () => c.tasks.list({ q: 'invoice', sort: 'createdAt', limit: 20 }) },
  { name: 'overdue, newest first', prepare: async (c) => () => c.tasks.list({ overdue: true, limit: 20 }) },
  { name: 'overdue, soonest due first', prepare: async (c) => () => c.tasks.list({ overdue: true, sort: 'dueAt', limit: 20 }) },
  { name: 'tag "work" + high priority', prepare: async (c) => () => c.tasks.list({ tag: 'work', priority: 'high', limit: 20 }) },
  { name: 'stats (Europe/Paris)', prepare: async (c) => () => c.tasks.stats({ timeZone: 'Europe/Paris' }) },
];

async function measure(run: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < Math.min(20, iterations); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99) };
}

async function bench(handle: DbHandle, label: string, heavyTasks: number, others: number): Promise<void> {
  const { db } = handle;
  await migrateToLatest(db);
  let started = performance.now();
  await seedTasks(db, { users: others, tasksPerUser: 100, userPrefix: 'other-' });
  await seedTasks(db, { users: 0, tasksPerUser: 0, heavyUser: LIGHT, heavyTasks: 100, seed: 0.1 });
  await seedTasks(db, { users: 0, tasksPerUser: 0, heavyUser: HEAVY, heavyTasks: heavyTasks, seed: 0.2 });
  await sql`vacuum analyze`.execute(db);
  const seedSeconds = ((performance.now() - started) / 1000).toFixed(1);

  const rows: string[] = [];
  let worstRatio = 0;
  for (const c of cases) {
    const results = [];
    for (const user of [LIGHT, HEAVY]) {
      const caller = createCaller(createInnerContext({ db, userId: user }));
      results.push(await measure(await c.prepare(caller)));
    }
    const [light, heavy] = results as [{ median: number; p99: number }, { median: number; p99: number }];
    const ratio = heavy.median / light.median;
    worstRatio = Math.max(worstRatio, ratio);
    const f = (ms: number) => ms.toFixed(2);
    rows.push(`| ${c.name} | ${f(light.median)} | ${f(light.p99)} | ${f(heavy.median)} | ${f(heavy.p99)} | ${ratio.toFixed(2)}× |`);
  }
  started = performance.now();
  const total = others * 100 + 100 + heavyTasks;
  console.log(`\n### ${label}: ${total.toLocaleString('en')} tasks (${others} users × 100, light user 100, heavy user ${heavyTasks.toLocaleString('en')}); seeded in ${seedSeconds} s; ${iterations} timed calls per cell, ms\n`);
  console.log(`| query | 100 tasks median | 100 tasks p99 | ${heavyTasks.toLocaleString('en')} tasks median | ${heavyTasks.toLocaleString('en')} tasks p99 | heavy/light median |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
  const light = [...reachedPage.keys()].filter((k) => !k.endsWith(':50')).map((k) => k.split(':')[1]);
  if (light.length) console.log(`\n"page 50" for the 100-task user is its last page (page ${light[0]}): it has only 5 pages of 20.`);
  reachedPage.clear();
  console.log(`worst heavy/light median ratio: ${worstRatio.toFixed(2)}×`);
}

if (!values['pglite-only']) {
  const created = await createPostgresDatabase(values.url);
  const handle = createDb({ url: created.url, poolMax: 4, statementTimeoutMs: 0 });
  try {
    const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(handle.db)).rows[0]?.v;
    await bench(handle, `PostgreSQL ${version}`, Number(values['heavy-tasks'] ?? 100_000), Number(values.others ?? 1_000));
  } finally {
    await handle.db.destroy();
    await created.drop();
  }
}
if (values.pglite || values['pglite-only']) {
  const handle = createDb({ dataDir: 'memory' });
  try {
    await bench(handle, 'PGlite (in memory)', Number(values['heavy-tasks'] ?? 100_000), Number(values.others ?? 100));
  } finally {
    await handle.db.destroy();
  }
}
