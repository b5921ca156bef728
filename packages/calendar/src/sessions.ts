import type { AssetClass } from '@candlebase/contracts';
import { DAY_MS, dayFromIso, weekdayOf, yearOfDay } from './days';
import { isNyseHoliday, nyseEarlyCloseMinute } from './nyse-holidays';
import { utcOffsetMinutes } from './zone-offsets';

export type CalendarName = 'nyse' | '24x7';
export const CALENDAR_NAMES: readonly CalendarName[] = ['nyse', '24x7'];

/** A trading session in epoch ms UTC: bars are expected in [open, close). */
export interface Session {
  open: number;
  close: number;
}

/**
 * Equities, ETFs and indices follow the NYSE. FX trades around the clock on weekdays; it gets
 * '24x7' for now, so a weekend shows as a gap rather than a weekday bar going missing.
 */
export function calendarFor(assetClass: AssetClass): CalendarName {
  switch (assetClass) {
    case 'crypto':
    case 'fx':
      return '24x7';
    case 'equity':
    case 'etf':
    case 'index':
      return 'nyse';
  }
}

const NY = 'America/New_York';
const MINUTE_MS = 60_000;
const NYSE_OPEN_MIN = 9 * 60 + 30;
const NYSE_CLOSE_MIN = 16 * 60;

// Sessions are asked for per day in tight loops (bar generation, counts over decades); a day's
// answer never changes, so it is computed once. Bounded so a caller sweeping centuries cannot grow it forever.
const nyseCache = new Map<number, Readonly<Session> | null>();
const NYSE_CACHE_LIMIT = 200_000;

function nyseSession(day: number): Readonly<Session> | null {
  const cached = nyseCache.get(day);
  if (cached !== undefined) return cached;
  const session = computeNyseSession(day);
  if (nyseCache.size >= NYSE_CACHE_LIMIT) nyseCache.clear();
  nyseCache.set(day, session);
  return session;
}

function computeNyseSession(day: number): Readonly<Session> | null {
  const wd = weekdayOf(day);
  if (wd === 0 || wd === 6) return null;
  const year = yearOfDay(day);
  if (isNyseHoliday(day, year)) return null;
  const offset = utcOffsetMinutes(NY, day);
  const closeMin = nyseEarlyCloseMinute(day, year) ?? NYSE_CLOSE_MIN;
  const start = day * DAY_MS;
  return Object.freeze({
    open: start + (NYSE_OPEN_MIN - offset) * MINUTE_MS,
    close: start + (closeMin - offset) * MINUTE_MS,
  });
}

/**
 * The session of a UTC day number. Every calendar here keeps a day's session inside that UTC day
 * (NYSE: 13:30-21:00 UTC at the widest), which the bar arithmetic relies on.
 */
export function sessionOnDay(cal: CalendarName, day: number): Readonly<Session> | null {
  if (cal === '24x7') return { open: day * DAY_MS, close: (day + 1) * DAY_MS };
  return nyseSession(day);
}

export function isTradingDay(cal: CalendarName, dayIso: string): boolean {
  return sessionOnDay(cal, dayFromIso(dayIso)) !== null;
}

/** The session of a trading day (early closes honoured), or null when the market is shut that day. */
export function sessionOf(cal: CalendarName, dayIso: string): Session | null {
  const s = sessionOnDay(cal, dayFromIso(dayIso));
  return s === null ? null : { open: s.open, close: s.close };
}

/** Sessions overlapping [fromMs, toMs), ascending; for callers that work a session at a time. */
export function* sessionsBetween(cal: CalendarName, fromMs: number, toMs: number): Generator<Readonly<Session>> {
  if (!(toMs > fromMs)) return;
  const last = Math.floor((toMs - 1) / DAY_MS);
  for (let day = Math.floor(fromMs / DAY_MS); day <= last; day++) {
    const s = sessionOnDay(cal, day);
    if (s !== null && s.close > fromMs && s.open < toMs) yield s;
  }
}
