// The /trpc serializer must write exactly what superjson writes, for the procedures' outputs and for
// everything it hands back to superjson; the expected text is superjson's own in every case.
import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput } from './wire-transformer.ts';

/** The text, or the error's message when it throws (superjson refuses `__proto__`-like keys). */
const outcome = (serialize: (value: unknown) => unknown) => (value: unknown) => {
  try {
    return JSON.stringify(serialize(value));
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
};
const wire = outcome(serializeOutput);
const superjsonWire = outcome((value) => superjson.serialize(value));

const task = (id: number, completed: boolean) => ({
  id,
  userId: 'u1',
  title: `task ${id}`,
  description: id % 2 ? null : 'a description',
  completed,
  completedAt: completed ? new Date(Date.UTC(2026, 0, 1, 0, 0, id)) : null,
  createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, id, 123)),
  updatedAt: new Date(Date.UTC(2025, 0, 2, 0, 0, id, 456)),
  priority: 'medium',
  dueAt: null,
  tags: ['home', 'x'],
});

describe('serializeOutput', () => {
  const cases: Record<string, () => unknown> = {
    'a task': () => task(1, true),
    'a page of tasks': () => ({ items: [task(3, true), task(2, false), task(1, true)], nextCursor: 'abc' }),
    'an empty page': () => ({ items: [], nextCursor: null }),
    'a Date alone': () => new Date(Date.UTC(2026, 5, 1)),
    'null, a string, a number, a boolean': () => [null, 'x', 1.5, true],
    'undefined alone': () => undefined,
    'an error shape with an undefined field': () => ({ code: -32600, message: 'm', data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'tasks.get', issues: undefined } }),
    'NaN, Infinity and -0': () => ({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: -0 }),
    'a Map, a Set and a bigint': () => ({ m: new Map([['k', new Date(0)]]), s: new Set([1]), n: 10n }),
    'one Date at two paths': () => {
      const at = new Date(0);
      return { createdAt: at, updatedAt: at };
    },
    'one object at two paths': () => {
      const tags = ['a'];
      return [{ tags }, { tags }];
    },
    'an invalid Date': () => ({ at: new Date(Number.NaN) }),
    'keys with dots and backslashes': () => ({ 'a.b': new Date(0), 'c\\d': new Date(1) }),
    'a class instance': () => ({ at: new (class Stamp {})() }),
    'a null-prototype object': () => Object.assign(Object.create(null), { at: new Date(5) }),
    'a sparse array': () => [new Date(0), , new Date(2)], // eslint-disable-line no-sparse-arrays
    'a prototype key': () => ({ prototype: [] }),
    'a Date with its own toJSON': () => ({ at: Object.assign(new Date(0), { toJSON: () => 'then' }) }),
    'Dates at several depths (integer-like keys first at each level)': () => [[[new Date(0)], new Date(1)], { b: new Date(2), 1: [new Date(3)] }],
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`writes what superjson writes for ${name}`, () => {
      expect(wire(make())).toBe(superjsonWire(make()));
    });
  }

  it('writes what superjson writes for arbitrary JSON-like values with Dates', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.date(), fc.constant(undefined)),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(value, (v) => wire(v) === superjsonWire(v)), { numRuns: 2000 });
  });

  it('reads back as superjson reads its own output', () => {
    const page = { items: [task(2, true), task(1, false)], nextCursor: null };
    expect(superjson.deserialize(JSON.parse(wire(page)))).toEqual(page);
  });
});
