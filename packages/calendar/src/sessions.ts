import type { AssetClass, SessionPolicy } from '@candlebase/contracts';
import { DAY_MS, dayFromIso, weekdayOf, yearOfDay } from './days';
import { isNyseHoliday, nyseEarlyCloseMinute } from './nyse-holidays';
import { utcOffsetMinutes } from './zone-offsets';

/**
 * `nyse`: the regular session, 09:30-16:00 New York (early closes honoured). `nyse-extended`: the
 * same trading days from 04:00 to 20:00 (four hours after an early close). `fx`: 24x5, each
 * weekday's session from 17:00 New York the day before (Sunday for Monday) to 17:00 that day.
 * `24x7`: every UTC day, whole.
 */
export type CalendarName = 'nyse' | 'nyse-extended' | 'fx' | '24x7';
export const CALENDAR_NAMES: readonly CalendarName[] = ['nyse', 'nyse-extended', 'fx', '24x7'];

/** A trading session in epoch ms UTC: bars are expected in [open, close). */
export interface Session {
  open: number;
  close: number;
}

/** Equities, ETFs and indices follow the NYSE, in the hours their session policy keeps; FX 24x5; crypto 24x7. */
export function calendarFor(assetClass: AssetClass, session: SessionPolicy = 'regular'): CalendarName {
  switch (assetClass) {
    case 'crypto':
      return '24x7';
    case 'fx':
      return 'fx';
    case 'equity':
    case 'etf':
    case 'index':
      return session === 'extended' ? 'nyse-extended' : 'nyse';
  }
}

const NY = 'America/New_York';
const MINUTE_MS = 60_000;
const NYSE_OPEN_MIN = 9 * 60 + 30;
const NYSE_CLOSE_MIN = 16 * 60;
const PRE_MARKET_OPEN_MIN = 4 * 60;
const AFTER_HOURS_MIN = 4 * 60;
const FX_ROLL_MIN = 17 * 60;

/** 00:00 UTC of `day` plus `minutes` of New York wall time on that day. */
function nyTime(day: number, minutes: number): number {
  return day * DAY_MS + (minutes - utcOffsetMinutes(NY, day)) * MINUTE_MS;
}

// Sessions are asked for per day in tight loops (bar generation, counts over decades); a day's
// answer never changes, so it is computed once. Bounded so a caller sweeping centuries cannot grow it forever.
const caches: Record<'nyse' | 'nyse-extended' | 'fx', Map<number, Readonly<Session> | null>> = {
  nyse: new Map(),
  'nyse-extended': new Map(),
  fx: new Map(),
};
const CACHE_LIMIT = 200_000;

function cached(cal: 'nyse' | 'nyse-extended' | 'fx', day: number): Readonly<Session> | null {
  const cache = caches[cal];
  const hit = cache.get(day);
  if (hit !== undefined) return hit;
  const session = compute(cal, day);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(day, session);
  return session;
}

function compute(cal: 'nyse' | 'nyse-extended' | 'fx', day: number): Readonly<Session> | null {
  const wd = weekdayOf(day);
  if (wd === 0 || wd === 6) return null;
  // FX has no exchange holidays: the interbank market only thins out on Christmas and New Year's Day.
  if (cal === 'fx') return Object.freeze({ open: nyTime(day - 1, FX_ROLL_MIN), close: nyTime(day, FX_ROLL_MIN) });
  const year = yearOfDay(day);
  if (isNyseHoliday(day, year)) return null;
  const closeMin = nyseEarlyCloseMinute(day, year) ?? NYSE_CLOSE_MIN;
  if (cal === 'nyse-extended') {
    return Object.freeze({ open: nyTime(day, PRE_MARKET_OPEN_MIN), close: nyTime(day, closeMin + AFTER_HOURS_MIN) });
  }
  return Object.freeze({ open: nyTime(day, NYSE_OPEN_MIN), close: nyTime(day, closeMin) });
}

/**
 * The session of trading day `day` (a UTC day number naming the trading date). A session starts
 * no earlier than the day before and ends no later than the day after (FX opens the evening
 * before; the extended session ends past midnight UTC in winter), which the bar arithmetic relies on.
 */
export function sessionOnDay(cal: CalendarName, day: number): Readonly<Session> | null {
  if (cal === '24x7') return { open: day * DAY_MS, close: (day + 1) * DAY_MS };
  return cached(cal, day);
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
  const last = Math.floor((toMs - 1) / DAY_MS) + 1;
  for (let day = Math.floor(fromMs / DAY_MS) - 1; day <= last; day++) {
    const s = sessionOnDay(cal, day);
    if (s !== null && s.close > fromMs && s.open < toMs) yield s;
  }
}
