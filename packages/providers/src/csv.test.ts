import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timeframe } from '@candlebase/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsvProvider } from './csv';
import { type ProviderCandle, ProviderError } from './types';

let dir: string;
const t = (s: string) => Date.parse(s);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'candlebase-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fetchAll(
  symbol: string,
  timeframe: Timeframe,
  from = '2000-01-01',
  to = '2100-01-01',
  pageSize?: number,
): Promise<{ candles: ProviderCandle[]; pages: number[] }> {
  const provider = createCsvProvider({ dir, pageSize });
  const candles: ProviderCandle[] = [];
  const pages: number[] = [];
  for await (const page of provider.fetchCandles({ symbol, timeframe, from: new Date(from), to: new Date(to) })) {
    pages.push(page.length);
    candles.push(...page);
  }
  return { candles, pages };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const HOURLY = [
  'timestamp,open,high,low,close,volume,vwap,trades',
  '2024-01-02T14:30:00Z,100,101,99,100.5,1000,100.2,10',
  '2024-01-02T15:30:00Z,100.5,102,100,101.5,1200,101,12',
  '2024-01-02T16:30:00Z,101.5,103,101,102,900,,',
  '2024-01-02T17:30:00Z,102,102.5,100.5,101,1500,101.5,20',
  '2024-01-02T18:30:00Z,101,101.5,100,100.2,800,100.6,8',
].join('\n');

describe('csv provider: good files', () => {
  beforeAll(async () => {
    await writeFile(join(dir, 'AAPL_1h.csv'), `${HOURLY}\n`);
    await writeFile(
      join(dir, 'MSFT_1d.csv'),
      '\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\r\n2024-01-02,370,375,366,370.9,369,25000000\r\n\r\n2024-01-03,369,373,368,370.6,368.7,23000000\r\n',
    );
    await writeFile(
      join(dir, 'BTC-USD_5m.csv'),
      'ts,open,high,low,close,volume\n1704067200,42000,42100,41950,42050,12.5\n1704067500,42050,42080,42000,42010,8.25\n',
    );
    await mkdir(join(dir, 'ETH_USD'));
    await writeFile(
      join(dir, 'ETH_USD', '15m.csv'),
      'time,open,high,low,close,volume\n1704067200000,2300,2310,2290,2305,100\n1704068100000,2305,2306,2300,2301,90\n',
    );
  });

  it('describes itself', async () => {
    const provider = createCsvProvider({ dir });
    expect(provider.name).toBe('csv');
    expect(provider.demo).toBe(false);
    expect(provider.earliest('AAPL', '1h')).toBeUndefined();
    await expect(provider.ping()).resolves.toBeUndefined();
    await expect(createCsvProvider({ dir: join(dir, 'nope') }).ping()).rejects.toThrow(/does not exist/);
  });

  it('reads ISO date-times with vwap and trades', async () => {
    const { candles } = await fetchAll('AAPL', '1h');
    expect(candles).toHaveLength(5);
    expect(candles[0]).toEqual({
      ts: t('2024-01-02T14:30:00Z'),
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      volume: 1000,
      vwap: 100.2,
      trades: 10,
    });
    expect(candles[2]).toMatchObject({ vwap: null, trades: null });
  });

  it('reads ISO dates (00:00 UTC), CRLF, a byte-order mark, other column names and extra columns', async () => {
    const { candles } = await fetchAll('msft', '1d');
    expect(candles.map((c) => new Date(c.ts).toISOString())).toEqual([
      '2024-01-02T00:00:00.000Z',
      '2024-01-03T00:00:00.000Z',
    ]);
    expect(candles[1]?.close).toBe(370.6);
  });

  it('reads epoch seconds and epoch milliseconds, and the folder-per-symbol layout', async () => {
    const btc = await fetchAll('BTC-USD', '5m');
    expect(btc.candles.map((c) => c.ts)).toEqual([t('2024-01-01T00:00:00Z'), t('2024-01-01T00:05:00Z')]);
    const eth = await fetchAll('ETH/USD', '15m');
    expect(eth.candles.map((c) => c.ts)).toEqual([t('2024-01-01T00:00:00Z'), t('2024-01-01T00:15:00Z')]);
  });

  it('yields only rows in [from, to), in pages', async () => {
    const { candles, pages } = await fetchAll('AAPL', '1h', '2024-01-02T15:30:00Z', '2024-01-02T18:30:00Z', 2);
    expect(candles.map((c) => new Date(c.ts).toISOString().slice(11, 16))).toEqual(['15:30', '16:30', '17:30']);
    expect(pages).toEqual([2, 1]);
    expect((await fetchAll('AAPL', '1h', '2025-01-01', '2026-01-01')).pages).toEqual([]);
  });
});

describe('csv provider: refusals', () => {
  it('names the file when there is none', async () => {
    const error = await failure(fetchAll('NVDA', '1h'));
    expect(error.message).toBe(`No CSV file for NVDA 1h in ${dir} (expected NVDA_1h.csv)`);
    expect(error.retryable).toBe(false);
  });

  it('refuses a bad row with file and line, before handing over any page', async () => {
    const lines = HOURLY.split('\n');
    lines.splice(4, 1, '2024-01-02T17:30:00Z,102,101.2,103.5,102,5,,');
    await writeFile(join(dir, 'BAD_1h.csv'), lines.join('\n'));
    const provider = createCsvProvider({ dir, pageSize: 1 });
    const pages: ProviderCandle[][] = [];
    const error = await failure(
      (async () => {
        for await (const page of provider.fetchCandles({
          symbol: 'BAD',
          timeframe: '1h',
          from: new Date('2024-01-02T14:30:00Z'),
          to: new Date('2024-01-02T15:30:00Z'),
        })) {
          pages.push(page);
        }
      })(),
    );
    expect(error.message).toBe('BAD_1h.csv:5: high 101.2 is below low 103.5');
    expect(error.retryable).toBe(false);
    expect(pages).toEqual([]);
  });

  it.each([
    ['COLS', '2024-01-02T15:30:00Z,100,101,99,100', 'BAD-COLS_1h.csv:3: expected 6 columns as in the header, found 5'],
    ['NUM', '2024-01-02T15:30:00Z,100,x,99,100,5', 'BAD-NUM_1h.csv:3: high "x" is not a number'],
    [
      'DATE',
      '2024-02-30T15:30:00Z,100,101,99,100,5',
      'BAD-DATE_1h.csv:3: timestamp "2024-02-30T15:30:00Z" is not a real date and time',
    ],
    [
      'ORDER',
      '2024-01-02T13:00:00Z,100,101,99,100,5',
      'BAD-ORDER_1h.csv:3: timestamp 2024-01-02T13:00:00.000Z does not come after',
    ],
    [
      'DUP',
      '2024-01-02T14:30:00Z,100,101,99,100,5',
      'BAD-DUP_1h.csv:3: timestamp 2024-01-02T14:30:00.000Z does not come after',
    ],
  ])('refuses a %s problem', async (name, row, message) => {
    await writeFile(
      join(dir, `BAD-${name}_1h.csv`),
      `timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,100,101,99,100,5\n${row}\n`,
    );
    const error = await failure(fetchAll(`BAD-${name}`, '1h'));
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('refuses a quote that is never closed, with the line it opens on', async () => {
    await writeFile(
      join(dir, 'QUOTE_1d.csv'),
      'date,open,high,low,close,volume\n2024-01-02,1,2,1,2,"10\n2024-01-03,1,2,1,2,10\n',
    );
    expect((await failure(fetchAll('QUOTE', '1d'))).message).toBe(
      'QUOTE_1d.csv:2: a quoted field that starts on this line is never closed',
    );
  });

  it('refuses a file without a header, and an empty one', async () => {
    await writeFile(join(dir, 'NOHEAD_1d.csv'), '2024-01-02,1,2,1,2,10\n');
    expect((await failure(fetchAll('NOHEAD', '1d'))).message).toMatch(
      /^NOHEAD_1d\.csv:1: the first line is data, not a header/,
    );
    await writeFile(join(dir, 'NOCOLS_1d.csv'), 'when,open,high,low,close\n2024-01-02,1,2,1,2\n');
    expect((await failure(fetchAll('NOCOLS', '1d'))).message).toMatch(
      /^NOCOLS_1d\.csv:1: the header lacks a time \(timestamp, date or time\)/,
    );
    await writeFile(join(dir, 'EMPTY_1d.csv'), '\n');
    expect((await failure(fetchAll('EMPTY', '1d'))).message).toMatch(/^EMPTY_1d\.csv is empty/);
  });

  it('refuses a time without a zone when none is declared, naming the file and CSV_TIMEZONE', async () => {
    await writeFile(
      join(dir, 'NOZONE_5m.csv'),
      'Date,Time,Open,High,Low,Close,Volume\n2024.01.02,09:30,187.15,187.70,186.90,187.10,3012345\n',
    );
    const error = await failure(fetchAll('NOZONE', '5m'));
    expect(error.message).toBe(
      'NOZONE_5m.csv:2: timestamp "2024.01.02 09:30" has no zone (no Z or offset), and no zone is declared for this file: set CSV_TIMEZONE (e.g. CSV_TIMEZONE=America/New_York), or put {"timezone": "America/New_York"} in NOZONE_5m.json',
    );
    expect(error.retryable).toBe(false);
    // Declared either way, the same row loads at 14:30 UTC.
    const viaEnv = createCsvProvider({ dir, timezone: 'America/New_York' });
    const ts: number[] = [];
    for await (const page of viaEnv.fetchCandles({
      symbol: 'NOZONE',
      timeframe: '5m',
      from: new Date('2024-01-01'),
      to: new Date('2024-02-01'),
    })) {
      ts.push(...page.map((c) => c.ts));
    }
    expect(ts).toEqual([t('2024-01-02T14:30:00Z')]);
    await writeFile(join(dir, 'NOZONE_5m.json'), '{"timezone": "America/New_York"}');
    expect((await fetchAll('NOZONE', '5m')).candles.map((c) => c.ts)).toEqual([t('2024-01-02T14:30:00Z')]);
    await writeFile(join(dir, 'NOZONE_5m.json'), '{"zone": "America/New_York"}');
    expect((await failure(fetchAll('NOZONE', '5m'))).message).toBe(
      'NOZONE_5m.json has settings this reader does not know: zone (it knows timezone, calendar)',
    );
    await writeFile(join(dir, 'NOZONE_5m.json'), '{"timezone": "New York"}');
    expect((await failure(fetchAll('NOZONE', '5m'))).message).toMatch(
      /^NOZONE_5m\.json: timezone "New York" is not a time zone/,
    );
  });

  it('refuses a row off the timeframe grid, or outside the session, with file and line', async () => {
    const head = 'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,100,101,99,100,5\n';
    await writeFile(join(dir, 'GRID_5m.csv'), `${head}2024-01-02T14:37:00Z,100,101,99,100,5\n`);
    expect((await failure(fetchAll('GRID', '5m'))).message).toBe(
      'GRID_5m.csv:3: timestamp 2024-01-02T14:37:00.000Z is not on the 5m grid (5m bars open on the UTC grid)',
    );
    await writeFile(join(dir, 'LATE_5m.csv'), `${head}2024-01-02T21:00:00Z,100,101,99,100,5\n`);
    expect((await failure(fetchAll('LATE', '5m'))).message).toBe(
      `LATE_5m.csv:3: the 5m bar at 2024-01-02T21:00:00.000Z is outside the NYSE's regular session (if LATE trades around the clock, put {"calendar": "24x7"} in LATE_5m.json)`,
    );
    await writeFile(join(dir, 'WEEKEND_1d.csv'), 'date,open,high,low,close,volume\n2024-01-06,100,101,99,100,5\n');
    expect((await failure(fetchAll('WEEKEND', '1d'))).message).toBe(
      'WEEKEND_1d.csv:2: 2024-01-06 is not a trading day on the nyse calendar (if WEEKEND trades around the clock, put {"calendar": "24x7"} in WEEKEND_1d.json)',
    );
    // A regular 1h series runs on the session's grid (09:30, 10:30, ... New York), and no bar is
    // moved onto it: one clock hour among session-grid bars is refused at its line ...
    const why =
      'is not on the NYSE\'s regular 1h grid, whose bars open at 09:30, 10:30, ... 15:30 New York: a clock-hour bar straddles two of its hours (the 09:00 one the open), so it is no regular-session bar. Export 5m or 15m bars instead (they fall on both grids), or set the symbol\'s session to extended (or put {"calendar": "nyse-extended"} in';
    await writeFile(
      join(dir, 'HALF_1h.csv'),
      'Datetime,Open,High,Low,Close,Volume\n2024-01-02 09:30:00-05:00,100,101,99,100,5\n2024-01-02 11:00:00-05:00,100,101,99,100,5\n',
    );
    expect((await failure(fetchAll('HALF', '1h'))).message).toBe(
      `HALF_1h.csv:3: timestamp 2024-01-02T16:00:00.000Z (11:00 New York) ${why} HALF_1h.json)`,
    );
    // ... and so is a whole clock-hour export (TradingView or MetaTrader at 09:00, 10:00, ...), at its
    // first bar, which straddles the open; declared extended, the same file loads on the clock's grid.
    const clockHours = ['09:00', '10:00', '11:00'].map((h) => `2024-01-02 ${h}:00-05:00,100,101,99,100,5`);
    await writeFile(join(dir, 'CLOCK_1h.csv'), `Datetime,Open,High,Low,Close,Volume\n${clockHours.join('\n')}\n`);
    expect((await failure(fetchAll('CLOCK', '1h'))).message).toBe(
      `CLOCK_1h.csv:2: timestamp 2024-01-02T14:00:00.000Z (09:00 New York) ${why} CLOCK_1h.json)`,
    );
    // A series kept extended (the worker says so on the request) checks the file against the
    // extended session, whose 1h grid is the clock's ...
    const extended = createCsvProvider({ dir }).fetchCandles({
      symbol: 'CLOCK',
      timeframe: '1h',
      from: new Date('2024-01-01'),
      to: new Date('2025-01-01'),
      session: 'extended',
    });
    const seen: number[] = [];
    for await (const page of extended) seen.push(...page.map((c) => c.ts));
    expect(seen).toEqual([t('2024-01-02T14:00:00Z'), t('2024-01-02T15:00:00Z'), t('2024-01-02T16:00:00Z')]);
    // ... and so does a file whose settings name that calendar, whatever the request.
    await writeFile(join(dir, 'CLOCK_1h.json'), '{"calendar": "nyse-extended"}');
    expect((await fetchAll('CLOCK', '1h')).candles.map((c) => c.ts)).toEqual([
      t('2024-01-02T14:00:00Z'),
      t('2024-01-02T15:00:00Z'),
      t('2024-01-02T16:00:00Z'),
    ]);
    // Round-the-clock symbols take any slot of the grid; a sidecar can say so for a dash-less FX symbol.
    await writeFile(
      join(dir, 'EURUSD_1h.csv'),
      'timestamp,open,high,low,close,volume\n2024-01-06T03:00:00Z,1.1,1.2,1.0,1.1,5\n',
    );
    expect((await failure(fetchAll('EURUSD', '1h'))).message).toBe(
      `EURUSD_1h.csv:2: the 1h bar at 2024-01-06T03:00:00.000Z is outside the NYSE's regular session (if EURUSD trades around the clock, put {"calendar": "24x7"} in EURUSD_1h.json)`,
    );
    await writeFile(join(dir, 'EURUSD_1h.json'), '{"calendar": "24x7"}');
    expect((await fetchAll('EURUSD', '1h')).candles).toHaveLength(1);
  });

  it('checks a file again once it changes', async () => {
    await writeFile(join(dir, 'GROW_1h.csv'), `${HOURLY}\n`);
    const provider = createCsvProvider({ dir });
    const request = {
      symbol: 'GROW',
      timeframe: '1h' as const,
      from: new Date('2024-01-01'),
      to: new Date('2025-01-01'),
    };
    let n = 0;
    for await (const page of provider.fetchCandles(request)) n += page.length;
    expect(n).toBe(5);
    await appendFile(join(dir, 'GROW_1h.csv'), '2024-01-02T19:30:00Z,100,99,101,100,5,,\n');
    const error = await failure(
      (async () => {
        for await (const _page of provider.fetchCandles(request)) {
          // drain
        }
      })(),
    );
    expect(error.message).toBe('GROW_1h.csv:7: high 99 is below low 101');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    const provider = createCsvProvider({ dir });
    const iterator = provider
      .fetchCandles({ symbol: 'AAPL', timeframe: '1h', from: new Date(0), to: new Date(), signal: controller.signal })
      [Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow('cancelled');
  });
});

describe('csv provider: large files', () => {
  it('streams 200,000 rows and picks a range out of them', async () => {
    const start = t('2020-01-01T00:00:00Z');
    const rows = ['timestamp,open,high,low,close,volume'];
    for (let i = 0; i < 200_000; i++) {
      const p = 100 + (i % 100) / 10;
      rows.push(`${(start + i * 300_000) / 1000},${p},${p + 1},${p - 1},${p},${i + 1}`);
    }
    await writeFile(join(dir, 'BIG-USD_5m.csv'), `${rows.join('\n')}\n`);
    // CPU time, not wall time, and a loose bound: it is there to catch work that grows with the
    // square of the file, not a slower machine (about 5 s on 2 slow cores, where a 5 s bound failed).
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const started = cpu();
    const { candles, pages } = await fetchAll('BIG-USD', '5m', '2021-01-01', '2021-01-02', 100);
    expect(candles).toHaveLength(288);
    expect(pages).toEqual([100, 100, 88]);
    expect(candles[0]?.ts).toBe(t('2021-01-01T00:00:00Z'));
    expect(cpu() - started).toBeLessThan(20_000);
  });
});
