import type { ServerResponse } from 'node:http';
import { type SeenRequest, sendJson } from './fake-server';

/** Kraken's own pair names for the ones listed here (it keeps the X/Z prefixes of its old asset codes). */
const PAIRS: Record<string, { altname: string; wsname: string; base: string; quote: string }> = {
  XXBTZUSD: { altname: 'XBTUSD', wsname: 'XBT/USD', base: 'XXBT', quote: 'ZUSD' },
  XETHZUSD: { altname: 'ETHUSD', wsname: 'ETH/USD', base: 'XETH', quote: 'ZUSD' },
};

/** The frame opening at `t` (epoch ms). */
export function krakenFrame(t: number) {
  const i = Math.floor(t / 60_000) % 500;
  return { open: 60_000 + i, high: 60_100 + i, low: 59_900 + i, close: 60_050 + i, volume: 3.5 + i / 100 };
}

export interface FakeKrakenOptions {
  /** The exchange's clock: the frame open at this instant is always sent last, still forming. */
  now: number;
}

/**
 * Kraken's public REST API as ccxt's `kraken` uses it: `/0/public/AssetPairs` and
 * `/0/public/OHLC?pair=&interval=&since=`, whose rows are [time, open, high, low, close, vwap,
 * volume, count] with decimals as strings. Kraken sends only its 720 most recent frames whatever
 * `since` says (frames after `since`, seconds, exclusive), the forming frame included, and reports
 * errors with HTTP 200 in `error`.
 */
export function krakenPublic(options: FakeKrakenOptions) {
  return (req: SeenRequest, res: ServerResponse) => {
    const path = req.url.pathname;
    if (path === '/0/public/AssetPairs') {
      const result = Object.fromEntries(
        Object.entries(PAIRS).map(([id, p]) => [
          id,
          {
            ...p,
            aclass_base: 'currency',
            aclass_quote: 'currency',
            lot: 'unit',
            cost_decimals: 5,
            pair_decimals: 1,
            lot_decimals: 8,
            lot_multiplier: 1,
            leverage_buy: [2, 3, 4, 5],
            leverage_sell: [2, 3, 4, 5],
            fees: [[0, 0.4]],
            fees_maker: [[0, 0.25]],
            fee_volume_currency: 'ZUSD',
            margin_call: 80,
            margin_stop: 40,
            ordermin: '0.0001',
            costmin: '0.5',
            tick_size: '0.1',
            status: 'online',
          },
        ]),
      );
      sendJson(res, 200, { error: [], result });
      return;
    }
    if (path !== '/0/public/OHLC') {
      sendJson(res, 404, { error: ['EGeneral:Unknown method'] });
      return;
    }
    const q = req.url.searchParams;
    const pair = q.get('pair') ?? '';
    if (!(pair in PAIRS)) {
      sendJson(res, 200, { error: ['EQuery:Unknown asset pair'] });
      return;
    }
    const step = Number(q.get('interval') ?? 1) * 60_000;
    const current = Math.floor(options.now / step) * step;
    const since = Number(q.get('since') ?? 0) * 1000;
    const rows: (number | string)[][] = [];
    for (let t = current - 719 * step; t <= current; t += step) {
      if (t <= since) continue;
      const f = krakenFrame(t);
      const vwap = (f.high + f.low + f.close) / 3;
      rows.push([
        t / 1000,
        f.open.toFixed(1),
        f.high.toFixed(1),
        f.low.toFixed(1),
        f.close.toFixed(1),
        vwap.toFixed(1),
        f.volume.toFixed(8),
        42,
      ]);
    }
    sendJson(res, 200, { error: [], result: { [pair]: rows, last: (current - step) / 1000 } });
  };
}
