// `timestamptz` values as PostgreSQL writes them in text (DateStyle ISO: `2026-01-15 09:30:00.123+00`),
// read into Dates. pg's default parser (postgres-date) runs a regular expression and builds ten
// strings per value; a page of tasks carries three or four timestamps a row, so that was a visible
// share of the server's CPU and of its garbage (bench/README.md, "Profile"). The common form is read
// digit by digit instead; anything else (BC years, years before 100 or past 9999, infinity, offsets
// with seconds) goes to pg's own parser.
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const DIGIT_0 = 48;

const digitAt = (text: string, index: number) => {
  const value = text.charCodeAt(index) - DIGIT_0;
  return value >= 0 && value <= 9 ? value : Number.NaN;
};
const twoDigits = (text: string, index: number) => digitAt(text, index) * 10 + digitAt(text, index + 1);

/**
 * Epoch milliseconds of `YYYY-MM-DD HH:MM:SS[.f…]±HH[:MM]` (years 100–9999), read digit by digit
 * with no intermediate strings; NaN for any other text.
 */
function epochMs(text: string): number {
  const length = text.length;
  if (length < 22 || length > 35) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 32) return Number.NaN; // '-', '-', ' '
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN; // ':'
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  // Date.UTC reads years 0–99 as 1900–1999: those go to pg's parser.
  if (!(year >= 100)) return Number.NaN;
  let index = 19;
  let ms = 0;
  if (text.charCodeAt(index) === 46) {
    // '.': milliseconds are the first three digits (pg's parser truncates the rest too)
    index++;
    let scale = 100;
    const start = index;
    while (index < length) {
      const digit = digitAt(text, index);
      if (Number.isNaN(digit)) break;
      ms += digit * scale;
      scale /= 10;
      index++;
    }
    if (index === start) return Number.NaN;
    ms = Math.trunc(ms);
  }
  const sign = text.charCodeAt(index);
  if (sign !== 43 && sign !== 45) return Number.NaN; // '+', '-'
  const rest = length - index - 1;
  let offsetMinutes: number;
  if (rest === 2) offsetMinutes = twoDigits(text, index + 1) * 60;
  else if (rest === 5 && text.charCodeAt(index + 3) === 58) offsetMinutes = twoDigits(text, index + 1) * 60 + twoDigits(text, index + 4);
  else return Number.NaN;
  const utc = Date.UTC(year, twoDigits(text, 5) - 1, twoDigits(text, 8), twoDigits(text, 11), twoDigits(text, 14), twoDigits(text, 17), ms);
  return utc - (sign === 43 ? 1 : -1) * offsetMinutes * 60_000;
}

const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date;

/**
 * Reads a `timestamptz` text value; the same Date as pg's default parser, faster for the usual form.
 *
 * @example
 * parseTimestamptz('2026-01-15 09:30:00.123+00'); // 2026-01-15T09:30:00.123Z
 * parseTimestamptz('2026-01-15 15:00:00+05:30');  // 2026-01-15T09:30:00.000Z
 */
export function parseTimestamptz(text: string): Date {
  const ms = epochMs(text);
  return Number.isNaN(ms) ? defaultTimestamptz(text) : new Date(ms);
}

/** pg's per-pool `types` option: pg's parsers, with parseTimestamptz for `timestamptz`. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID && (format ?? 'text') === 'text') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
