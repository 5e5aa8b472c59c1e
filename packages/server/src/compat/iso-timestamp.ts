// `Date#toISOString` for the original routes' timestamps, about 3.5× faster: V8's builtin formats
// through its C++ date code (about 400 ns), and a 100-task list writes 300 of them (13.5 % of a
// compat-list profile; bench/README.md, "The original routes' timestamps").

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => `${i}`.padStart(3, '0'));
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from here on toISOString writes a signed six-digit year. */
const YEAR_10000_MS = 253_402_300_800_000;

/** `YYYY-MM-DDT` of a day counted from 1970-01-01 (the proleptic Gregorian calendar, as Date). */
function dayPrefix(days: number): string {
  // Howard Hinnant's civil_from_days: eras of 400 years, March-based years.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T`;
}

let lastDay = Number.NaN;
let lastPrefix = '';

/** The same string as `date.toISOString()` (which it falls back to outside years 1970–9999, and throws as for an invalid date). */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return date.toISOString();
  const days = Math.floor(ms / DAY_MS);
  // The tasks of one list were mostly made on few days.
  if (days !== lastDay) {
    lastPrefix = dayPrefix(days);
    lastDay = days;
  }
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${lastPrefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}
