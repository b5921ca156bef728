import { TZDate, tzOffset } from '@date-fns/tz';
import { CsvRowError } from './csv-errors';

/**
 * Times as CSV exports write them, read without guessing a zone. A time is one of:
 * - an instant: it says where it is (a `Z` or an offset, or an epoch number);
 * - a wall time: a date and a time of day with no zone, placed by a declared IANA zone;
 * - a date: a day with no time, which only a daily bar can use (it names its session's date).
 */
export type When =
  | { kind: 'instant'; ms: number /** The calendar date as written, for an offset-bearing time. */; day?: number }
  | { kind: 'wall'; day: number; minuteMs: number }
  | { kind: 'date'; day: number };

const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch values before 1973-03-03 are refused: that is where seconds and milliseconds would overlap, and a YYYYMMDD number lands. */
const EPOCH_SECONDS_MIN = 1e8;
const EPOCH_MS_MIN = 1e11;
/** Binance's public data moved from milliseconds to microseconds in 2025; a 16-digit open time is microseconds. */
const EPOCH_US_MIN = 1e14;
const EPOCH_US_MAX = 1e17;
const EPOCH = /^\d+(?:\.\d+)?$/;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** `n` decimal digits of `s` from `at` as a number, or -1. By hand: a regex per row was the parser's main cost. */
function digits(s: string, at: number, n: number): number {
  if (at + n > s.length) return -1;
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

function unreadable(text: string): CsvRowError {
  return new CsvRowError(
    `timestamp "${text.slice(0, 40)}" is not a date or time this reader knows (ISO 8601, 2024.01.02, 20240102, or epoch seconds, milliseconds or microseconds)`,
  );
}

function unreal(text: string): CsvRowError {
  return new CsvRowError(`timestamp "${text.slice(0, 40)}" is not a real date and time`);
}

/** A day number from YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD or YYYYMMDD at the start of `text`; returns [day, length]. */
function readDate(text: string): [number, number] {
  let year: number;
  let month: number;
  let day: number;
  let length: number;
  const sep = text.charCodeAt(4);
  if (sep === 45 || sep === 46 || sep === 47) {
    year = digits(text, 0, 4);
    month = digits(text, 5, 2);
    day = digits(text, 8, 2);
    if (text.charCodeAt(7) !== sep) throw unreadable(text);
    length = 10;
  } else {
    year = digits(text, 0, 4);
    month = digits(text, 4, 2);
    day = digits(text, 6, 2);
    length = 8;
  }
  if (year < 0 || month < 0 || day < 0) throw unreadable(text);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw unreal(text);
  return [Math.floor(Date.UTC(year, month - 1, day) / DAY_MS), length];
}

/** HH:MM[:SS[.fff]] or HHMM[SS]; milliseconds into the day. */
export function readTimeOfDay(text: string, whole = text): [number, number] {
  let hour: number;
  let minute: number;
  let second = 0;
  let millis = 0;
  let i: number;
  if (text.charCodeAt(2) === 58) {
    hour = digits(text, 0, 2);
    minute = digits(text, 3, 2);
    i = 5;
    if (text.charCodeAt(5) === 58) {
      second = digits(text, 6, 2);
      i = 8;
    }
  } else {
    hour = digits(text, 0, 2);
    minute = digits(text, 2, 2);
    i = 4;
    if (digits(text, 4, 2) >= 0) {
      second = digits(text, 4, 2);
      i = 6;
    }
  }
  if (hour < 0 || minute < 0 || second < 0) throw unreadable(whole);
  if (text.charCodeAt(i) === 46) {
    let j = i + 1;
    let scale = 100;
    while (j < text.length && digits(text, j, 1) >= 0) {
      millis += digits(text, j, 1) * scale;
      scale /= 10;
      j++;
    }
    if (j === i + 1) throw unreadable(whole);
    millis = Math.round(millis);
    i = j;
  }
  if (hour > 23 || minute > 59 || second > 59) throw unreal(whole);
  return [((hour * 60 + minute) * 60 + second) * 1000 + millis, i];
}

/** `Z`, `+HH`, `+HHMM` or `+HH:MM` to minutes east of UTC; undefined when `zone` is empty. */
function readOffset(zone: string, whole: string): number | undefined {
  if (zone === '') return undefined;
  if (zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  if (!/^[+-]\d{2}(?::?\d{2})?$/.test(zone)) throw unreadable(whole);
  const hh = digits(zone, 1, 2);
  const mm = zone.length > 3 ? digits(zone, zone.length - 2, 2) : 0;
  return (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm);
}

function epoch(text: string): When {
  const n = Number(text);
  if (n >= EPOCH_SECONDS_MIN && n < EPOCH_MS_MIN) return { kind: 'instant', ms: Math.round(n * 1000) };
  if (n >= EPOCH_MS_MIN && n < EPOCH_US_MIN) return { kind: 'instant', ms: Math.round(n) };
  if (n >= EPOCH_US_MIN && n < EPOCH_US_MAX) return { kind: 'instant', ms: Math.round(n / 1000) };
  throw new CsvRowError(
    `timestamp ${text.slice(0, 40)} is neither epoch seconds, milliseconds nor microseconds after 1973; write dates as ISO 8601, e.g. 2024-01-02`,
  );
}

/**
 * One time field: a date, a date and time (with or without a zone), or an epoch number. A bare
 * 8-digit number is read as YYYYMMDD only where `compactDate` says the column holds dates.
 */
export function parseWhen(text: string, compactDate = false): When {
  const sep = text.charCodeAt(4);
  const dated = text.length >= 10 && (sep === 45 || sep === 46 || sep === 47);
  if (!dated && !(compactDate && text.length >= 8 && digits(text, 0, 8) >= 0)) {
    if (!EPOCH.test(text)) throw unreadable(text);
    return epoch(text);
  }
  const [day, at] = readDate(text);
  if (at === text.length) return { kind: 'date', day };
  const between = text[at];
  if (between !== 'T' && between !== 't' && between !== ' ') throw unreadable(text);
  const [minuteMs, end] = readTimeOfDay(text.slice(at + 1), text);
  const offset = readOffset(text.slice(at + 1 + end).trim(), text);
  if (offset === undefined) return { kind: 'wall', day, minuteMs };
  return { kind: 'instant', ms: day * DAY_MS + minuteMs - offset * 60_000, day };
}

/** A date column and a time-of-day column, as MetaTrader and Stooq write them: always a wall time. */
export function parseDateAndTime(dateText: string, timeText: string): When {
  const whole = `${dateText} ${timeText}`;
  const [day, at] = readDate(dateText);
  if (at !== dateText.length) throw unreadable(whole);
  if (timeText === '') return { kind: 'date', day };
  const [minuteMs, end] = readTimeOfDay(timeText, whole);
  if (end !== timeText.length) throw unreadable(whole);
  return { kind: 'wall', day, minuteMs };
}

/** Whether `zone` is an IANA zone name (or a fixed offset such as +02:00) the platform knows. */
export function isTimeZone(zone: string): boolean {
  return zone.trim() !== '' && Number.isFinite(tzOffset(zone, new Date(0)));
}

/**
 * Wall times of one zone to instants, through @date-fns/tz. Its constructor costs about 15 µs,
 * so each wall hour is converted once: when the offset at the hour's start and end agree (every
 * hour but the ones a DST change cuts), the whole hour shares it.
 */
export class ZoneClock {
  private readonly hours = new Map<number, number | null>();

  constructor(readonly zone: string) {}

  private instant(wallMs: number): number {
    const d = new Date(wallMs);
    return new TZDate(
      d.getUTCFullYear(),
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
      this.zone,
    ).getTime();
  }

  /** Whether the instant shows `wallMs` on this zone's clocks (false for a time a DST change skips). */
  private shows(ms: number, wallMs: number): boolean {
    const d = new TZDate(ms, this.zone);
    return (
      Date.UTC(
        d.getFullYear(),
        d.getMonth(),
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ) === wallMs
    );
  }

  /** The instant of a wall time; throws when the zone skips that time (a DST change). */
  toInstant(day: number, minuteMs: number, text: string): number {
    const wall = day * DAY_MS + minuteMs;
    const hour = Math.floor(wall / 3_600_000) * 3_600_000;
    let offset = this.hours.get(hour);
    if (offset === undefined) {
      const start = this.instant(hour);
      const end = this.instant(hour + 3_599_999);
      const uniform =
        hour - start === hour + 3_599_999 - end && this.shows(start, hour) && this.shows(end, hour + 3_599_999);
      offset = uniform ? hour - start : null;
      if (this.hours.size > 100_000) this.hours.clear();
      this.hours.set(hour, offset);
    }
    if (offset !== null) return wall - offset;
    const ms = this.instant(wall);
    if (!this.shows(ms, wall)) {
      throw new CsvRowError(`timestamp "${text}" does not exist in ${this.zone}: the clocks skip it at a DST change`);
    }
    return ms;
  }
}
