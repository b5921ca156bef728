import type { ServerResponse } from 'node:http';
import { type SeenRequest, sendJson } from './fake-server';

const GRANULARITIES = new Set([60, 300, 900, 3600, 21600, 86400]);

/** The candle opening at `t` (epoch ms); undefined for an interval without trades, which Coinbase leaves out. */
export function coinbaseCandle(t: number): { open: number; high: number; low: number; close: number; volume: number } {
  const i = Math.floor(t / 60_000) % 1000;
  return { open: 40_000 + i, high: 40_050 + i, low: 39_950 + i, close: 40_010 + i, volume: 1.25 + i / 1000 };
}

export interface FakeCoinbaseOptions {
  /** Product ids listed, e.g. BTC-USD. */
  products: string[];
  /** The exchange's clock: the candle open at this instant is served, still open. */
  now: number;
  /** Intervals without trades, by open time: no candle is sent for them. */
  quiet?: (t: number) => boolean;
  fault?: (req: SeenRequest, res: ServerResponse, index: number) => boolean;
}

function product(id: string) {
  const [base, quote] = id.split('-');
  return {
    id,
    base_currency: base,
    quote_currency: quote,
    quote_increment: '0.01',
    base_increment: '0.00000001',
    display_name: `${base}/${quote}`,
    min_market_funds: '1',
    margin_enabled: false,
    post_only: false,
    limit_only: false,
    cancel_only: false,
    status: 'online',
    status_message: '',
    trading_disabled: false,
    fx_stablecoin: false,
    max_slippage_percentage: '0.02000000',
    auction_mode: false,
    high_bid_limit_percentage: '',
  };
}

/**
 * Coinbase Exchange's public REST API as ccxt's `coinbaseexchange` uses it: `/products` (the
 * markets), `/time`, and `/products/{id}/candles`, whose rows are [time, low, high, open, close,
 * volume], newest first, at most 300 per request (more is a 400 in Coinbase's words), with no row
 * for an interval without trades and the open candle included.
 */
export function coinbaseExchange(options: FakeCoinbaseOptions) {
  return (req: SeenRequest, res: ServerResponse, index: number) => {
    if (options.fault?.(req, res, index)) return;
    const path = req.url.pathname;
    if (path === '/products') {
      sendJson(res, 200, options.products.map(product));
      return;
    }
    if (path === '/time') {
      sendJson(res, 200, { iso: new Date(options.now).toISOString(), epoch: options.now / 1000 });
      return;
    }
    const match = /^\/products\/([^/]+)\/candles$/.exec(path);
    if (!match) {
      sendJson(res, 404, { message: 'NotFound' });
      return;
    }
    const id = decodeURIComponent(match[1] ?? '');
    if (!options.products.includes(id)) {
      sendJson(res, 404, { message: 'NotFound' });
      return;
    }
    const q = req.url.searchParams;
    const granularity = Number(q.get('granularity'));
    if (!GRANULARITIES.has(granularity)) {
      sendJson(res, 400, { message: 'Unsupported granularity' });
      return;
    }
    const step = granularity * 1000;
    const end = q.get('end') ? Date.parse(String(q.get('end'))) : options.now;
    const start = q.get('start') ? Date.parse(String(q.get('start'))) : end - 300 * step;
    if ((end - start) / step > 300) {
      sendJson(res, 400, {
        message: 'granularity too small for the requested time range. Count of aggregations requested exceeds 300',
      });
      return;
    }
    const rows: number[][] = [];
    for (let t = Math.ceil(start / step) * step; t <= Math.min(end, options.now); t += step) {
      if (options.quiet?.(t)) continue;
      const c = coinbaseCandle(t);
      rows.push([t / 1000, c.low, c.high, c.open, c.close, c.volume]);
    }
    sendJson(res, 200, rows.reverse());
  };
}
