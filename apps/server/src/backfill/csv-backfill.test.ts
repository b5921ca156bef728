import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryRows } from '@candlebase/db';
import { testEngines } from '@candlebase/db/testing';
import { CSV_FIXTURES } from '@candlebase/providers/testing/csv-fixtures';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finishedJob, storedBars, unitRows } from '../testing/backfill-checks';
import { startHarness } from '../testing/harness';

const at = (iso: string) => Date.parse(iso);

/** AAPL 1h of 2024-01-02 as yfinance's history() writes it (09:30 ... 15:30 New York): the regular session's grid, so each at its own open. */
const AAPL_1H = [
  [at('2024-01-02T14:30:00Z'), 187.15, 188.44, 185.83, 186.04, 18321452],
  [at('2024-01-02T15:30:00Z'), 186.04, 186.39, 184.36, 184.6, 10234567],
  [at('2024-01-02T16:30:00Z'), 184.61, 185.12, 184.02, 184.77, 7654321],
  [at('2024-01-02T17:30:00Z'), 184.77, 185.2, 183.89, 184.15, 6543210],
  [at('2024-01-02T18:30:00Z'), 184.14, 185.0, 184.01, 184.88, 6012345],
  [at('2024-01-02T19:30:00Z'), 184.88, 186.1, 184.7, 185.91, 7123456],
  [at('2024-01-02T20:30:00Z'), 185.91, 186.0, 185.12, 185.64, 12345678],
].map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume, vwap: null, trades: null }));

/** EUR-USD 1h from a MetaTrader 5 export on Athens time (00:00 there is 22:00 UTC), tick volume as the volume. */
const EURUSD_1H = [
  [at('2024-01-02T22:00:00Z'), 1.10381, 1.1042, 1.1034, 1.10395, 1834],
  [at('2024-01-02T23:00:00Z'), 1.10395, 1.10412, 1.10301, 1.10322, 2121],
  [at('2024-01-03T00:00:00Z'), 1.10322, 1.1036, 1.1029, 1.10351, 1950],
  [at('2024-01-03T01:00:00Z'), 1.10351, 1.10402, 1.10333, 1.10398, 1702],
].map(([ts, open, high, low, close, volume]) => ({ ts, open, high, low, close, volume, vwap: null, trades: null }));

