// Property test of the compatibility routes: hostile ids, query words and bodies at every route must
// never produce a 5xx, must answer in the `{"detail": …}` shape, and must leave other users' rows intact.
import { fuzzRuns, fuzzSeed, hostileInput, hostileString, hostileValue, startTestServer, type TestServer } from '@tasks/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originalClient } from '@tasks/testing';
import { CompatTask } from './task-wire.ts';

let t: TestServer;
let token: string;
let victimSnapshot: unknown[];
const statuses = new Map<number, number>();

const snapshotVictim = () => t.database.db.selectFrom('tasks').selectAll().where('user_id', '=', 'victim').orderBy('id').execute();

beforeAll(async () => {
  t = await startTestServer();
  const call = originalClient(t);
  for (const user of ['victim', 'attacker']) {
    for (let i = 0; i < 5; i++) await call('POST', `/api/${user}/tasks`, { as: { user }, body: { title: `${user} task ${i}` } });
  }
  token = await t.tokenFor('attacker');
  victimSnapshot = await snapshotVictim();
});

afterAll(async () => {
  console.log(`fuzz (compat, seed ${fuzzSeed}): status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  await t?.close();
});

const routes = [
  ['GET', ''],
  ['POST', ''],
  ['GET', '/ID'],
  ['PUT', '/ID'],
  ['DELETE', '/ID'],
  ['PATCH', '/ID/complete'],
  ['PATCH', '/ID/incomplete'],
  ['PATCH', '/ID/status'],
] as const;

/** Percent-encodes every UTF-8 byte (encodeURIComponent throws on lone surrogates). */
const encodeBytes = (value: string) => [...Buffer.from(value)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
// Ids stay under the router's maxParamLength (5,000): longer segments never reach these routes, and
// Fastify answers them itself (400 FST_ERR_MAX_PARAM_LENGTH, in its own shape).
const idSegment = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map(String),
  hostileString.filter((s) => Buffer.byteLength(s) < 1_500).map(encodeBytes),
);
const queryValue = fc.oneof(fc.constantFrom('complete', 'pending', 'all', 'priority', 'due_date', '-due_date', ''), hostileString);
// Bodies in the original's spelling, with values near the later fields' domains as well as hostile ones.
const nearDate = fc.oneof(
  fc.date({ min: new Date(-70_000_000_000_000), max: new Date(300_000_000_000_000) }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '2026-01-01T10:00:00', '2026-01-01T10:00:00+14:00', '+275760-09-13'),
);
/** Mostly values near the field's domain, sometimes a hostile one. */
const mostly = (near: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: hostileValue });
const compatBody = fc.record(
  {
    title: mostly(fc.string({ minLength: 1, maxLength: 20 })),
    description: mostly(fc.string({ maxLength: 20 })),
    status: mostly(fc.constantFrom('complete', 'incomplete', 'PENDING', null)),
    completed: mostly(fc.boolean()),
    priority: mostly(fc.constantFrom('low', 'medium', 'high', 'HIGH', '')),
    due_date: mostly(fc.oneof(nearDate, fc.constant(null))),
    dueDate: mostly(nearDate),
    tags: mostly(fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 45 }), hostileString), { maxLength: 25 }), fc.constant(null))),
    user_id: hostileValue,
    created_at: hostileValue,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 3, arbitrary: hostileInput.map((v) => JSON.stringify(v ?? null)) },
  { weight: 3, arbitrary: compatBody.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant('') },
);

describe('fuzzing the compatibility routes', () => {
  it.each(routes)('%s /api/attacker/tasks%s never answers 5xx', async (method, suffix) => {
    await fc.assert(
      fc.asyncProperty(idSegment, queryValue, queryValue, body, async (id, status, sort, payload) => {
        const query = method === 'GET' && suffix === '' ? `?status=${encodeBytes(status)}&sort=${encodeBytes(sort)}` : '';
        const response = await t.server.app.inject({
          method,
          url: `/api/attacker/tasks${suffix.replace('ID', id)}${query}`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: method === 'GET' || method === 'DELETE' ? undefined : payload,
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const context = `${method} ${suffix} id=${id} ${payload.slice(0, 150)} → ${response.body.slice(0, 300)}`;
        expect(response.statusCode, context).toBeLessThan(500);
        if (response.statusCode >= 400) expect(Object.keys(JSON.parse(response.body)), context).toEqual(['detail']);
        if (response.statusCode === 200 || response.statusCode === 201) {
          const tasks = method === 'GET' && suffix === '' ? JSON.parse(response.body) : [JSON.parse(response.body)];
          for (const task of tasks) expect(CompatTask.strict().safeParse(task).success, context).toBe(true);
        }
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns(150), endOnFailure: true },
    );
  });

  it('left the other user’s tasks intact', async () => {
    expect(await snapshotVictim()).toEqual(victimSnapshot);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });
});
