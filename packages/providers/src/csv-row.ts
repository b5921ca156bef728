import { CsvRowError } from './csv-errors';
import type { CsvLayout } from './csv-layouts';
import { parseDateAndTime, parseWhen, type When } from './csv-time';

/** One data record read by its layout, its time not yet placed on the calendar. */
export interface RawBar {
  when: When;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  tickVolume: number;
  vwap: number | null;
  trades: number | null;
  period: string | undefined;
}

export interface RowOptions {
  /** `187,15` means 187.15: files delimited by `;` or tabs, as European spreadsheets write them. */
  decimalComma: boolean;
}

/** How Yahoo and pandas write a bar that has no trades (a halt, a holiday on one exchange). */
const NO_VALUE = new Set(['', 'null', 'nan', 'NaN', 'NULL', 'None', '-']);

/** A plain decimal: Number() alone would also take '', hex, binary, octal and `Infinity`. */
function number(column: string, text: string | undefined, options: RowOptions): number {
  let t = text ?? '';
  if (options.decimalComma && t.includes(',')) t = t.replace(',', '.');
  const n = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(n) || /^[+-]?0[xob]/i.test(t)) {
    throw new CsvRowError(`${column} "${(text ?? '').slice(0, 40)}" is not a number`);
  }
  return n;
}

function positivePrice(column: string, text: string | undefined, options: RowOptions): number {
  const n = number(column, text, options);
  if (!(n > 0)) throw new CsvRowError(`${column} ${text} is not a positive price`);
  return n;
}

function insideRange(column: string, value: number, low: number, high: number): void {
  if (value > high) throw new CsvRowError(`${column} ${value} is above high ${high}`);
  if (value < low) throw new CsvRowError(`${column} ${value} is below low ${low}`);
}

function optional(fields: readonly string[], at: number | undefined): string {
  return at === undefined ? '' : (fields[at] ?? '').trim();
}

/**
 * One record to a bar, refusing anything a chart or an indicator would choke on; null when the
 * record is a bar without prices (Yahoo's `null` rows), which the caller skips and counts.
 */
export function parseRecord(fields: readonly string[], layout: CsvLayout, options: RowOptions): RawBar | null {
  if (fields.length !== layout.width) {
    throw new CsvRowError(`expected ${layout.width} columns as in the header, found ${fields.length}`);
  }
  const f = (at: number) => (fields[at] ?? '').trim();
  const prices = [f(layout.open), f(layout.high), f(layout.low), f(layout.close)];
  if (prices.every((p) => NO_VALUE.has(p))) return null;
  const timeText = f(layout.time);
  const when =
    layout.clock === undefined ? parseWhen(timeText, layout.compactDate) : parseDateAndTime(timeText, f(layout.clock));
  const open = positivePrice('open', prices[0], options);
  const high = positivePrice('high', prices[1], options);
  const low = positivePrice('low', prices[2], options);
  const close = positivePrice('close', prices[3], options);
  if (high < low) throw new CsvRowError(`high ${high} is below low ${low}`);
  insideRange('open', open, low, high);
  insideRange('close', close, low, high);
  const volumeText = optional(fields, layout.volume);
  const volume = volumeText === '' ? 0 : number('volume', volumeText, options);
  if (volume < 0) throw new CsvRowError(`volume ${volume} is negative`);
  const tickText = optional(fields, layout.tickVolume);
  const tickVolume = tickText === '' ? 0 : number('tick volume', tickText, options);
  if (tickVolume < 0) throw new CsvRowError(`tick volume ${tickVolume} is negative`);
  const vwapText = optional(fields, layout.vwap);
  const vwap = vwapText === '' ? null : positivePrice('vwap', vwapText, options);
  const tradesText = optional(fields, layout.trades);
  let trades: number | null = null;
  if (tradesText !== '') {
    trades = number('trades', tradesText, options);
    if (!Number.isInteger(trades) || trades < 0) throw new CsvRowError(`trades ${tradesText} is not a whole number`);
  }
  const period = layout.period === undefined ? undefined : f(layout.period);
  return { when, open, high, low, close, volume, tickVolume, vwap, trades, period };
}
