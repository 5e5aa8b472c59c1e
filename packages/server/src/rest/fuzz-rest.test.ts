// Property test of the REST surface (/api/tasks…): hostile paths, query strings and bodies must
// never produce a 5xx, and must leave other users' rows and the table's invariants intact.
import { fuzzRuns, fuzzSeed, hostileInput, hostileString, startTestServer, type TestServer } from '@tasks/testing';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
let token: string;
let victimSnapshot: unknown[];
const statuses = new Map<number, number>();

const snapshotVictim = () =>
  t.database.db.selectFrom('tasks').selectAll().where('user_id', '=', 'victim').orderBy('id').execute();

beforeAll(async () => {
  t = await startTestServer();
  const victim = t.clientFor('victim');
  for (let i = 0; i < 5; i++) await victim.tasks.create.mutate({ title: `victim task ${i}`, description: 'do not touch' });
  const attacker = t.clientFor('attacker');
  for (let i = 0; i < 5; i++) await attacker.tasks.create.mutate({ title: `attacker task ${i}` });
  token = await t.tokenFor('attacker');
  victimSnapshot = await snapshotVictim();
});

afterAll(async () => {
  console.log(`fuzz (REST, seed ${fuzzSeed}): status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  await t?.close();
});

const idSegment = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map(String),
  fc.constantFrom('0', '-1', '1.5', 'abc', '99999999999', '%00', '%ZZ', '1e3', ' 1', 'stats'),
  // Percent-encode every UTF-8 byte (encodeURIComponent throws on lone surrogates).
  hostileString.map((s) => [...Buffer.from(s.slice(0, 40))].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('') || 'x'),
);
const queryValue = fc.oneof(hostileString, fc.constantFrom('all', 'pending', 'completed', 'high', 'dueAt', 'asc', '20', '101', 'true', 'Europe/Paris', '+02:00'));
const query = fc
  .dictionary(fc.constantFrom('status', 'limit', 'cursor', 'priority', 'tag', 'dueBefore', 'dueAfter', 'overdue', 'dueToday', 'timeZone', 'q', 'sort', 'order', 'x'), queryValue, { maxKeys: 4 })
  .map((q) => new URLSearchParams(q).toString());
const body = fc.oneof(
  { weight: 4, arbitrary: hostileInput.map((v) => JSON.stringify(v ?? null)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

const request = fc.oneof(
  fc.record({ method: fc.constant('GET'), path: query.map((q) => `/api/tasks?${q}`) }),
  fc.record({ method: fc.constantFrom('GET', 'DELETE', 'HEAD'), path: idSegment.map((id) => `/api/tasks/${id}`) }),
  fc.record({ method: fc.constant('POST'), path: fc.constant('/api/tasks'), body }),
  fc.record({ method: fc.constantFrom('PUT', 'PATCH'), path: idSegment.map((id) => `/api/tasks/${id}`), body }),
  fc.record({ method: fc.constant('PATCH'), path: idSegment.map((id) => `/api/tasks/${id}/complete`), body: fc.option(body, { nil: undefined }) }),
  fc.record({ method: fc.constant('GET'), path: fc.constantFrom('/api/tasks/stats', '/api/tasks/stats?timeZone=Mars/Olympus') }),
);

describe('fuzzing the REST routes', () => {
  it('never answers 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const response = await t.server.app.inject({
          method: r.method as 'GET',
          url: r.path,
          headers: { authorization: `Bearer ${token}`, ...('body' in r && r.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...('body' in r && r.body !== undefined ? { payload: r.body } : {}),
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `${r.method} ${r.path} → ${response.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns(1500), endOnFailure: true },
    );
  });

  it('left other users and the table invariants intact', async () => {
    expect(await snapshotVictim()).toEqual(victimSnapshot);
    const { rows } = await sql<{ bad: number }>`
      select count(*)::int as bad from tasks
      where length(btrim(title)) = 0 or char_length(title) > 255 or char_length(description) > 5000
         or user_id not in ('victim', 'attacker')`.execute(t.database.db);
    expect(rows[0]?.bad).toBe(0);
  });
});