describe.each(testEngines())('a CSV backfill stores exactly the bars of real exports, on %s', (engine) => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candlebase-csv-'));
    copyFileSync(join(CSV_FIXTURES, 'yfinance', 'AAPL_1h.csv'), join(dir, 'AAPL_1h.csv'));
    // No sidecar: the zone comes from CSV_TIMEZONE, through the server's configuration.
    copyFileSync(join(CSV_FIXTURES, 'metatrader5', 'EUR-USD_1h.csv'), join(dir, 'EUR-USD_1h.csv'));
    copyFileSync(join(CSV_FIXTURES, 'yahoo', 'AAPL_1d.csv'), join(dir, 'AAPL_1d.csv'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('yfinance 1h and MetaTrader 5, in one job', async () => {
    const h = await startHarness(engine, {
      http: false,
      env: { MARKET_DATA_PROVIDER: 'csv', CSV_DIR: dir, CSV_TIMEZONE: 'Europe/Athens' },
    });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['AAPL', 'EUR-USD'],
        timeframes: ['1h'],
        start_date: '2024-01-02',
        end_date: '2024-01-03',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      expect(await storedBars(h.test.database.db, 'AAPL', '1h')).toEqual(AAPL_1H);
      expect(await storedBars(h.test.database.db, 'EUR-USD', '1h')).toEqual(EURUSD_1H);
      expect(s.total_records_inserted).toBe(AAPL_1H.length + EURUSD_1H.length);
    } finally {
      await h.close();
    }
  });

  it("a classic Yahoo file's null rows are skipped, and the unit's message counts them", async () => {
    const h = await startHarness(engine, { http: false, env: { MARKET_DATA_PROVIDER: 'csv', CSV_DIR: dir } });
    try {
      const created = await h.caller.backfill.create({
        symbols: ['AAPL'],
        timeframes: ['1d'],
        start_date: '2024-01-02',
        end_date: '2024-01-08',
      });
      const s = await finishedJob(h.test.database.db, created.job_id);
      expect(s.status).toBe('completed');
      expect((await storedBars(h.test.database.db, 'AAPL', '1d')).map((b) => new Date(b.ts).toISOString())).toEqual([
        '2024-01-02T00:00:00.000Z',
        '2024-01-03T00:00:00.000Z',
        '2024-01-05T00:00:00.000Z',
        '2024-01-08T00:00:00.000Z',
      ]);
      const events = await queryRows<{ message: string }>(
        h.test.database.db,
        sql`select message from backfill_job_events where job_id = ${created.job_id} and kind = 'unit_completed'`,
      );
      expect(events.map((e) => e.message)).toEqual([
        expect.stringMatching(
          /^AAPL 1d: 4 records inserted in \d+\.\d s; AAPL_1d\.csv: 1 row without prices \(null\) was skipped$/,
        ),
      ]);
    } finally {
      await h.close();
    }
  });

  it('a clock-hour equity export is refused for a regular 1h series, in words, and stored for one kept extended', async () => {
    // TradingView/MetaTrader style: clock hours, 09:00 ... 12:00 New York.
    const rows = ['09', '10', '11', '12'].map((h) => `2024-01-02T${h}:00:00-05:00,100,101,99,100.5,10`);
    const text = `time,open,high,low,close,volume\n${rows.join('\n')}\n`;
    writeFileSync(join(dir, 'NVDA_1h.csv'), text);
    writeFileSync(join(dir, 'TSLA_1h.csv'), text);
    const h = await startHarness(engine, { http: false, env: { MARKET_DATA_PROVIDER: 'csv', CSV_DIR: dir } });
    try {
      await h.caller.symbols.add({ symbol: 'TSLA', session: 'extended' });
      const created = await h.caller.backfill.create({
        symbols: ['NVDA', 'TSLA'],
        timeframes: ['1h'],
        start_date: '2024-01-02',
        end_date: '2024-01-02',
      });
      expect((await finishedJob(h.test.database.db, created.job_id)).status).toBe('failed');
      const units = await unitRows(h.test.database.db, created.job_id);
      expect(units.find((u) => u.symbol === 'NVDA')?.error_message).toMatch(
        /^NVDA_1h\.csv:2: timestamp 2024-01-02T14:00:00\.000Z \(09:00 New York\) is not on the NYSE's regular 1h grid, .*set the symbol's session to extended/,
      );
      expect(await storedBars(h.test.database.db, 'NVDA', '1h')).toEqual([]);
      expect(units.find((u) => u.symbol === 'TSLA')?.status).toBe('completed');
      const stored = await storedBars(h.test.database.db, 'TSLA', '1h');
      expect(stored.map((b) => new Date(b.ts).toISOString().slice(11, 16))).toEqual([
        '14:00',
        '15:00',
        '16:00',
        '17:00',
      ]);
    } finally {
      await h.close();
    }
  });

  it('a zone-less file without a declared zone fails its unit in words, and a bad file loses nothing stored', async () => {
    const h = await startHarness(engine, { http: false, env: { MARKET_DATA_PROVIDER: 'csv', CSV_DIR: dir } });
    try {
      const first = await h.caller.backfill.create({
        symbols: ['AAPL', 'EUR-USD'],
        timeframes: ['1h'],
        start_date: '2024-01-02',
        end_date: '2024-01-03',
      });
      const s = await finishedJob(h.test.database.db, first.job_id);
      expect(s.status).toBe('failed');
      const units = await unitRows(h.test.database.db, first.job_id);
      expect(units.find((u) => u.symbol === 'AAPL')?.status).toBe('completed');
      expect(units.find((u) => u.symbol === 'EUR-USD')?.error_message).toMatch(
        /^EUR-USD_1h\.csv:2: timestamp "2024\.01\.03 00:00:00" has no zone .*set CSV_TIMEZONE/,
      );
      expect(await storedBars(h.test.database.db, 'EUR-USD', '1h')).toEqual([]);

      // The file changes: new values up front, a row off the grid at the end. Nothing of it is stored.
      writeFileSync(
        join(dir, 'AAPL_1h.csv'),
        [
          'Datetime,Open,High,Low,Close,Volume',
          '2024-01-02 09:30:00-05:00,190,191,189,190.5,1',
          '2024-01-02 10:30:00-05:00,190,191,189,190.5,1',
          '2024-01-02 11:45:00-05:00,190,191,189,190.5,1',
        ].join('\n'),
      );
      const second = await h.caller.backfill.create({
        symbols: ['AAPL'],
        timeframes: ['1h'],
        start_date: '2024-01-02',
        end_date: '2024-01-02',
        refetch: true,
      });
      expect((await finishedJob(h.test.database.db, second.job_id)).status).toBe('failed');
      const [unit] = await unitRows(h.test.database.db, second.job_id);
      expect(unit?.error_message).toMatch(
        /^AAPL_1h\.csv:4: timestamp 2024-01-02T16:45:00\.000Z \(11:45 New York\) is not on the NYSE's regular 1h grid, .* in AAPL_1h\.json\)$/,
      );
      expect(await storedBars(h.test.database.db, 'AAPL', '1h')).toEqual(AAPL_1H);
    } finally {
      await h.close();
    }
  });
});
