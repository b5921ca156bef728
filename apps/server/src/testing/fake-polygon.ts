import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPolygonProvider, type MarketDataProvider, type PolygonProviderOptions } from '@candlebase/providers';
import { answerTickerDetails } from '@candlebase/providers/testing/fake-polygon-tickers';
import { stockBarOpens } from './fake-polygon-hours';

/** A bar as Polygon's `/v2/aggs` writes it. */
export interface WireBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  vw?: number;
  n?: number;
}

/** One `/v2/aggs` request as the fake saw it. */
export interface AggsRequest {
  /** 0-based arrival order over all requests. */
  index: number;
  at: number;
  ticker: string;
  /** The page within the window: 0 for the first answer, then 1, 2… through `next_url`. */
  page: number;
  url: URL;
  /** How many times this exact URL was asked before (0 the first time): a retry has `tries > 0`. */
  tries: number;
}

/** What the fake answers instead of the data: a status and body, an unfinished answer, or nothing at all. */
export type Fault =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string>; label?: string }
  | { hang: true }
  | { reset: true }
  /** Holds the request until the promise settles, then answers with its fault, or the data when it gives none. */
  | { wait: Promise<Fault | undefined> };

export interface FakePolygonOptions {
  apiKey?: string;
  /** Tickers `/v3/reference/tickers/{ticker}` answers 404 for; it lists every other. */
  unlisted?: readonly string[];
  /** Bars per answer; the rest follow through `next_url`. */
  pageSize?: number;
  /** Answers instead of Polygon when it returns a fault. */
  fault?: (req: AggsRequest) => Fault | undefined;
  /** Rewrites the bars of one answer before it goes out (bad data, duplicates). */
  rewrite?: (req: AggsRequest, bars: WireBar[]) => WireBar[];
  /**
   * Every answer waits this long, as a distant provider's does: a floor under how long a job
   * takes, whatever the speed of the machine (chaos tests need work left to break).
   */
  latencyMs?: number;
  /**
   * Tickers without a prefix (stocks) trade as on Polygon: clock-aligned bars with pre-market and
   * after-hours, only for intervals with a trade (see fake-polygon-hours.ts). Off: every step.
   */
  stockHours?: boolean;
  /** With `stockHours`: minutes in which a ticker had no trade. */
  quiet?: (ticker: string, minuteMs: number) => boolean;
  /**
   * The fake's clock. With it, as on the real service, no bar opens after now and the bar in
   * progress is served as it stands so far (see `barAsOf`). Without it, every bar is final.
   */
  now?: () => number;
  /**
   * With `now`: how long after its close a bar keeps changing, as late prints land (Polygon: about
   * 15 minutes). Two requests a minute or more apart see different values for these bars.
   */
  lateMs?: number;
}

export interface FakePolygon {
  baseUrl: string;
  apiKey: string;
  requests: AggsRequest[];
  /** Arrival times of `/v1/marketstatus/now` requests (the provider-reachable check). */
  pings: number[];
  /** Faults answered, by kind: "500", "429", "hang", "reset", "html"… */
  faults: Map<string, number>;
  /** The production Polygon client pointed at this server, with quick retries and no real rate limit. */
  provider(options?: Partial<PolygonProviderOptions>): MarketDataProvider;
  /** The environment that points a server process (`pnpm start`) at this server, with no real rate limit. */
  serverEnv(): Record<string, string>;
  close(): Promise<void>;
}

const PATH = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(\w+)\/(\d+|\d{4}-\d\d-\d\d)\/(\d+|\d{4}-\d\d-\d\d)$/;
const SPAN_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** `from` and `to` as Polygon takes them: epoch ms, or whole days (YYYY-MM-DD, both inclusive). */
function instant(text: string, end: boolean): number {
  if (/^\d+$/.test(text)) return Number(text);
  return Date.parse(`${text}T00:00:00Z`) + (end ? 86_400_000 - 1 : 0);
}

