import { request } from 'node:http';
import { type CandlesExportPage, candlesExportPageSchema, EXPORT_COLUMNS } from '@candlebase/contracts';
import { testEngines } from '@candlebase/db/testing';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCandles } from '../backfill/write-candles';
import { type Harness, startHarness } from '../testing/harness';
import { SAMPLE_T0, sampleBars } from '../testing/sample-bars';

const DAY = 86_400_000;
/** Two series of 5m bars from 2024-01-01 (with ms parts, null vwaps and trades); a 4:1 split of EXA on 2024-01-04. */
const BARS = { EXA: sampleBars(0, 2000, { extraMs: 7 }), 'EX.B': sampleBars(100, 1500) };
const FROM = SAMPLE_T0 + DAY; // start_date 2024-01-02
const TO = SAMPLE_T0 + 5 * DAY; // end_date 2024-01-05, inclusive
const QUERY = 'symbols=EXA,EX.B&timeframe=5m&start_date=2024-01-02&end_date=2024-01-05';

/** What the export should hold, from the rows inserted: symbol by symbol in the order asked, oldest first. */
function expected(adjustSplit: boolean) {
  return (['EXA', 'EX.B'] as const).flatMap((symbol) =>
    BARS[symbol]
      .filter((b) => b.ts >= FROM && b.ts < TO)
      .map((b) => {
        const r = adjustSplit && symbol === 'EXA' && b.ts < Date.UTC(2024, 0, 4, 4) ? 4 : 1;
        return {
          symbol,
          timeframe: '5m',
          ts: new Date(b.ts).toISOString(),
          open: b.open / r,
          high: b.high / r,
          low: b.low / r,
          close: b.close / r,
          volume: b.volume * r,
          vwap: b.vwap == null ? null : b.vwap / r,
          trades: b.trades ?? null,
          source: 'test',
        };
      }),
  );
}

/** The CSV as rows of typed values, as pandas would read them. */
function parseCsv(text: string) {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  expect(header).toBe(EXPORT_COLUMNS.join(','));
  return lines.map((line) => {
    const [symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source] = line.split(',');
    const n = (v: string | undefined) => (v === '' || v === undefined ? null : Number(v));
    return {
      symbol,
      timeframe,
      ts,
      open: n(open),
      high: n(high),
      low: n(low),
      close: n(close),
      volume: n(volume),
      vwap: n(vwap),
      trades: n(trades),
      source,
    };
  });
}

