import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '@tasks/testing/fuzz';
import { parseTimestamptz, pgTypes } from './timestamp-parser.ts';

const pgDefault = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number;
const same = (text: string) => expect(parseTimestamptz(text).getTime(), text).toBe(new Date(pgDefault(text)).getTime());

describe('parseTimestamptz', () => {
  it.each([
    '2026-01-15 09:30:00+00',
    '2026-01-15 09:30:00.1+00',
    '2026-01-15 09:30:00.12+00',
    '2026-01-15 09:30:00.123+00',
    '2026-01-15 09:30:00.123456+00',
    '2026-01-15 15:00:00.5+05:30',
    '2026-01-15 05:30:00-03:30',
    '2026-01-15 01:00:00-08',
    '0001-01-01 00:00:00+00',
    '0099-12-31 23:59:59.5+00',
    '0100-01-01 00:00:00-01:30',
    '0999-12-31 23:59:59.999+00',
    '9999-12-31 23:59:59.999+00',
    '2024-02-29 12:00:00+14',
  ])('%s: the same instant as pg', (text) => same(text));

  it.each(['infinity', '-infinity', '0044-03-15 12:00:00+00 BC', '12345-01-01 00:00:00+00', '1890-01-01 00:00:00+00:09:21'])(
    '%s: falls back to pg',
    (text) => {
      const expected = pgDefault(text);
      const actual = parseTimestamptz(text);
      if (expected instanceof Date) expect(actual.getTime()).toBe(expected.getTime());
      else expect(actual).toEqual(expected);
    },
  );

  it('agrees with pg on generated timestamps and offsets', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }),
        fc.integer({ min: -15 * 60, max: 15 * 60 }),
        fc.constantFrom(0, 1, 2, 3, 6),
        (date, offsetMinutes, digits) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000);
          const iso = local.toISOString();
          const year = iso.slice(0, 4);
          if (iso.startsWith('-') || iso.startsWith('+')) return;
          const fraction = digits ? `.${String(local.getUTCMilliseconds()).padStart(3, '0').padEnd(6, '7').slice(0, digits)}` : '';
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = abs % 60 ? `${two(Math.floor(abs / 60))}:${two(abs % 60)}` : two(abs / 60);
          same(`${year}${iso.slice(4, 10)} ${iso.slice(11, 19)}${fraction}${sign}${offset}`);
        },
      ),
      { seed: fuzzSeed, numRuns: 2_000 },
    );
  });

  it('is what the pg pool uses for timestamptz, and only for it', () => {
    expect(pgTypes.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    expect(pgTypes.getTypeParser(23, 'text')).toBe(pg.types.getTypeParser(23, 'text'));
  });
});
