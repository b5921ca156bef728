import { type CalendarName, isBarOpen, sessionOnDay } from '@candlebase/calendar';
import { type Timeframe, timeframeMs } from '@candlebase/contracts';
import { CsvRowError } from './csv-errors';
import type { When, ZoneClock } from './csv-time';

const DAY_MS = 86_400_000;

export interface PlaceOptions {
  timeframe: Timeframe;
  calendar: CalendarName;
  /** Wall times are placed by this zone; without one, a wall time fails the file. */
  clock: ZoneClock | undefined;
  /** How to declare a zone, in the caller's words: "set CSV_TIMEZONE ... or ...". */
  zoneHint: string;
  /** How to say the symbol trades around the clock, when a bar falls outside the NYSE's hours. */
  calendarHint?: string | undefined;
  /** The file's settings, by name (AAPL_1h.json), for the refusal of a clock-hour equity bar. */
  sidecarName?: string | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

const NY_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Whether [ms, ms + step) overlaps a session of `calendar` (its date within a day of ms). */
function overlapsSession(calendar: CalendarName, ms: number, step: number): boolean {
  const day = Math.floor(ms / DAY_MS);
  for (let d = day - 1; d <= day + 1; d++) {
    const s = sessionOnDay(calendar, d);
    if (s !== null && ms < s.close && ms + step > s.open) return true;
  }
  return false;
}

/**
 * Puts each row's time on the slot the calendar expects, or refuses it. An intraday bar must open
 * on the calendar's own grid: the regular NYSE session's runs from 09:30 New York (1h bars at
 * 09:30, 10:30, ... 15:30), the other calendars' on the UTC clock. No bar is moved: a bar off the
 * grid overlaps two slots (a clock hour of an equity, 10:00-11:00, holds half of 09:30-10:30 and
 * half of 10:30-11:30, and the 09:00 one straddles the open), so storing it in either would say
 * something the export does not. Daily bars are placed on their session's date.
 */
export class Placer {
  constructor(private readonly options: PlaceOptions) {}

  private instant(when: When, text: string): number {
    if (when.kind === 'instant') return when.ms;
    if (when.kind === 'date') {
      throw new CsvRowError(
        `timestamp "${text.trim()}" is a date without a time of day, which places only daily bars, not ${this.options.timeframe}`,
      );
    }
    const clock = this.options.clock;
    if (clock === undefined) {
      throw new CsvRowError(
        `timestamp "${text.trim()}" has no zone (no Z or offset), and no zone is declared for this file: ${this.options.zoneHint}`,
      );
    }
    return clock.toInstant(when.day, when.minuteMs, text.trim());
  }

  /** The bar's open, epoch ms UTC, as it will be stored; `text` is the row's time, for messages. */
  place(when: When, text: string): number {
    const { timeframe, calendar } = this.options;
    if (timeframe === '1d') {
      // The session's date: as written when the row says a date (with or without a time or an
      // offset), the UTC date of an epoch number (Binance and TradingView stamp daily bars 00:00
      // UTC, or the session's open).
      const day = when.kind === 'instant' ? (when.day ?? Math.floor(when.ms / DAY_MS)) : when.day;
      const ts = day * DAY_MS;
      if (!isBarOpen(calendar, '1d', ts)) {
        const hint = calendar === 'nyse' && this.options.calendarHint ? ` (${this.options.calendarHint})` : '';
        throw new CsvRowError(`${iso(ts).slice(0, 10)} is not a trading day on the ${calendar} calendar${hint}`);
      }
      return ts;
    }
    const ms = this.instant(when, text);
    if (isBarOpen(calendar, timeframe, ms)) return ms;
    const step = timeframeMs(timeframe);
    if (calendar === 'nyse') {
      // Off the session grid but overlapping a session: a bar that straddles two slots, or the open.
      if (overlapsSession(calendar, ms, step)) throw this.offSessionGrid(ms);
      return ms; // wholly outside the session: checkSession says so, with the calendar hint
    }
    if (ms % step !== 0) {
      throw new CsvRowError(
        `timestamp ${iso(ms)} is not on the ${timeframe} grid (${timeframe} bars open on the UTC grid)`,
      );
    }
    return ms;
  }

  private offSessionGrid(ms: number): CsvRowError {
    const { timeframe } = this.options;
    if (timeframe !== '1h') {
      // 5m and 15m bars of the regular session fall on the UTC clock's grid too.
      return new CsvRowError(
        `timestamp ${iso(ms)} is not on the ${timeframe} grid (${timeframe} bars open on the UTC grid)`,
      );
    }
    const settings = this.options.sidecarName ?? "the file's settings";
    return new CsvRowError(
      `timestamp ${iso(ms)} (${NY_TIME.format(ms)} New York) is not on the NYSE's regular 1h grid, whose bars open at 09:30, 10:30, ... 15:30 New York: a clock-hour bar straddles two of its hours (the 09:00 one the open), so it is no regular-session bar. Export 5m or 15m bars instead (they fall on both grids), or set the symbol's session to extended (or put {"calendar": "nyse-extended"} in ${settings})`,
    );
  }

  /** Refuses a placed bar that no calendar slot expects. */
  checkSession(ts: number): void {
    const { timeframe, calendar } = this.options;
    if (timeframe === '1d' || isBarOpen(calendar, timeframe, ts)) return;
    const where = calendar === 'nyse' ? "the NYSE's regular session" : `the ${calendar} calendar`;
    const hint = calendar === 'nyse' && this.options.calendarHint ? ` (${this.options.calendarHint})` : '';
    throw new CsvRowError(`the ${timeframe} bar at ${iso(ts)} is outside ${where}${hint}`);
  }
}
