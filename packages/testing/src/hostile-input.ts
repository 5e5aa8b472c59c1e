// fast-check arbitraries for hostile input: the values that break APIs (NUL, lone surrogates,
// out-of-range numbers, wrong types, mass-assignment keys), shared by the fuzz tests of every surface.
import fc from 'fast-check';

export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    'x'.repeat(256),
    'd'.repeat(5001),
    "'; drop table tasks; --",
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '%00',
    '1e309',
    'NaN',
    'true',
    '2026-13-45T99:99:99Z',
  ),
);

export const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53, -(2 ** 53), 1e308),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 25 }),
);

/** Objects shaped like task inputs (and mass-assignment attempts) whose values are hostile. */
export const hostileTaskInput = fc.record(
  {
    id: fc.oneof(hostileValue, fc.integer({ min: 1, max: 20 })),
    title: hostileValue,
    description: hostileValue,
    completed: hostileValue,
    status: hostileValue,
    limit: hostileValue,
    cursor: hostileValue,
    userId: hostileValue,
    user_id: hostileValue,
    createdAt: hostileValue,
    priority: hostileValue,
    dueAt: hostileValue,
    dueDate: hostileValue,
    timeZone: hostileValue,
    tags: hostileValue,
    q: hostileValue,
    sort: hostileValue,
  },
  { requiredKeys: [] },
);

export const hostileInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileTaskInput },
  { weight: 1, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);

/** The seed fuzz tests use: fixed, so a failure reproduces; FUZZ_SEED picks another. */
export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20_261_125);
/** Cases per property: FUZZ_RUNS overrides. */
export const fuzzRuns = (fallback: number) => Number(process.env.FUZZ_RUNS ?? fallback);