describe.each(testEngines())('candle exports on %s', (engine) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(engine);
    const db = h.running.app.database.db;
    for (const [symbol, candles] of Object.entries(BARS)) {
      await db.execute(`insert into symbols (symbol, asset_class, provider) values ('${symbol}', 'crypto', 'test')`);
      await db.transaction((tx) => insertCandles(tx, { symbol, timeframe: '5m', source: 'test', candles }));
    }
    await db.execute(
      `insert into corporate_actions (symbol, ex_date, kind, ratio, source) values ('EXA', '2024-01-04', 'split', 4, 'test')`,
    );
  });
  afterAll(async () => h?.close());

  it('JSON paging walks the whole range exactly once, across symbols, and ends with a null cursor', async () => {
    const seen: CandlesExportPage['candles'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await fetch(
        `${h.url}/api/v1/candles?${QUERY}&adjust=none&limit=333${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      const page = candlesExportPageSchema.parse(await res.json());
      expect(page.candles.length).toBeLessThanOrEqual(333);
      seen.push(...page.candles);
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null && pages < 100);
    const want = expected(false);
    expect(seen).toEqual(want);
    expect(pages).toBe(Math.ceil(want.length / 333));
  });

  it('the CSV holds the stored candles (split-adjusted by default), with a header and ISO UTC times', async () => {
    const res = await fetch(`${h.url}/api/v1/candles.csv?${QUERY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="candles_EXA-EX.B_5m_2024-01-02_2024-01-05.csv"',
    );
    expect(parseCsv(await res.text())).toEqual(expected(true));
    const raw = await fetch(`${h.url}/api/v1/candles.csv?${QUERY}&adjust=none`);
    expect(parseCsv(await raw.text())).toEqual(expected(false));
  });

  it('a Parquet file read back by an independent reader holds identical values and UTC timestamps', async () => {
    const res = await fetch(`${h.url}/api/v1/candles.parquet?${QUERY}&adjust=none`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="candles_EXA-EX\.B_5m_2024-01-02_2024-01-05_none\.parquet"/,
    );
    const file = await res.arrayBuffer();
    const meta = parquetMetadata(file);
    const ts = meta.schema.find((e) => e.name === 'ts');
    expect(ts?.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    for (const name of ['open', 'high', 'low', 'close', 'volume', 'vwap']) {
      expect(meta.schema.find((e) => e.name === name)?.type).toBe('DOUBLE');
    }
    const rows = await parquetReadObjects({ file });
    expect(
      rows.map((r) => ({
        ...r,
        ts: (r.ts as Date).toISOString(),
        trades: r.trades === null ? null : Number(r.trades),
      })),
    ).toEqual(expected(false));
  });

  it('answers HEAD with the headers alone, as DuckDB asks before reading', async () => {
    const res = await fetch(`${h.url}/api/v1/candles.parquet?${QUERY}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('accept-ranges')).toBe('none');
    // No length: a length of 0 would read as an empty file.
    expect(res.headers.get('content-length')).toBeNull();
    expect((await fetch(`${h.url}/api/v1/candles.parquet?symbols=NOPE&timeframe=5m`, { method: 'HEAD' })).status).toBe(
      404,
    );
  });

  it('streams: the first bytes arrive in a chunked response', async () => {
    const url = new URL(`${h.url}/api/v1/candles.csv?${QUERY}`);
    const first = await new Promise<{ encoding: string | undefined; length: string | undefined; chunk: string }>(
      (resolve, reject) => {
        request(url, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve({
              encoding: res.headers['transfer-encoding'],
              length: res.headers['content-length'],
              chunk: chunk.toString(),
            });
            res.destroy();
          });
        })
          .on('error', reject)
          .end();
      },
    );
    expect(first.encoding).toBe('chunked');
    expect(first.length).toBeUndefined();
    expect(first.chunk.startsWith('symbol,timeframe,ts,')).toBe(true);
  });

  it('refuses bad parameters with 422 naming each field, and an unknown symbol with 404', async () => {
    const bad = await fetch(
      `${h.url}/api/v1/candles.csv?symbols=&timeframe=2h&start_date=2024-02-30&end_date=x&adjust=some`,
    );
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { detail: { loc: string[]; msg: string }[] };
    expect(body.detail.map((d) => d.loc[1]).sort()).toEqual([
      'adjust',
      'end_date',
      'start_date',
      'symbols',
      'timeframe',
    ]);
    for (const d of body.detail) expect(d.msg.length).toBeGreaterThan(10);
    const order = await fetch(
      `${h.url}/api/v1/candles.parquet?symbols=EXA&timeframe=5m&start_date=2024-01-05&end_date=2024-01-01`,
    );
    expect(((await order.json()) as { detail: { msg: string }[] }).detail.map((d) => d.msg)).toEqual([
      'Start date must be before end date',
    ]);
    const page = await fetch(`${h.url}/api/v1/candles?symbols=EXA&timeframe=5m&limit=0&cursor=nope`);
    expect(((await page.json()) as { detail: { loc: string[] }[] }).detail.map((d) => d.loc[1])).toEqual([
      'limit',
      'cursor',
    ]);
    const unknown = await fetch(`${h.url}/api/v1/candles.csv?symbols=EXA,NOPE&timeframe=5m`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/Unknown symbol NOPE/);
  });

  it('a range with no bars is a header only, and an empty JSON page', async () => {
    const csv = await fetch(`${h.url}/api/v1/candles.csv?symbols=EXA&timeframe=1h`);
    expect(await csv.text()).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    const page = (await (await fetch(`${h.url}/api/v1/candles?symbols=EXA&timeframe=1d`)).json()) as CandlesExportPage;
    expect(page).toEqual({ timeframe: '1d', adjust: 'splits', candles: [], next_cursor: null });
  });
});
