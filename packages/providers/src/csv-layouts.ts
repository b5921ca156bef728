import { CsvRowError } from './csv-errors';

/**
 * The layouts of the CSV files analysts have, recognised from the header (or its absence). A
 * layout says which column holds what; the values are read by csv-row.ts. docs/csv-provider.md
 * shows a sample of each.
 */
export const CSV_LAYOUTS = [
  'plain',
  'yahoo',
  'yfinance',
  'yfinance-download',
  'metatrader4',
  'metatrader5',
  'binance',
  'stooq',
  'tradingview',
] as const;
export type CsvLayoutName = (typeof CSV_LAYOUTS)[number];

export interface CsvLayout {
  name: CsvLayoutName;
  /** Records before the first bar: 0 without a header, 3 for yfinance's download. */
  headerRows: number;
  width: number;
  /** The timestamp column, or the date column when `clock` holds the time of day. */
  time: number;
  clock?: number;
  /** Dates written as YYYYMMDD (Stooq). */
  compactDate: boolean;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  /** MetaTrader's tick count, used as the volume when the file's real volume is zero throughout (FX, CFDs). */
  tickVolume?: number;
  vwap?: number;
  trades?: number;
  /** Stooq's <PER> column: D, 5, 15, 60. */
  period?: number;
}

type Role =
  | 'timestamp'
  | 'date'
  | 'clock'
  | 'open'
  | 'high'
  | 'low'
  | 'close'
  | 'volume'
  | 'tickVolume'
  | 'vwap'
  | 'trades'
  | 'period';

const ROLES: Record<string, Role> = {
  timestamp: 'timestamp',
  datetime: 'timestamp',
  ts: 'timestamp',
  'open time': 'timestamp',
  opentime: 'timestamp',
  date: 'date',
  time: 'clock',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
  vol: 'volume',
  tickvol: 'tickVolume',
  'tick volume': 'tickVolume',
  vwap: 'vwap',
  trades: 'trades',
  count: 'trades',
  'number of trades': 'trades',
  per: 'period',
};

/** `<TICKVOL>`, ` Open_Time ` and `Adj Close` all to plain lower-case words. */
function normal(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');
}

function roles(header: readonly string[]): Map<Role, number> {
  const found = new Map<Role, number>();
  header.forEach((raw, i) => {
    const role = ROLES[normal(raw)];
    if (role === undefined) return;
    if (found.has(role)) throw new CsvRowError(`the header names the ${normal(raw)} column twice`);
    found.set(role, i);
  });
  // A lone `date` or `time` column is the timestamp; both together are MetaTrader's date and time of day.
  if (!found.has('timestamp')) {
    const date = found.get('date');
    const clock = found.get('clock');
    if (date !== undefined && clock === undefined) {
      found.set('timestamp', date);
      found.delete('date');
    } else if (clock !== undefined && date === undefined) {
      found.set('timestamp', clock);
      found.delete('clock');
    }
  }
  if (found.has('timestamp') && (found.has('date') || found.has('clock'))) {
    throw new CsvRowError('the header names both a timestamp and a separate date or time column');
  }
  return found;
}

function nameOf(header: readonly string[], found: Map<Role, number>): CsvLayoutName {
  const names = new Set(header.map(normal));
  const bracketed = header.some((h) => /^<.*>$/.test(h.trim()));
  if (bracketed && names.has('ticker') && names.has('per')) return 'stooq';
  if (bracketed) return 'metatrader5';
  if (found.has('date') && found.has('clock')) return 'metatrader4';
  if (names.has('adj close') && !names.has('dividends')) return 'yahoo';
  if (names.has('dividends') || names.has('stock splits') || names.has('datetime')) return 'yfinance';
  if (names.has('open time') && names.has('close time')) return 'binance';
  if (header[0]?.trim() === 'time') return 'tradingview';
  return 'plain';
}

