// Property test of the tRPC surface: arbitrary JSON, strings and numbers at every procedure must
// never produce a 5xx, and must leave other users' rows and the table's invariants intact.
import { fuzzRuns, fuzzSeed, hostileInput, hostileNumber, hostileValue, startTestServer, type TestServer } from '@tasks/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
let attackerToken: string;
let victimSnapshot: unknown[];
const statuses = new Map<number, number>();

const snapshotVictim = () =>
  t.database.db.selectFrom('tasks').selectAll().where('user_id', '=', 'victim').orderBy('id').execute();

beforeAll(async () => {
  t = await startTestServer({ listen: false });
  const victim = t.clientFor('victim');
  for (let i = 0; i < 5; i++) await victim.tasks.create.mutate({ title: `victim task ${i}`, description: 'do not touch' });
  const attacker = t.clientFor('attacker');
  for (let i = 0; i < 5; i++) await attacker.tasks.create.mutate({ title: `attacker task ${i}` });
  attackerToken = await t.tokenFor('attacker');
  victimSnapshot = await snapshotVictim();
});

afterAll(async () => {
  console.log(`fuzz (tRPC, seed ${fuzzSeed}): status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  await t?.close();
});

// Inputs with only the procedure's own keys, each valid or hostile, so cases get past the shape
// check and reach the queries and the database.
const id = fc.oneof(fc.integer({ min: 1, max: 20 }), hostileNumber);
const text = (max: number) => fc.oneof(fc.string({ unit: 'binary', maxLength: max }), hostileValue);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const priority = fc.oneof(fc.constantFrom('low', 'medium', 'high'), hostileValue);
const tag = fc.oneof(fc.constantFrom('work', ' Home ', ''), text(45));
const date = fc.oneof(fc.date({ min: new Date(-1e15), max: new Date(1e15) }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.constantFrom('2026-02-30', '2026-01-01'), hostileValue);
const calendarDay = fc.oneof(
  fc.date({ min: new Date(-6e13), max: new Date(2.5e14) }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString().slice(0, 10))),
  fc.constantFrom('2026-02-30', '2024-02-29', '0000-01-01', '2026-1-5', '2026-12-01T00:00:00Z'),
  hostileValue,
);
const timeZone = fc.oneof(fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York', '+02:00', 'EST5EDT', 'Etc/GMT+5'), text(70));
const nearValid: Record<string, fc.Arbitrary<unknown>> = {
  list: fc.record({
    status: optional(fc.oneof(fc.constantFrom('all', 'pending', 'completed'), hostileValue)),
    limit: optional(fc.oneof(fc.integer({ min: 1, max: 100 }), hostileNumber)),
    cursor: optional(fc.oneof(fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')), hostileValue)),
    priority: optional(fc.oneof(priority, fc.array(priority, { maxLength: 4 }))),
    tag: optional(fc.oneof(tag, fc.array(tag, { maxLength: 22 }))),
    dueBefore: optional(date),
    dueAfter: optional(date),
    overdue: optional(fc.oneof(fc.boolean(), hostileValue)),
    dueToday: optional(fc.oneof(fc.boolean(), hostileValue)),
    timeZone: optional(timeZone),
    q: optional(fc.oneof(fc.constantFrom('invoice', '"a phrase" -not or', '!!(&|', 'the'), text(210))),
    sort: optional(fc.oneof(fc.constantFrom('createdAt', 'updatedAt', 'dueAt', 'priority', 'title'), hostileValue)),
    order: optional(fc.oneof(fc.constantFrom('asc', 'desc'), hostileValue)),
  }),
  stats: fc.record({ timeZone: optional(timeZone) }),
  get: fc.record({ id }),
  delete: fc.record({ id }),
  create: fc.record({
    title: text(260),
    description: optional(fc.oneof(fc.constant(null), text(5005))),
    priority: optional(priority),
    dueAt: optional(fc.oneof(fc.constant(null), date)),
    dueDate: optional(fc.oneof(fc.constant(null), calendarDay)),
    tags: optional(fc.oneof(fc.array(tag, { maxLength: 25 }), hostileValue)),
  }),
  update: fc.record({
    id,
    title: optional(text(260)),
    description: optional(fc.oneof(fc.constant(null), text(5005))),
    completed: optional(fc.oneof(fc.boolean(), hostileValue)),
    priority: optional(priority),
    dueAt: optional(fc.oneof(fc.constant(null), date)),
    dueDate: optional(fc.oneof(fc.constant(null), calendarDay)),
    tags: optional(fc.oneof(fc.array(tag, { maxLength: 25 }), hostileValue)),
  }),
  complete: fc.record({ id, completed: optional(fc.oneof(fc.boolean(), hostileValue)) }),
};

const procedures = [
  ['list', 'query'],
  ['stats', 'query'],
  ['get', 'query'],
  ['create', 'mutation'],
  ['update', 'mutation'],
  ['complete', 'mutation'],
  ['delete', 'mutation'],
] as const;

async function call(procedure: string, kind: 'query' | 'mutation', payload: string) {
  const response =
    kind === 'query'
      ? await t.server.app.inject({
          method: 'GET',
          url: `/trpc/tasks.${procedure}?input=${encodeURIComponent(payload)}`,
          headers: { authorization: `Bearer ${attackerToken}` },
        })
      : await t.server.app.inject({
          method: 'POST',
          url: `/trpc/tasks.${procedure}`,
          headers: { authorization: `Bearer ${attackerToken}`, 'content-type': 'application/json' },
          payload,
        });
  statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  return response;
}

describe('fuzzing the tRPC procedures', () => {
  it.each(procedures)('tasks.%s never answers 5xx', async (procedure, kind) => {
    const envelope = (input: unknown) => JSON.stringify({ json: input ?? null });
    const payloads = fc.oneof(
      { weight: 3, arbitrary: nearValid[procedure]!.map(envelope) },
      { weight: 3, arbitrary: hostileInput.map(envelope) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    );
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        const response = await call(procedure, kind, payload);
        expect(response.statusCode, `${procedure} ${payload.slice(0, 200)} → ${response.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns(400), endOnFailure: true },
    );
  });

  it('left other users and the table invariants intact', async () => {
    expect(await snapshotVictim()).toEqual(victimSnapshot);
    const { rows } = await sql<{ bad: number }>`
      select count(*)::int as bad from tasks
      where length(btrim(title)) = 0 or char_length(title) > 255 or char_length(description) > 5000
         or user_id not in ('victim', 'attacker') or cardinality(tags) > 20
         or exists (select from unnest(tags) t where t ~ '[A-Z]' or char_length(t) not between 1 and 40 or t <> btrim(t))
         or cardinality(tags) <> (select count(distinct t) from unnest(tags) t)`.execute(t.database.db);
    expect(rows[0]?.bad).toBe(0);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });
});
