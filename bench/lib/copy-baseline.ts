import type { Timeframe } from '@candlebase/contracts';
import { createSyntheticProvider } from '@candlebase/providers';
import type postgres from 'postgres';
import { encodeCopyBinary } from '../../apps/server/src/backfill/write-candles';

export interface PreparedRows {
  /** Binary COPY body chunks: rows only, no header or trailer. */
  chunks: Uint8Array[];
  rows: number;
  bytes: number;
}

const HEADER = Uint8Array.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const TRAILER = Uint8Array.from([0xff, 0xff]);

/** The very rows the engine will write (same provider, symbols and range), encoded ahead of the clock. */
export async function prepareRows(
  symbols: string[],
  timeframe: Timeframe,
  from: Date,
  to: Date,
): Promise<PreparedRows> {
  const provider = createSyntheticProvider();
  const chunks: Uint8Array[] = [];
  let rows = 0;
  let bytes = 0;
  for (const symbol of symbols) {
    for await (const page of provider.fetchCandles({ symbol, timeframe, from, to })) {
      const encoded = encodeCopyBinary({ symbol, timeframe, source: provider.name, candles: page });
      if (!encoded) throw new Error('The synthetic rows did not encode');
      const body = encoded.subarray(HEADER.length, encoded.length - TRAILER.length);
      chunks.push(body);
      rows += page.length;
      bytes += body.length;
    }
  }
  return { chunks, rows, bytes };
}

/**
 * The reference: one COPY (binary, the cheapest form for the server) of the prepared rows into
 * an empty table shaped like `candles` (same columns, same primary key), timed from the first
 * byte to the server's acknowledgement. Commits; the table is dropped afterwards.
 */
export async function copyBaseline(
  sql: postgres.Sql,
  rows: PreparedRows,
): Promise<{ seconds: number; perSecond: number }> {
  await sql`drop table if exists bench_copy_baseline`;
  await sql`create table bench_copy_baseline (like candles including all)`;
  try {
    await sql`checkpoint`.catch(() => {});
    const started = performance.now();
    const stream =
      await sql`copy bench_copy_baseline (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source, fetched_at) from stdin with (format binary)`.writable();
    const finished = new Promise<void>((resolve, reject) => {
      stream.once('finish', resolve);
      stream.once('error', reject);
    });
    const write = (chunk: Uint8Array) =>
      stream.write(chunk) ? Promise.resolve() : new Promise<void>((r) => stream.once('drain', () => r()));
    await write(HEADER);
    for (const chunk of rows.chunks) await write(chunk);
    stream.end(TRAILER);
    await finished;
    const seconds = (performance.now() - started) / 1000;
    const [count] = await sql<{ n: number }[]>`select count(*)::int as n from bench_copy_baseline`;
    if (count?.n !== rows.rows) throw new Error(`COPY baseline stored ${count?.n} rows, expected ${rows.rows}`);
    return { seconds, perSecond: rows.rows / seconds };
  } finally {
    await sql`drop table if exists bench_copy_baseline`;
  }
}
