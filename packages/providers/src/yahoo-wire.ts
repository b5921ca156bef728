import type { AssetClass } from '@candlebase/contracts';
import { isRecord, MalformedResponseError } from './http';
import { isFiatPair, parsePair } from './pairs';
import type { SymbolFacts } from './types';

/**
 * Our symbol to Yahoo's. Yahoo writes a US share class with a dash (`BRK.B` -> `BRK-B`) but keeps
 * the dot for exchange suffixes (`VOD.L`, `SAP.DE`, `7203.T`), so only `.A`, `.B` and `.C` turn into
 * dashes. Crypto pairs are Yahoo's own form (`BTC-USD`; `BTC/USD` -> `BTC-USD`); fiat pairs become
 * `EURUSD=X`. Our symbols cannot hold `^` or `=`, so indices are written `I:GSPC` (-> `^GSPC`) and
 * futures `F:ES` (-> `ES=F`). Anything else passes through unchanged.
 */
export function toYahooSymbol(symbol: string): string {
  const upper = symbol.trim().toUpperCase();
  if (upper.startsWith('I:')) return `^${upper.slice(2)}`;
  if (upper.startsWith('F:')) return `${upper.slice(2)}=F`;
  const shareClass = /^([A-Z]+)\.([ABC])$/.exec(upper);
  if (shareClass) return `${shareClass[1]}-${shareClass[2]}`;
  const pair = parsePair(upper);
  if (pair) return isFiatPair(pair) ? `${pair.base}${pair.quote}=X` : `${pair.base}-${pair.quote}`;
  return upper;
}

/** One row of the quote arrays; a null is a bar without trades (or a halt). `ts` is epoch seconds. */
export interface WireBar {
  ts: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
}

export interface WireSplit {
  /** Epoch seconds: the session open of the ex-date. */
  date: number;
  numerator: number;
  denominator: number;
}

export interface WireDividend {
  date: number;
  amount: number;
}

export interface ChartMeta {
  timeZone: string | undefined;
  /** Seconds east of UTC now (not at each bar's date); only a fallback for the zone. */
  gmtOffset: number;
  /** The current session's regular hours in epoch seconds, where Yahoo says them. */
  regular: { start: number; end: number } | undefined;
  facts: SymbolFacts;
}

export interface Chart {
  meta: ChartMeta;
  bars: WireBar[];
  splits: WireSplit[];
  dividends: WireDividend[];
}

const INSTRUMENT_CLASSES: Record<string, AssetClass> = {
  EQUITY: 'equity',
  ETF: 'etf',
  MUTUALFUND: 'etf',
  CRYPTOCURRENCY: 'crypto',
  CURRENCY: 'fx',
  INDEX: 'index',
};

/** What `chart.error.description` says, if the body carries one (under `chart` or, for crumbs, `finance`). */
export function chartErrorDescription(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  for (const key of ['chart', 'finance']) {
    const outer = body[key];
    const error = isRecord(outer) ? outer.error : undefined;
    if (isRecord(error)) {
      const text = typeof error.description === 'string' ? error.description : error.code;
      if (typeof text === 'string' && text.trim() !== '') return text.trim().slice(0, 300);
    }
  }
  return undefined;
}

/**
 * Reads one `/v8/finance/chart` answer. An empty range has no `timestamp` array at all and an empty
 * quote object; the events come keyed by their epoch second.
 */
export function parseChart(body: unknown): Chart {
  const chart = isRecord(body) ? body.chart : undefined;
  if (!isRecord(chart)) throw new MalformedResponseError('expected {"chart": ...}');
  const result = Array.isArray(chart.result) ? chart.result[0] : undefined;
  if (!isRecord(result)) {
    throw new MalformedResponseError(`no chart result (${chartErrorDescription(body) ?? 'and no error either'})`);
  }
  const meta = isRecord(result.meta) ? result.meta : {};
  const timestamps = result.timestamp ?? [];
  if (!Array.isArray(timestamps)) throw new MalformedResponseError('"timestamp" is not a list');
  const indicators = isRecord(result.indicators) ? result.indicators : {};
  const quote = Array.isArray(indicators.quote) && isRecord(indicators.quote[0]) ? indicators.quote[0] : {};
  const column = (key: string): unknown[] => {
    const values = quote[key];
    if (values === undefined && timestamps.length === 0) return [];
    if (!Array.isArray(values) || values.length !== timestamps.length) {
      throw new MalformedResponseError(`"${key}" does not match "timestamp"`);
    }
    return values;
  };
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map(column);
  const bars = timestamps.map((ts: unknown, i): WireBar => {
    if (typeof ts !== 'number' || !Number.isFinite(ts))
      throw new MalformedResponseError(`timestamp ${i} is not a number`);
    return {
      ts,
      open: numberOrNull(open?.[i]),
      high: numberOrNull(high?.[i]),
      low: numberOrNull(low?.[i]),
      close: numberOrNull(close?.[i]),
      volume: numberOrNull(volume?.[i]),
    };
  });
  const events = isRecord(result.events) ? result.events : {};
  return { meta: readMeta(meta), bars, splits: readSplits(events.splits), dividends: readDividends(events.dividends) };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function readMeta(meta: Record<string, unknown>): ChartMeta {
  const period = isRecord(meta.currentTradingPeriod) ? meta.currentTradingPeriod.regular : undefined;
  const start = isRecord(period) ? numberOrNull(period.start) : null;
  const end = isRecord(period) ? numberOrNull(period.end) : null;
  const assetClass = INSTRUMENT_CLASSES[String(meta.instrumentType ?? '')];
  const name = text(meta.longName) ?? text(meta.shortName);
  const exchange = text(meta.fullExchangeName) ?? text(meta.exchangeName);
  const currency = text(meta.currency);
  return {
    timeZone: text(meta.exchangeTimezoneName),
    gmtOffset: numberOrNull(meta.gmtoffset) ?? 0,
    regular: start !== null && end !== null ? { start, end } : undefined,
    facts: {
      ...(name && { name }),
      ...(assetClass && { assetClass }),
      ...(exchange && { exchange }),
      ...(currency && { currency }),
    },
  };
}

function readSplits(raw: unknown): WireSplit[] {
  if (!isRecord(raw)) return [];
  const splits: WireSplit[] = [];
  for (const event of Object.values(raw)) {
    if (!isRecord(event)) continue;
    const date = numberOrNull(event.date);
    let numerator = numberOrNull(event.numerator);
    let denominator = numberOrNull(event.denominator);
    // Older answers carry only "splitRatio": "4:1".
    const ratio =
      typeof event.splitRatio === 'string' ? /^\s*([\d.]+)\s*[:/]\s*([\d.]+)\s*$/.exec(event.splitRatio) : null;
    if ((numerator === null || denominator === null) && ratio) {
      numerator = Number(ratio[1]);
      denominator = Number(ratio[2]);
    }
    if (date === null || !numerator || !denominator) {
      throw new MalformedResponseError('a split event has no date or ratio');
    }
    splits.push({ date, numerator, denominator });
  }
  return splits.sort((a, b) => a.date - b.date);
}

function readDividends(raw: unknown): WireDividend[] {
  if (!isRecord(raw)) return [];
  const dividends: WireDividend[] = [];
  for (const event of Object.values(raw)) {
    if (!isRecord(event)) continue;
    const date = numberOrNull(event.date);
    const amount = numberOrNull(event.amount);
    if (date === null || amount === null) throw new MalformedResponseError('a dividend event has no date or amount');
    dividends.push({ date, amount });
  }
  return dividends.sort((a, b) => a.date - b.date);
}
