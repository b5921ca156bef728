import type { ServerResponse } from 'node:http';
import { answerTickerDetails } from './fake-polygon-tickers';
import { type FakeServer, type SeenRequest, sendJson, startFakeServer } from './fake-server';

/** A split as `/v3/reference/splits` lists it; `announced` (default: the execution date) is when it appears there. */
export interface FakeSplit {
  execution_date: string;
  split_from: number;
  split_to: number;
  announced?: string;
}

/** A dividend as `/v3/reference/dividends` lists it. */
export interface FakeDividend {
  ex_dividend_date: string;
  cash_amount: number;
  dividend_type?: 'CD' | 'SC' | 'LT' | 'ST';
  announced?: string;
}

export interface FakeCompanyOptions {
  apiKey?: string;
  ticker: string;
  /** The sessions the company traded, YYYY-MM-DD ascending. */
  days: string[];
  splits?: FakeSplit[];
  dividends?: FakeDividend[];
  /** Results per reference page (Polygon allows up to 1000 with `limit`); the rest through `next_url`. */
  referencePageSize?: number;
  /** Answers instead of Polygon when it returns something. */
  fault?: (url: URL) => { status: number; json: unknown } | undefined;
}

export interface FakeCompanyBar {
  date: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  vw: number;
}

export interface FakeCompany extends FakeServer {
  apiKey: string;
  /** The fake's today: bars after it do not exist yet, actions announced after it are not listed. */
  setToday(date: string): void;
  /** A session's bar as traded. */
  rawBar(date: string): FakeCompanyBar;
  /** As Polygon's `adjusted=true` serves it today: divided by the splits executed since, volume multiplied. */
  adjustedBar(date: string): FakeCompanyBar;
}

const DAY_MS = 86_400_000;

/** Which splits executed after `date`, up to `today`, and their combined ratio. */
function ratioAfter(splits: readonly FakeSplit[], date: string, today: string): number {
  let r = 1;
  for (const s of splits) if (s.execution_date > date && s.execution_date <= today) r *= s.split_to / s.split_from;
  return r;
}

/**
 * Polygon for one company whose history has splits and dividends, as the real service answers:
 *
 * - `/v2/aggs/ticker/{T}/range/1/day/{from}/{to}`: daily bars stamped at midnight New York, split-
 *   adjusted as of today unless `adjusted=false` (Polygon's default is true; it never adjusts for
 *   dividends), none after today, `adjusted` echoed in the answer; other spans have no bars (no `results`).
 * - `/v3/reference/splits?ticker=&execution_date.gte=&execution_date.lte=` with `execution_date`,
 *   `split_from`, `split_to`, `ticker`, `id`; `/v3/reference/dividends?ticker=&ex_dividend_date.gte=&.lte=`
 *   with `cash_amount`, `currency`, `dividend_type`, `ex_dividend_date`, `pay_date`, ... Both paged by
 *   a keyless `next_url` naming Polygon's host with an opaque `cursor` that carries the query.
 * - 401 without the key.
 *
 * Raw prices are a smooth path times the ratio of every later split (so the raw series has the
 * split's step and the adjusted one none).
 */
