import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerTickerDetails } from './fake-polygon-tickers';
import { type SeenRequest, sendJson } from './fake-server';

const MIN = 60_000;
const SPAN_MS: Record<string, number> = { minute: MIN, hour: 60 * MIN, day: 24 * 60 * MIN };

/** Polygon's bar for index i: every tenth has no vw and n, as thin minutes sometimes do; v is fractional (crypto). */
export function wireBar(t: number, i: number) {
  const bar = { v: 1000.5 + i, vw: 100.25 + i, o: 100 + i, c: 100.5 + i, h: 101 + i, l: 99 + i, t, n: 10 + i };
  if (i % 10 === 9) return { v: bar.v, o: bar.o, c: bar.c, h: bar.h, l: bar.l, t };
  return bar;
}

export interface FakeAggsOptions {
  apiKey: string;
  /** Results per response; the rest follow through `next_url`. */
  pageSize: number;
  /** Answers instead of Polygon when it returns true (a fault, or a hang by not answering). */
  fault?: (req: SeenRequest, res: ServerResponse, index: number) => boolean;
  /**
   * Whether the ticker traded in the minute starting at `ms`; a bar exists only for a step with a
   * traded minute. Every minute unless given (a 24x7 market).
   */
  traded?: (ms: number) => boolean;
  /** Tickers `/v3/reference/tickers/{ticker}` does not know; it lists every other. */
  unlisted?: readonly string[];
}

/**
 * Polygon's `limit` counts the minute aggregates read to build the answer ("base aggregates"), up
 * to 50,000; past it the answer just ends. The instant after the last minute read, for [from, to].
 */
function cutoffOf(from: number, to: number, limit: number, traded: (ms: number) => boolean): number {
  let read = 0;
  for (let m = Math.floor(from / MIN) * MIN; m <= to; m += MIN) {
    if (!traded(m)) continue;
    read++;
    if (read === limit) return m + MIN;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Answers `/v2/aggs` as Polygon does: bars for [from, to] (both inclusive, epoch ms), at most
 * `pageSize` per response, with a keyless `next_url` to the rest, no `results` key when there are
 * none, and 401 for a request without the key.
 */
export function polygonAggs(options: FakeAggsOptions) {
  const { apiKey, pageSize, fault } = options;
  const anyTraded = (t: number, step: number, traded: (ms: number) => boolean) => {
    for (let m = t; m < t + step; m += MIN) if (traded(m)) return true;
    return false;
  };
  return (req: SeenRequest, res: ServerResponse, index: number, raw: IncomingMessage) => {
    if (fault?.(req, res, index)) return;
    if (answerTickerDetails(req.url, res, { apiKey, unlisted: options.unlisted })) return;
    if (req.url.searchParams.get('apiKey') !== apiKey) {
      sendJson(res, 401, { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' });
      return;
    }
    const match = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(\w+)\/(\d+)\/(\d+)$/.exec(req.url.pathname);
    const [, ticker = '', multiplier = '1', timespan = 'minute', from = '0', to = '0'] = match ?? [];
    const step = Number(multiplier) * (SPAN_MS[timespan] ?? MIN);
    const traded = options.traded ?? (() => true);
    const limitText = req.url.searchParams.get('limit');
    // Day bars read day aggregates; minute and hour bars read minutes.
    const cutoff =
      limitText === null || timespan === 'day'
        ? Number.POSITIVE_INFINITY
        : cutoffOf(Number(from), Number(to), Number(limitText), traded);
    const all: ReturnType<typeof wireBar>[] = [];
    for (let t = Math.ceil(Number(from) / step) * step; t <= Number(to) && t < cutoff; t += step) {
      if (options.traded && !anyTraded(t, step, traded)) continue;
      all.push(wireBar(t, all.length));
    }
    const offset = Number(req.url.searchParams.get('cursor') ?? 0);
    const results = all.slice(offset, offset + pageSize);
    const rest = offset + pageSize < all.length;
    sendJson(res, 200, {
      ticker: decodeURIComponent(ticker),
      queryCount: results.length,
      resultsCount: results.length,
      // Polygon echoes what was asked; its default is adjusted.
      adjusted: req.url.searchParams.get('adjusted') !== 'false',
      ...(results.length > 0 && { results }),
      status: 'OK',
      request_id: `req-${index}`,
      count: results.length,
      ...(rest && { next_url: `http://${raw.headers.host}${req.url.pathname}?cursor=${offset + pageSize}` }),
    });
  };
}
