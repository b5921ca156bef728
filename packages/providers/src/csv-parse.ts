import type { ProviderCandle } from './types';

/**
 * Parsing for the CSV provider, one line at a time and without I/O. Problems are thrown as
 * CsvRowError carrying only the reason; the caller prefixes file and line.
 */
export class CsvRowError extends Error {
  override readonly name = 'CsvRowError';
}

export const REQUIRED_COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
const OPTIONAL_COLUMNS = ['vwap', 'trades'] as const;
const TIMESTAMP_ALIASES = new Set(['timestamp', 'time', 'date', 'ts', 'datetime']);
type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Where each known column sits; unknown columns (adj_close, symbol, ...) are carried but ignored. */
export interface CsvLayout {
  width: number;
  index: Record<(typeof REQUIRED_COLUMNS)[number], number> & { vwap?: number; trades?: number };
}

/** Splits a CSV line; quotes are honoured only when present, which keeps the usual line cheap. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) {
    const fields = line.split(',');
    for (let i = 0; i < fields.length; i++) fields[i] = (fields[i] ?? '').trim();
    return fields;
  }
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

export function parseHeader(line: string): CsvLayout {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.toLowerCase());
  const found = new Map<Column, number>();
  names.forEach((name, i) => {
    const column: Column | undefined = TIMESTAMP_ALIASES.has(name)
      ? 'timestamp'
      : ([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as const).find((c) => c === name);
    if (column === undefined) return;
    if (found.has(column)) throw new CsvRowError(`the header names the ${column} column twice`);
    found.set(column, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !found.has(c));
  if (missing.length > 0) {
    throw new CsvRowError(
      `the header lacks ${missing.join(', ')}: the first line must name the columns, e.g. ${REQUIRED_COLUMNS.join(',')} (found "${line.slice(0, 80)}")`,
    );
  }
  const at = (c: Column) => found.get(c) ?? -1;
  const index: CsvLayout['index'] = {
    timestamp: at('timestamp'),
    open: at('open'),
    high: at('high'),
    low: at('low'),
    close: at('close'),
    volume: at('volume'),
  };
  if (found.has('vwap')) index.vwap = at('vwap');
  if (found.has('trades')) index.trades = at('trades');
  return { width: names.length, index };
}

const EPOCH = /^\d+(?:\.\d+)?$/;
/** Epoch values before 1973-03-03 are refused: that is where seconds and milliseconds would overlap, and a YYYYMMDD number lands. */
const EPOCH_SECONDS_MIN = 1e8;
const EPOCH_MS_MIN = 1e11;
const EPOCH_MS_MAX = 1e14;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** `n` decimal digits of `s` from `at` as a number, or -1. By hand: a regex per row was the parser's main cost. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

function notIso(text: string): CsvRowError {
  return new CsvRowError(
    `timestamp "${text.slice(0, 40)}" is not an ISO 8601 date or time, nor epoch seconds or milliseconds`,
  );
}

