import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CalendarName, DAY_MS, dayFromIso, isoFromDay, type Session, sessionOnDay } from '@candlebase/calendar';
import { type SeenRequest, sendJson, sendText } from './fake-server';

const MIN = 60_000;
const STEPS: Record<string, number> = { '5m': 5 * MIN, '15m': 15 * MIN, '60m': 60 * MIN, '1h': 60 * MIN };
const HISTORY_DAYS: Record<string, number> = { '5m': 60, '15m': 60, '60m': 730, '1h': 730 };

/** A bar as it traded (unadjusted); null plays a bar without trades, which Yahoo sends as nulls. */
export type RawBar = { open: number; high: number; low: number; close: number; volume: number } | null;

export interface FakeYahooSymbol {
  instrumentType: 'EQUITY' | 'ETF' | 'CRYPTOCURRENCY' | 'CURRENCY' | 'INDEX';
  currency: string;
  exchangeName: string;
  fullExchangeName: string;
  longName?: string;
  /** 'nyse' stamps daily bars at the 09:30 New York open; '24x7' at 00:00 UTC. */
  calendar: CalendarName;
  /** The bar opening at `t` (epoch ms), as traded; i counts the bars of the answer. */
  bar: (t: number, i: number) => RawBar;
  splits?: { exDate: string; numerator: number; denominator: number }[];
  /** Cash per share as paid on the day (Yahoo serves it divided by the later splits). */
  dividends?: { exDate: string; amount: number }[];
  /**
   * Intraday answers also hold a bar stamped at the regular close (16:00 New York, 13:00 on an
   * early close) with the closing-auction price and volume 0, as Yahoo sends even with
   * includePrePost=false (yfinance drops it: ranaroussi/yfinance#1311, #2806).
   */
  closePrint?: boolean;
}

export interface FakeYahooOptions {
  /** Yahoo's clock: the bar open at this instant is served, still forming. */
  now: number;
  /** Keyed by Yahoo's symbol (BRK-B, ^GSPC, EURUSD=X). */
  symbols: Record<string, FakeYahooSymbol>;
  /** When set, chart requests need this crumb and the cookie /v1/test/getcrumb sets. */
  crumb?: string;
  fault?: (req: SeenRequest, res: ServerResponse, index: number) => boolean;
}

const COOKIE = 'A3=d=AQABBfake&S=AQAAAfake';

/** The first session on or after `day` within a week, or null (the calendars here always have one). */
function sessionFrom(cal: CalendarName, day: number, direction: 1 | -1): Readonly<Session> | null {
  for (let d = day, n = 0; n < 10; d += direction, n++) {
    const s = sessionOnDay(cal, d);
    if (s) return s;
  }
  return null;
}

function zoneOf(cal: CalendarName) {
  return cal === 'nyse'
    ? { exchangeTimezoneName: 'America/New_York', zone: 'America/New_York' }
    : { exchangeTimezoneName: 'UTC', zone: 'UTC' };
}

function offsetSeconds(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-]\d+)(?::(\d+))?/.exec(name);
  return m ? (Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0)) * 60 : 0;
}

/**
 * Answers `/v8/finance/chart/{symbol}` and `/v1/test/getcrumb` as Yahoo does, awkward parts
 * included: no `timestamp` array at all for an empty range; nulls for bars without trades; daily
 * bars stamped at the session's open; the forming bar served; prices and volumes adjusted for every
 * split up to `now`; 422 for intraday starts older than Yahoo keeps; 404 for an unknown symbol.
 */