function fromHeader(header: readonly string[], headerRows: number, name?: CsvLayoutName): CsvLayout {
  const found = roles(header);
  const time = found.get('timestamp') ?? found.get('date');
  const missing = (['open', 'high', 'low', 'close'] as const).filter((r) => !found.has(r));
  if (time === undefined || missing.length > 0) {
    const lacks = [...(time === undefined ? ['a time (timestamp, date or time)'] : []), ...missing];
    throw new CsvRowError(
      `the header lacks ${lacks.join(', ')}: the first line must name the columns, e.g. timestamp,open,high,low,close,volume, or be one of the exports docs/csv-provider.md lists (found "${header.join(',').slice(0, 80)}")`,
    );
  }
  const at = (r: Role) => found.get(r) ?? -1;
  const layoutName = name ?? nameOf(header, found);
  const layout: CsvLayout = {
    name: layoutName,
    headerRows,
    width: header.length,
    time,
    compactDate: layoutName === 'stooq',
    open: at('open'),
    high: at('high'),
    low: at('low'),
    close: at('close'),
  };
  for (const role of ['clock', 'volume', 'tickVolume', 'vwap', 'trades', 'period'] as const) {
    const i = found.get(role);
    if (i !== undefined) layout[role] = i;
  }
  return layout;
}

const DOTTED_DATE = /^\d{4}\.\d{2}\.\d{2}$/;
const CLOCK = /^\d{2}:\d{2}(?::\d{2})?$/;
const EPOCH_DIGITS = /^\d{12,17}$/;

/** Layouts that come without a header, told apart by their first row. */
function headerless(first: readonly string[]): CsvLayout | undefined {
  const [a = '', b = ''] = first;
  // Binance public data: open time, OHLC, volume, close time, quote volume, trades, taker volumes, ignore.
  if (first.length === 12 && EPOCH_DIGITS.test(a)) {
    return {
      name: 'binance',
      headerRows: 0,
      width: 12,
      time: 0,
      compactDate: false,
      open: 1,
      high: 2,
      low: 3,
      close: 4,
      volume: 5,
      trades: 8,
    };
  }
  // MetaTrader 4's History Center export: date, time, OHLC, volume.
  if ((first.length === 7 || first.length === 6) && DOTTED_DATE.test(a) && CLOCK.test(b)) {
    const layout: CsvLayout = {
      name: 'metatrader4',
      headerRows: 0,
      width: first.length,
      time: 0,
      clock: 1,
      compactDate: false,
      open: 2,
      high: 3,
      low: 4,
      close: 5,
    };
    if (first.length === 7) layout.volume = 6;
    return layout;
  }
  return undefined;
}

/**
 * The layout of a file from its first records (up to three, blank lines already dropped). Throws
 * a CsvRowError naming the problem when neither a header nor a known header-less export matches.
 */
export function detectLayout(records: readonly (readonly string[])[]): CsvLayout {
  const first = records[0];
  if (first === undefined) throw new CsvRowError('the file has no rows');
  const bare = headerless(first);
  if (bare !== undefined) return bare;
  if (/^[+-]?\d/.test(first[0]?.trim() ?? '')) {
    throw new CsvRowError(
      `the first line is data, not a header, and not a header-less export this reader knows (Binance klines with 12 columns, MetaTrader 4 with date,time,open,high,low,close,volume): add a header such as timestamp,open,high,low,close,volume (found "${first.join(',').slice(0, 80)}")`,
    );
  }
  // yfinance 0.2.51 and later: Price,Close,High,... / Ticker,AAPL,AAPL,... / Date,,,,,
  const second = records[1];
  const third = records[2];
  if (
    normal(first[0] ?? '') === 'price' &&
    normal(second?.[0] ?? '') === 'ticker' &&
    third !== undefined &&
    ['date', 'datetime'].includes(normal(third[0] ?? '')) &&
    third.slice(1).every((f) => f.trim() === '')
  ) {
    const header = [normal(third[0] ?? ''), ...first.slice(1)];
    return fromHeader(header, 3, 'yfinance-download');
  }
  return fromHeader(first, 1);
}
