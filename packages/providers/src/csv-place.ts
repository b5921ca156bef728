import { type CalendarName, isBarOpen } from '@candlebase/calendar';
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
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Puts each row's time on the slot the calendar expects, or refuses it. Intraday bars must sit on
 * the timeframe's UTC grid, inside a session. One exception, decided by the first bar: when it
 * sits a fixed distance past the grid (yfinance stamps 1h bars at 09:30, 10:30, ... New York), the
 * whole export is taken to be shifted by that much, and each bar goes to the slot that holds its
 * open (09:30 to the 09:00 slot, as the calendar's first bar of the session). Every other bar must
 * then be shifted by exactly as much. Daily bars are placed on their session's date.
 */
export class Placer {
  private shiftMs: number | undefined;

  constructor(private readonly options: PlaceOptions) {}

  /** Minutes the file's bars sit past the grid (0 when on it); known after the first bar. */
  get shiftMinutes(): number {
    return (this.shiftMs ?? 0) / 60_000;
  }

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
    const step = timeframeMs(timeframe);
    const past = ((ms % step) + step) % step;
    if (this.shiftMs === undefined) this.shiftMs = past;
    if (past !== this.shiftMs) {
      const expected =
        this.shiftMs === 0
          ? `${timeframe} bars open on the UTC grid`
          : `the file's first bar sits ${this.shiftMs / 60_000} min past the ${timeframe} grid, so every bar must`;
      throw new CsvRowError(`timestamp ${iso(ms)} is not on the ${timeframe} grid (${expected})`);
    }
    return ms - past;
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
