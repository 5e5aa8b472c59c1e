// Property test of the write headers (If-Match, If-None-Match, Idempotency-Key) on /api/tasks…:
// whatever they hold, the answer is never a 5xx, and a write only applies when If-Match names the
// task's current strong tag (or is `*`).
import { fuzzRuns, fuzzSeed, startTestServer, type TestServer } from '@tasks/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestServer;
let token: string;
let ids: number[] = [];
const statuses = new Map<number, number>();

beforeAll(async () => {
  t = await startTestServer({ listen: false });
  const client = t.clientFor('header-fuzzer');
  for (let i = 0; i < 3; i++) ids.push((await client.tasks.create.mutate({ title: `task ${i}` })).id);
  token = await t.tokenFor('header-fuzzer');
});
afterAll(async () => {
  console.log(`fuzz (write headers, seed ${fuzzSeed}): status counts ${JSON.stringify(Object.fromEntries(statuses))}`);
  await t?.close();
});

// What Node lets a header value carry: tab, visible ASCII, space and obs-text.
const headerText = (maxLength: number) =>
  fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) }, { weight: 1, arbitrary: fc.constantFrom(0x09, 0x80, 0xe9, 0xff) }), { maxLength }).map((codes) => String.fromCharCode(...codes));
const version = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(0, -1, 2 ** 31, 99999999999));
const entityTag = fc.oneof(
  fc.record({ weak: fc.boolean(), id: fc.constantFrom(...[1, 2, 3, 4, 0, 2 ** 31]), version }).map(({ weak, id, version: v }) => `${weak ? 'W/' : ''}"${id}-${v}"`),
  headerText(20).map((s) => `"${s}"`),
  fc.constantFrom('*', 'W/*', '""', 'W/""', '"', 'W/ "1-1"', '"1-1" garbage', ',', ' , ,'),
  headerText(40),
);
const tagList = fc.array(entityTag, { minLength: 1, maxLength: 4 }).chain((tags) => fc.constantFrom(', ', ',', ' ,\t').map((sep) => tags.join(sep)));
const key = fc.oneof(
  headerText(300),
  fc.string({ minLength: 250, maxLength: 260, unit: fc.constantFrom('a', 'b', '-') }),
  headerText(30).map((s) => `"${s}"`),
  fc.constantFrom('', ' ', '""', '"a\\"b"', '"a\\b"', 'ключ'.replace(/[^\x00-\xff]/g, '\xe9')),
);

const request = fc.record({
  route: fc.constantFrom('PATCH /{id}', 'PUT /{id}', 'DELETE /{id}', 'PATCH /{id}/complete', 'GET /{id}', 'POST ', 'POST /batch'),
  id: fc.constantFrom(0, 1, 2),
  ifMatch: fc.option(tagList, { nil: undefined }),
  ifNoneMatch: fc.option(tagList, { nil: undefined }),
  key: fc.option(key, { nil: undefined }),
});

describe('fuzzing the write headers', () => {
  it('never answers 5xx, and applies a write only when If-Match names the current strong tag or is *', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const id = ids[r.id]!;
        const [method, template] = r.route.split(' ') as [string, string];
        const url = `/api/tasks${template.replace('{id}', String(id))}`;
        const before = JSON.parse((await t.server.app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: { authorization: `Bearer ${token}` } })).body) as {
          version: number;
        };
        const body =
          method === 'POST'
            ? template === '/batch'
              ? { operations: [{ op: 'create', task: { title: 'fuzzed' } }] }
              : { title: 'fuzzed' }
            : method === 'DELETE' || method === 'GET'
              ? undefined
              : { title: `fuzzed ${before.version}` };
        const response = await t.server.app.inject({
          method: method as 'GET',
          url,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(r.ifMatch === undefined ? {} : { 'if-match': r.ifMatch }),
            ...(r.ifNoneMatch === undefined ? {} : { 'if-none-match': r.ifNoneMatch }),
            ...(r.key === undefined ? {} : { 'idempotency-key': r.key }),
          },
          ...(body ? { payload: JSON.stringify(body) } : {}),
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `${method} ${url} ${JSON.stringify(r)} → ${response.body.slice(0, 300)}`).toBeLessThan(500);
        const conditional = method !== 'GET' && method !== 'POST' && r.ifMatch !== undefined;
        if (conditional && response.statusCode < 300) {
          const listed = r.ifMatch!.split(/\s*,\s*/).map((s) => s.trim());
          expect(listed.includes('*') || listed.includes(`"${id}-${before.version}"`), `applied with If-Match ${r.ifMatch} at version ${before.version}`).toBe(true);
        }
        if (method === 'DELETE' && response.statusCode === 204) {
          // Keep three tasks to aim at.
          ids[r.id] = (await t.clientFor('header-fuzzer').tasks.create.mutate({ title: 'replacement' })).id;
        }
      }),
      { seed: fuzzSeed, numRuns: fuzzRuns(400), endOnFailure: true },
    );
  });
});