/** YYYY-MM-DD, optionally [T ]HH:MM[:SS[.fff]] and Z or an offset (+HH, +HHMM, +HH:MM). */
function parseIso(text: string): number {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text.charCodeAt(7) !== 45) throw notIso(text);
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  let i = 10;
  if (i < text.length) {
    const sep = text[i];
    if (sep !== 'T' && sep !== 't' && sep !== ' ') throw notIso(text);
    hour = digits(text, 11, 2);
    minute = digits(text, 14, 2);
    if (hour < 0 || minute < 0 || text[13] !== ':') throw notIso(text);
    i = 16;
    if (text[i] === ':') {
      second = digits(text, 17, 2);
      if (second < 0) throw notIso(text);
      i = 19;
      if (text[i] === '.') {
        let j = i + 1;
        let scale = 100;
        while (j < text.length && digits(text, j, 1) >= 0) {
          millis += digits(text, j, 1) * scale;
          scale /= 10;
          j++;
        }
        if (j === i + 1) throw notIso(text);
        millis = Math.round(millis);
        i = j;
      }
    }
    while (text[i] === ' ') i++;
    const zone = text.slice(i);
    if (zone === 'Z' || zone === 'z' || zone === '') {
      // UTC, stated or assumed.
    } else if (/^[+-]\d{2}(?::?\d{2})?$/.test(zone)) {
      const hh = digits(zone, 1, 2);
      const mm = zone.length > 3 ? digits(zone, zone.length - 2, 2) : 0;
      offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm);
    } else throw notIso(text);
  }
  if (
    year < 1000 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new CsvRowError(`timestamp "${text}" is not a real date and time`);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** ISO 8601 date or date-time (no zone = UTC), or epoch seconds / milliseconds told apart by size. */
export function parseTimestamp(text: string): number {
  if (text.length >= 10 && text.charCodeAt(4) === 45) return parseIso(text);
  if (!EPOCH.test(text)) throw notIso(text);
  const n = Number(text);
  if (n >= EPOCH_SECONDS_MIN && n < EPOCH_MS_MIN) return Math.round(n * 1000);
  if (n >= EPOCH_MS_MIN && n < EPOCH_MS_MAX) return Math.round(n);
  throw new CsvRowError(
    `timestamp ${text} is neither epoch seconds nor milliseconds after 1973; write dates as ISO 8601, e.g. 2024-01-02`,
  );
}

/** A plain decimal: Number() alone would also take '', hex, binary and octal. */
function number(column: string, text: string | undefined): number {
  const n = text === undefined || text === '' ? Number.NaN : Number(text);
  const radixPrefix = text !== undefined && text.charCodeAt(0) === 48 && /^0[xob]/i.test(text);
  if (!Number.isFinite(n) || radixPrefix) {
    throw new CsvRowError(`${column} "${(text ?? '').slice(0, 40)}" is not a number`);
  }
  return n;
}

function positivePrice(column: string, text: string | undefined): number {
  const n = number(column, text);
  if (!(n > 0) || !Number.isFinite(n)) throw new CsvRowError(`${column} ${text} is not a positive price`);
  return n;
}

function insideRange(column: string, value: number, low: number, high: number): void {
  if (value > high) throw new CsvRowError(`${column} ${value} is above high ${high}`);
  if (value < low) throw new CsvRowError(`${column} ${value} is below low ${low}`);
}

/** One data line to a candle, refusing anything a chart or an indicator would choke on. */
export function parseRow(line: string, layout: CsvLayout): ProviderCandle {
  const fields = splitCsvLine(line);
  if (fields.length !== layout.width) {
    throw new CsvRowError(`expected ${layout.width} columns as in the header, found ${fields.length}`);
  }
  const { index } = layout;
  const ts = parseTimestamp(fields[index.timestamp] ?? '');
  const open = positivePrice('open', fields[index.open]);
  const high = positivePrice('high', fields[index.high]);
  const low = positivePrice('low', fields[index.low]);
  const close = positivePrice('close', fields[index.close]);
  const volume = number('volume', fields[index.volume]);
  if (volume < 0) throw new CsvRowError(`volume ${volume} is negative`);
  if (high < low) throw new CsvRowError(`high ${high} is below low ${low}`);
  insideRange('open', open, low, high);
  insideRange('close', close, low, high);
  const vwapText = index.vwap === undefined ? '' : (fields[index.vwap] ?? '');
  const vwap = vwapText === '' ? null : positivePrice('vwap', vwapText);
  const tradesText = index.trades === undefined ? '' : (fields[index.trades] ?? '');
  let trades: number | null = null;
  if (tradesText !== '') {
    trades = number('trades', tradesText);
    if (!Number.isInteger(trades) || trades < 0) throw new CsvRowError(`trades ${tradesText} is not a whole number`);
  }
  return { ts, open, high, low, close, volume, vwap, trades };
}