/** A stable number in [0, 1) from text: deterministic "randomness" that does not depend on arrival order. */
export function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** The bar at `t` of a ticker: a pure function of both, so a refetch serves exactly the same values. */
export function barAt(ticker: string, t: number): WireBar {
  const base = 50 + Math.floor(unitHash(ticker) * 1000);
  const wave = Math.round(Math.sin(t / 3_600_000) * 500) / 100;
  const o = base + wave;
  const c = o + ((t / 300_000) % 7) / 10 - 0.3;
  return {
    t,
    o,
    c,
    h: Math.max(o, c) + 0.25,
    l: Math.min(o, c) - 0.25,
    v: 1000 + ((t / 60_000) % 97) + 0.5,
    vw: Math.round(((o + c) / 2) * 100) / 100,
    n: 10 + ((t / 60_000) % 13),
  };
}

/**
 * A bar as the fake serves it at `now`: final once its close plus `lateMs` has passed, until then
 * part-made, its close part of the way from open to the final close and its volume and trade count
 * part of the final ones. It moves in whole minutes, so two requests within one minute agree.
 */
export function barAsOf(bar: WireBar, stepMs: number, now: number, lateMs = 0): WireBar {
  const span = stepMs + lateMs;
  if (now >= bar.t + span) return bar;
  const elapsed = Math.max(0, Math.floor((now - bar.t) / 60_000) * 60_000);
  const part = (elapsed + 60_000) / (span + 60_000);
  const round = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    ...bar,
    c: round(bar.o + (bar.c - bar.o) * part),
    v: round(bar.v * part),
    ...(bar.n !== undefined && { n: Math.max(1, Math.round(bar.n * part)) }),
  };
}

/** A wire bar as Candlebase stores it. */
export function asStored(bar: WireBar) {
  return {
    ts: bar.t,
    open: bar.o,
    high: bar.h,
    low: bar.l,
    close: bar.c,
    volume: bar.v,
    vwap: bar.vw ?? null,
    trades: bar.n ?? null,
  };
}

/** Every bar the fake serves for a ticker with opens in [fromMs, toMs), as stored. */
export function servedSeries(ticker: string, stepMs: number, fromMs: number, toMs: number) {
  const out: ReturnType<typeof asStored>[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t < toMs; t += stepMs) out.push(asStored(barAt(ticker, t)));
  return out;
}

/**
 * A local HTTP server answering `/v2/aggs/ticker/{ticker}/range/{m}/{span}/{from}/{to}` as Polygon
 * does: bars for [from, to] (epoch ms, both inclusive), `pageSize` per answer, a keyless `next_url`
 * to the rest, no `results` when there are none, 401 without the key. Faults are injected per request.
 */
