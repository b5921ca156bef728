import type { ServerResponse } from 'node:http';
import { type SeenRequest, sendJson } from './fake-server';

const MIN = 60_000;
const INTERVAL_MS: Record<string, number> = { '5m': 5 * MIN, '15m': 15 * MIN, '1h': 60 * MIN, '1d': 24 * 60 * MIN };

/** Kline i as Binance writes it: decimals as strings; every hundredth (i % 100 = 50) traded nothing. */
export function wireKline(openTime: number, i: number, stepMs: number): (number | string)[] {
  const volume = i % 100 === 50 ? 0 : 2.5;
  const vwap = 20_000.25 + i;
  return [
    openTime,
    (20_000 + i).toFixed(8),
    (20_010 + i).toFixed(8),
    (19_990 + i).toFixed(8),
    (20_005 + i).toFixed(8),
    volume.toFixed(8),
    openTime + stepMs - 1,
    (volume * vwap).toFixed(8),
    100 + i,
    (volume / 2).toFixed(8),
    ((volume * vwap) / 2).toFixed(8),
    '0',
  ];
}

export interface FakeKlinesOptions {
  /** The only symbol listed, e.g. BTCUSDT; any other gets -1121. */
  symbol: string;
  /** The first kline's open time; kline i opens i intervals later. */
  listedAt: number;
  /** The exchange's clock: the kline open at this instant is the last one served. */
  now: number;
  weightWindowMs?: number;
  /** Weight that other clients on the same IP use in each window, which only the header reveals. */
  otherWeight?: number;
  /** Answers instead of the exchange when it returns true (a fault, or a hang by not answering). */
  fault?: (req: SeenRequest, res: ServerResponse, index: number) => boolean;
}

/**
 * Answers `/api/v3/klines` as Binance does: open times in [startTime, endTime], at most `limit`,
 * and the used weight of the current window in X-MBX-USED-WEIGHT-1M (2 per request, faults included).
 */
export function binanceKlines(options: FakeKlinesOptions) {
  const weightWindowMs = options.weightWindowMs ?? 60_000;
  const weightByWindow = new Map<number, number>();
  return (req: SeenRequest, res: ServerResponse, index: number) => {
    const window = Math.floor(req.at / weightWindowMs);
    const used = (weightByWindow.get(window) ?? options.otherWeight ?? 0) + 2;
    weightByWindow.set(window, used);
    if (options.fault?.(req, res, index)) return;
    const q = req.url.searchParams;
    if (req.url.pathname === '/api/v3/exchangeInfo') {
      // As Binance: one entry in `symbols` for the pair asked, 400 -1121 for one it does not list.
      if (q.get('symbol') !== options.symbol) {
        sendJson(res, 400, { code: -1121, msg: 'Invalid symbol.' });
        return;
      }
      const quote = ['USDT', 'BTC', 'EUR'].find((x) => options.symbol.endsWith(x)) ?? 'USDT';
      sendJson(res, 200, {
        timezone: 'UTC',
        serverTime: options.now,
        rateLimits: [],
        exchangeFilters: [],
        symbols: [
          {
            symbol: options.symbol,
            status: 'TRADING',
            baseAsset: options.symbol.slice(0, -quote.length),
            quoteAsset: quote,
            isSpotTradingAllowed: true,
          },
        ],
      });
      return;
    }
    const step = INTERVAL_MS[q.get('interval') ?? ''];
    if (step === undefined) {
      sendJson(res, 400, { code: -1120, msg: 'Invalid interval.' });
      return;
    }
    if (q.get('symbol') !== options.symbol) {
      sendJson(res, 400, { code: -1121, msg: 'Invalid symbol.' });
      return;
    }
    const start = Math.max(Number(q.get('startTime')), options.listedAt);
    const end = Math.min(Number(q.get('endTime')), options.now);
    const limit = Number(q.get('limit') ?? 500);
    const rows: (number | string)[][] = [];
    for (let t = Math.ceil(start / step) * step; t <= end && rows.length < limit; t += step) {
      rows.push(wireKline(t, (t - options.listedAt) / step, step));
    }
    const headers = { 'x-mbx-used-weight': String(used), 'x-mbx-used-weight-1m': String(used) };
    sendJson(res, 200, rows, headers);
  };
}
