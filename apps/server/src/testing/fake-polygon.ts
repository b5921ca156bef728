import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPolygonProvider, type MarketDataProvider, type PolygonProviderOptions } from '@candlebase/providers';

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
}

export interface FakePolygon {
  baseUrl: string;
  apiKey: string;
  requests: AggsRequest[];
  /** Faults answered, by kind: "500", "429", "hang", "reset", "html"… */
  faults: Map<string, number>;
  /** The production Polygon client pointed at this server, with quick retries and no real rate limit. */
  provider(options?: Partial<PolygonProviderOptions>): MarketDataProvider;
  /** The environment that points a server process (`pnpm start`) at this server, with no real rate limit. */
  serverEnv(): Record<string, string>;
  close(): Promise<void>;
}

const PATH = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(\w+)\/(\d+)\/(\d+)$/;
const SPAN_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

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
  const faults = new Map<string, number>();
  const tries = new Map<string, number>();
  const count = (kind: string) => faults.set(kind, (faults.get(kind) ?? 0) + 1);

  const server = createServer((raw, res) => {
    if (options.latencyMs) setTimeout(() => receive(raw, res), options.latencyMs);
    else receive(raw, res);
  });

  function receive(raw: IncomingMessage, res: ServerResponse): void {
    const url = new URL(raw.url ?? '/', 'http://127.0.0.1');
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
    const first = Math.ceil(Number(from) / step) * step;
    const total = Math.max(0, Math.floor((Number(to) - first) / step) + 1);
    const offset = req.page * pageSize;
    const bars: WireBar[] = [];
    for (let i = offset; i < Math.min(total, offset + pageSize); i++) bars.push(barAt(req.ticker, first + i * step));
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