export async function startFakePolygon(options: FakePolygonOptions = {}): Promise<FakePolygon> {
  const apiKey = options.apiKey ?? 'fake-key';
  const pageSize = options.pageSize ?? 500;
  const requests: AggsRequest[] = [];
  const pings: number[] = [];
  const faults = new Map<string, number>();
  const tries = new Map<string, number>();
  const count = (kind: string) => faults.set(kind, (faults.get(kind) ?? 0) + 1);

  const server = createServer((raw, res) => {
    if (options.latencyMs) setTimeout(() => receive(raw, res), options.latencyMs);
    else receive(raw, res);
  });

  function receive(raw: IncomingMessage, res: ServerResponse): void {
    const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v1/marketstatus/now') {
      // The reachability check's endpoint; it counts against the key's quota like any request.
      pings.push(Date.now());
      if (url.searchParams.get('apiKey') !== apiKey) send(res, 401, { status: 'ERROR', error: 'Unknown API Key' });
      else send(res, 200, { market: 'closed', serverTime: '2024-01-02T20:00:00-05:00' });
      return;
    }
    if (answerTickerDetails(url, res, { apiKey, unlisted: options.unlisted })) return;
    const match = PATH.exec(url.pathname);
    if (!match) {
      send(res, 404, { status: 'NOT_FOUND', message: 'Not found' });
      return;
    }
    const [, tickerText = ''] = match;
    const key = url.pathname + url.search;
    const req: AggsRequest = {
      index: requests.length,
      at: Date.now(),
      ticker: decodeURIComponent(tickerText),
      page: Number(url.searchParams.get('cursor') ?? 0) / pageSize,
      url,
      tries: tries.get(key) ?? 0,
    };
    tries.set(key, req.tries + 1);
    requests.push(req);

    const fault = options.fault?.(req);
    if (fault && 'wait' in fault) {
      count('held');
      void fault.wait.then((later) => answer(req, raw, res, later));
      return;
    }
    answer(req, raw, res, fault);
  }

  function answer(req: AggsRequest, raw: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void {
    const { url } = req;
    if (fault && 'wait' in fault) throw new Error('A held request must settle on an answer, not on another wait');
    if (fault) {
      if ('hang' in fault) {
        count('hang');
        return;
      }
      if ('reset' in fault) {
        count('reset');
        raw.socket.destroy();
        return;
      }
      count(fault.label ?? (fault.text !== undefined ? 'html' : String(fault.status)));
      res.writeHead(fault.status, {
        'content-type': fault.text !== undefined ? 'text/html' : 'application/json',
        ...fault.headers,
      });
      res.end(fault.text ?? JSON.stringify(fault.json ?? {}));
      return;
    }
    if (url.searchParams.get('apiKey') !== apiKey) {
      send(res, 401, { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' });
      return;
    }
    const [, , multiplier = '1', span = 'minute', from = '0', to = '0'] = PATH.exec(url.pathname) ?? [];
    const step = Number(multiplier) * (SPAN_MS[span] ?? 60_000);
    const first = Math.ceil(instant(from, false) / step) * step;
    const now = options.now?.();
    // With a clock, the last bar served is the one in progress.
    const lastOpen = now === undefined ? instant(to, true) : Math.min(instant(to, true), now);
    const stock = options.stockHours === true && !req.ticker.includes(':');
    const quiet = options.quiet;
    const opens = stock
      ? stockBarOpens(step, instant(from, false), lastOpen, quiet && ((m) => quiet(req.ticker, m)))
      : undefined;
    const total = opens?.length ?? Math.max(0, Math.floor((lastOpen - first) / step) + 1);
    const offset = req.page * pageSize;
    const bars: WireBar[] = [];
    for (let i = offset; i < Math.min(total, offset + pageSize); i++) {
      const bar = barAt(req.ticker, opens?.[i] ?? first + i * step);
      bars.push(now === undefined ? bar : barAsOf(bar, step, now, options.lateMs));
    }
    const results = options.rewrite ? options.rewrite(req, bars) : bars;
    const more = offset + pageSize < total;
    send(res, 200, {
      ticker: req.ticker,
      queryCount: results.length,
      resultsCount: results.length,
      // Polygon echoes what was asked; its default is adjusted.
      adjusted: url.searchParams.get('adjusted') !== 'false',
      ...(results.length > 0 && { results }),
      status: 'OK',
      request_id: `req-${req.index}`,
      count: results.length,
      // Polygon's next_url names its own host; the client moves it onto the configured one.
      ...(more && { next_url: `https://api.polygon.io${url.pathname}?cursor=${offset + pageSize}` }),
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    apiKey,
    requests,
    pings,
    faults,
    provider: (overrides = {}) =>
      createPolygonProvider({
        apiKey,
        baseUrl,
        requestsPerMinute: 100_000,
        timeoutMs: 5_000,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        ...overrides,
      }),
    serverEnv: () => ({
      MARKET_DATA_PROVIDER: 'polygon',
      POLYGON_BASE_URL: baseUrl,
      POLYGON_API_KEY: apiKey,
      POLYGON_REQUESTS_PER_MINUTE: '100000',
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hung requests hold their sockets; without this close() would wait for them forever.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
