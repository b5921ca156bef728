import { nyseSpecialDays } from '@candlebase/calendar';

/**
 * When a US stock trades, as Polygon's aggregates show it: every minute from 04:00 (pre-market)
 * to 20:00 New York (after-hours; four hours after an early close) on NYSE trading days, and
 * never otherwise. Polygon's bars are clock-aligned in New York time and a bar exists only for
 * an interval with at least one trade, so a 1h bar at 09:00 holds pre-market and regular minutes
 * alike. New York's offset comes from the platform's tz database, independently of the calendar
 * package; only the exchange's list of closed days and early closes is shared.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });

const offsets = new Map<number, number>();
/** Minutes New York is ahead of UTC at noon UTC of the day (after any 02:00 switch). */
function nyOffsetMinutes(day: number): number {
  let v = offsets.get(day);
  if (v === undefined) {
    const name = zone.formatToParts(day * DAY_MS + DAY_MS / 2).find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
    v = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
    offsets.set(day, v);
  }
  return v;
}

const special = new Map<number, Map<string, { kind: string; close?: string }>>();
function specialDay(iso: string) {
  const year = Number(iso.slice(0, 4));
  let days = special.get(year);
  if (days === undefined) {
    days = new Map(nyseSpecialDays(year).map((d) => [d.date, { kind: d.kind, close: d.close }]));
    special.set(year, days);
  }
  return days.get(iso);
}

/** Whether a US stock trades in the minute starting at `ms`. */
export function stockTradesAt(ms: number): boolean {
  const utcDay = Math.floor(ms / DAY_MS);
  // The New York date of the minute, and its minute of that day.
  const local = ms + nyOffsetMinutes(utcDay) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - day * DAY_MS) / MINUTE_MS);
  const weekday = (((day + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return false;
  const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
  const s = specialDay(date);
  if (s?.kind === 'holiday') return false;
  const [h = '16', m = '00'] = (s?.close ?? '16:00').split(':');
  const close = Number(h) * 60 + Number(m);
  return minute >= 4 * 60 && minute < close + 4 * 60;
}

/**
 * The opens of the bars Polygon serves for a stock in [fromMs, toMs] (both inclusive, as its
 * `from`/`to` are), `stepMs` apart on the clock: those whose interval has a traded minute.
 * `quiet` marks minutes without a trade (an illiquid stock's lunch hour).
 */
export function stockBarOpens(
  stepMs: number,
  fromMs: number,
  toMs: number,
  quiet: (minuteMs: number) => boolean = () => false,
): number[] {
  const opens: number[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) {
    for (let m = t; m < t + stepMs; m += MINUTE_MS) {
      if (stockTradesAt(m) && !quiet(m)) {
        opens.push(t);
        break;
      }
    }
  }
  return opens;
}
