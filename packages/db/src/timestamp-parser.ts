// `timestamptz` values as PostgreSQL writes them in text (DateStyle ISO: `2026-01-15 09:30:00.123+00`),
// read into Dates. pg's default parser (postgres-date) runs a regular expression and builds ten
// strings per value; a page of tasks carries three or four timestamps a row, so that was a visible
// share of the server's CPU and of its garbage (bench/README.md, "Profile"). The common form is handed
// to the engine's ISO 8601 parser instead; anything else (BC years, years past 9999, infinity,
// offsets with seconds) goes to pg's own parser.
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

const isDigitAt = (text: string, index: number) => {
  const code = text.charCodeAt(index);
  return code >= DIGIT_0 && code <= DIGIT_9;
};

/** The ISO 8601 form of `YYYY-MM-DD HH:MM:SS[.f…]±HH[:MM]`, or undefined for any other text. */
function isoForm(text: string): string | undefined {
  if (text.length < 22 || text.length > 35) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':') return undefined;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]) if (!isDigitAt(text, i)) return undefined;
  let end = 19;
  if (text[end] === '.') {
    end++;
    while (end < text.length && isDigitAt(text, end)) end++;
    if (end === 20) return undefined;
  }
  const sign = text[end];
  if (sign !== '+' && sign !== '-') return undefined;
  const offset = text.slice(end + 1);
  if (offset.length === 2 && isDigitAt(offset, 0) && isDigitAt(offset, 1)) {
    return `${text.slice(0, 10)}T${text.slice(11, end)}${sign}${offset}:00`;
  }
  if (offset.length === 5 && offset[2] === ':' && isDigitAt(offset, 0) && isDigitAt(offset, 1) && isDigitAt(offset, 3) && isDigitAt(offset, 4)) {
    return `${text.slice(0, 10)}T${text.slice(11, end)}${sign}${offset}`;
  }
  return undefined;
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
  const iso = isoForm(text);
  return iso === undefined ? defaultTimestamptz(text) : new Date(iso);
}

/** pg's per-pool `types` option: pg's parsers, with parseTimestamptz for `timestamptz`. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID && (format ?? 'text') === 'text') return parseTimestamptz;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
