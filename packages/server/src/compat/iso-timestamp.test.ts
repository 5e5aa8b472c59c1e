import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.ts';

describe('isoTimestamp', () => {
  it('writes what toISOString writes, across leap days, century rules and every millisecond digit', () => {
    const instants = [
      0,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2100, 1, 28, 12, 0, 0, 1),
      Date.UTC(2100, 2, 1),
      Date.UTC(2024, 11, 31, 23, 59, 59, 10),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ];
    // A stride that is not a whole number of days or seconds visits every field's values.
    for (let ms = 0; ms < 253_402_300_800_000; ms += 7_919_876_543_21) instants.push(ms, ms + 86_399_999);
    for (let i = 0; i < 20_000; i++) instants.push(Math.floor(Math.random() * 253_402_300_800_000));
    // The same day twice in a row, then another, then the first again (the one-day memo).
    instants.push(Date.UTC(2026, 10, 24, 1), Date.UTC(2026, 10, 24, 2), Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 24, 3));
    const wrong = instants.map((ms) => new Date(ms)).filter((date) => isoTimestamp(date) !== date.toISOString());
    expect(wrong.map((date) => date.getTime())).toEqual([]);
  });

  it('falls back to toISOString outside 1970–9999, and throws for an invalid date as it does', () => {
    for (const ms of [-1, Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(-5, 0, 1), Date.UTC(10000, 0, 1), 8.64e15]) {
      expect(isoTimestamp(new Date(ms))).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});