export async function startFakePolygonCompany(options: FakeCompanyOptions): Promise<FakeCompany> {
  const apiKey = options.apiKey ?? 'fake-key';
  const splits = options.splits ?? [];
  const dividends = options.dividends ?? [];
  const pageSize = options.referencePageSize ?? 1000;
  let today = options.days.at(-1) ?? '2100-01-01';
  const index = new Map(options.days.map((d, i) => [d, i]));

  function rawBar(date: string): FakeCompanyBar {
    const i = index.get(date);
    if (i === undefined) throw new Error(`${date} is not a session of the fake company`);
    const r = ratioAfter(splits, date, '9999-12-31');
    const base = 100 + i * 0.5 + Math.round(Math.sin(i / 2) * 200) / 100;
    const o = base * r;
    const c = (base + 0.25) * r;
    return {
      date,
      o,
      c,
      h: Math.max(o, c) + 0.5 * r,
      l: Math.min(o, c) - 0.5 * r,
      v: Math.round(1_000_000 / r),
      vw: (base + 0.1) * r,
    };
  }
  function adjustedBar(date: string): FakeCompanyBar {
    const raw = rawBar(date);
    const r = ratioAfter(splits, date, today);
    return { date, o: raw.o / r, h: raw.h / r, l: raw.l / r, c: raw.c / r, v: raw.v * r, vw: raw.vw / r };
  }

  const listed = (announced: string | undefined, date: string) => (announced ?? date) <= today;

  function page(res: ServerResponse, path: string, query: URLSearchParams, results: unknown[], requestId: number) {
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(Number(query.get('limit') ?? 10), pageSize, 1000);
    const slice = results.slice(offset, offset + limit);
    const rest = new URLSearchParams(query);
    rest.set('offset', String(offset + limit));
    const cursor = Buffer.from(rest.toString()).toString('base64url');
    sendJson(res, 200, {
      results: slice,
      status: 'OK',
      request_id: `req-${requestId}`,
      ...(offset + limit < results.length && { next_url: `https://api.polygon.io${path}?cursor=${cursor}` }),
    });
  }

  const server = await startFakeServer((req: SeenRequest, res, n) => {
    const { url } = req;
    const fault = options.fault?.(url);
    if (fault) {
      sendJson(res, fault.status, fault.json);
      return;
    }
    if (answerTickerDetails(url, res, { apiKey })) return;
    if (url.searchParams.get('apiKey') !== apiKey) {
      sendJson(res, 401, { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' });
      return;
    }
    // A cursor stands for the whole query of the first page, as Polygon's do.
    const cursor = url.searchParams.get('cursor');
    const query = cursor ? new URLSearchParams(Buffer.from(cursor, 'base64url').toString()) : url.searchParams;
    const ticker = query.get('ticker');
    const within = (date: string, field: string) =>
      date >= (query.get(`${field}.gte`) ?? '0000-00-00') && date <= (query.get(`${field}.lte`) ?? '9999-12-31');

    if (url.pathname === '/v3/reference/splits') {
      const results = splits
        .filter((s) => ticker === options.ticker && listed(s.announced, s.execution_date))
        .filter((s) => within(s.execution_date, 'execution_date'))
        .map((s) => ({
          execution_date: s.execution_date,
          id: `E${s.execution_date.replaceAll('-', '')}`,
          split_from: s.split_from,
          split_to: s.split_to,
          ticker: options.ticker,
        }));
      page(res, url.pathname, query, results, n);
      return;
    }
    if (url.pathname === '/v3/reference/dividends') {
      const results = dividends
        .filter((d) => ticker === options.ticker && listed(d.announced, d.ex_dividend_date))
        .filter((d) => within(d.ex_dividend_date, 'ex_dividend_date'))
        .map((d) => ({
          cash_amount: d.cash_amount,
          currency: 'USD',
          declaration_date: d.announced ?? d.ex_dividend_date,
          dividend_type: d.dividend_type ?? 'CD',
          ex_dividend_date: d.ex_dividend_date,
          frequency: 4,
          id: `E${d.ex_dividend_date.replaceAll('-', '')}`,
          pay_date: d.ex_dividend_date,
          record_date: d.ex_dividend_date,
          ticker: options.ticker,
        }));
      page(res, url.pathname, query, results, n);
      return;
    }
    const aggs = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(\w+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (aggs) {
      const [, t = '', multiplier = '', span = '', from = '', to = ''] = aggs;
      // The company only has daily history: any other span is answered as Polygon answers a range without trades.
      const daily = multiplier === '1' && span === 'day';
      const asDate = (s: string) => (/^\d+$/.test(s) ? new Date(Number(s)).toISOString().slice(0, 10) : s);
      const adjusted = url.searchParams.get('adjusted') !== 'false';
      const bars =
        daily && decodeURIComponent(t) === options.ticker
          ? options.days
              .filter((d) => d >= asDate(from) && d <= asDate(to) && d <= today)
              .map((d) => (adjusted ? adjustedBar(d) : rawBar(d)))
          : [];
      // Polygon stamps a stock's daily bar at midnight New York (04:00 UTC in summer).
      const results = bars.map(({ date, ...b }) => ({
        ...b,
        t: Date.parse(`${date}T00:00:00Z`) + DAY_MS / 6,
        n: 1000,
      }));
      sendJson(res, 200, {
        ticker: options.ticker,
        queryCount: results.length,
        resultsCount: results.length,
        adjusted,
        ...(results.length > 0 && { results }),
        status: 'OK',
        request_id: `req-${n}`,
        count: results.length,
      });
      return;
    }
    sendJson(res, 404, { status: 'NOT_FOUND', message: 'Not found' });
  });

  return {
    ...server,
    apiKey,
    setToday: (date) => {
      today = date;
    },
    rawBar,
    adjustedBar,
  };
}