export function yahooChart(options: FakeYahooOptions) {
  const { now } = options;
  return (req: SeenRequest, res: ServerResponse, index: number, raw: IncomingMessage) => {
    if (options.fault?.(req, res, index)) return;
    if (req.url.pathname === '/v1/test/getcrumb') {
      res.writeHead(200, {
        'content-type': 'text/plain;charset=utf-8',
        'set-cookie': `${COOKIE}; Expires=Wed, 1 Dec 2027 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`,
      });
      res.end(options.crumb ?? 'no-crumb-needed');
      return;
    }
    const match = /^\/v8\/finance\/chart\/([^/]+)$/.exec(req.url.pathname);
    if (!match) {
      sendText(res, 404, '<html><body>Not Found</body></html>');
      return;
    }
    const q = req.url.searchParams;
    if (options.crumb && (q.get('crumb') !== options.crumb || !String(raw.headers.cookie ?? '').includes(COOKIE))) {
      sendJson(res, 401, { chart: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
      return;
    }
    const symbol = decodeURIComponent(match[1] ?? '');
    const series = options.symbols[symbol];
    if (!series) {
      sendJson(res, 404, {
        chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
      });
      return;
    }
    const interval = q.get('interval') ?? '1d';
    const range = q.get('range');
    const period2 = range ? Math.floor(now / 1000) : Number(q.get('period2'));
    const period1 = range ? period2 - 86_400 : Number(q.get('period1'));
    const limit = HISTORY_DAYS[interval];
    if (limit !== undefined && period1 * 1000 < now - limit * DAY_MS) {
      sendJson(res, 422, {
        chart: {
          result: null,
          error: {
            code: 'Unprocessable Entity',
            description: `${interval} data not available for startTime=${period1} and endTime=${period2}. The requested range must be within the last ${limit} days.`,
          },
        },
      });
      return;
    }
    sendJson(res, 200, {
      chart: { result: [answer(series, symbol, interval, period1 * 1000, period2 * 1000)], error: null },
    });
  };

  function splitFactor(series: FakeYahooSymbol, date: string): number {
    let f = 1;
    for (const s of series.splits ?? [])
      if (s.exDate > date && dayFromIso(s.exDate) * DAY_MS <= now) f *= s.numerator / s.denominator;
    return f;
  }

  function stampOf(series: FakeYahooSymbol, exDate: string): number {
    const s = sessionOnDay(series.calendar, dayFromIso(exDate));
    return Math.floor((s?.open ?? dayFromIso(exDate) * DAY_MS) / 1000);
  }

  function answer(series: FakeYahooSymbol, symbol: string, interval: string, from: number, to: number) {
    const step = STEPS[interval];
    const opens: number[] = [];
    const prints = new Set<number>();
    const upTo = Math.min(to, now + 1);
    for (let day = Math.floor(from / DAY_MS); day * DAY_MS < upTo; day++) {
      const s = sessionOnDay(series.calendar, day);
      if (!s) continue;
      if (step === undefined) {
        if (s.open >= from && s.open < upTo) opens.push(s.open);
        continue;
      }
      for (let t = s.open; t < s.close; t += step) if (t >= from && t < upTo) opens.push(t);
      if (series.closePrint && s.close >= from && s.close < upTo) {
        opens.push(s.close);
        prints.add(s.close);
      }
    }
    const quote = {
      open: [] as (number | null)[],
      high: [] as (number | null)[],
      low: [] as (number | null)[],
      close: [] as (number | null)[],
      volume: [] as (number | null)[],
    };
    opens.forEach((t, i) => {
      const bar = series.bar(t, i);
      const f = splitFactor(series, isoFromDay(Math.floor(t / DAY_MS)));
      quote.open.push(bar ? bar.open / f : null);
      quote.high.push(bar ? bar.high / f : null);
      quote.low.push(bar ? bar.low / f : null);
      quote.close.push(bar ? bar.close / f : null);
      quote.volume.push(bar ? (prints.has(t) ? 0 : Math.round(bar.volume * f)) : null);
    });
    const inRange = (exDate: string) => {
      const at = stampOf(series, exDate) * 1000;
      return at >= from && at < to && at <= now;
    };
    const splits = Object.fromEntries(
      (series.splits ?? [])
        .filter((s) => inRange(s.exDate))
        .map((s) => {
          const date = stampOf(series, s.exDate);
          return [
            String(date),
            { date, numerator: s.numerator, denominator: s.denominator, splitRatio: `${s.numerator}:${s.denominator}` },
          ];
        }),
    );
    const dividends = Object.fromEntries(
      (series.dividends ?? [])
        .filter((d) => inRange(d.exDate))
        .map((d) => {
          const date = stampOf(series, d.exDate);
          return [String(date), { amount: d.amount / splitFactor(series, d.exDate), date }];
        }),
    );
    const { exchangeTimezoneName, zone } = zoneOf(series.calendar);
    const today = Math.floor(now / DAY_MS);
    const todays = sessionOnDay(series.calendar, today);
    const current = todays ?? sessionFrom(series.calendar, today, 1);
    const previous = sessionFrom(series.calendar, today - 1, -1);
    const gmtoffset = offsetSeconds(zone, now);
    const period = (s: Readonly<Session> | null) => ({
      timezone: zone === 'UTC' ? 'UTC' : gmtoffset === -14_400 ? 'EDT' : 'EST',
      start: Math.floor((s?.open ?? now) / 1000),
      end: Math.floor((s?.close ?? now) / 1000),
      gmtoffset,
    });
    const result: Record<string, unknown> = {
      meta: {
        currency: series.currency,
        symbol,
        exchangeName: series.exchangeName,
        fullExchangeName: series.fullExchangeName,
        instrumentType: series.instrumentType,
        firstTradeDate: 345479400,
        regularMarketTime: Math.floor(Math.min(now, previous?.close ?? now) / 1000),
        hasPrePostMarketData: series.calendar === 'nyse',
        gmtoffset,
        timezone: period(current).timezone,
        exchangeTimezoneName,
        ...(series.longName && { longName: series.longName, shortName: series.longName }),
        priceHint: 2,
        currentTradingPeriod: { pre: period(current), regular: period(current), post: period(current) },
        dataGranularity: interval,
        range: '',
        validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
      },
    };
    if (opens.length > 0) result.timestamp = opens.map((t) => Math.floor(t / 1000));
    if (Object.keys(splits).length > 0 || Object.keys(dividends).length > 0) {
      result.events = {
        ...(Object.keys(dividends).length > 0 && { dividends }),
        ...(Object.keys(splits).length > 0 && { splits }),
      };
    }
    result.indicators = {
      quote: [opens.length > 0 ? quote : {}],
      ...(step === undefined && { adjclose: [opens.length > 0 ? { adjclose: quote.close } : {}] }),
    };
    return result;
  }
}
