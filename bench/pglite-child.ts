/**
 * The embedded-engine half of the ingest bench, in a process of its own (PGlite allows one process
 * per data folder and its memory should not count against the parent): a binary COPY of the rows
 * into a candles-shaped table, then the same backfill through the real engine (start() with an
 * in-process worker, as `pnpm start` runs without DATABASE_URL). Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyInto, createDatabase, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { loadConfig } from '../apps/server/src/config';
import { start } from '../apps/server/src/start';
import { prepareRows } from './lib/copy-baseline';
import { benchSymbols, runJob } from './lib/jobs';

const SYMBOLS = Number(process.env.BENCH_PGLITE_SYMBOLS ?? 10);
const START = '2024-01-01';
const END = '2024-02-29';
const COLUMNS = ['symbol', 'timeframe', 'ts', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades', 'source'];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-bench-pglite-'));
  try {
    const database = await createDatabase({ pgliteDir: dir });
    const config = loadConfig({
      PGLITE_DIR: dir,
      SEED_DEMO: 'false',
      SCHEDULER_ENABLED: 'false',
      WORKER_CONCURRENCY: '2',
    });
    // Migrates and starts the worker that `pnpm start` runs in-process; it idles until the job.
    const running = await start(config, { http: false, database, log: pino({ level: 'warn' }) });
    const symbols = benchSymbols('EMB', SYMBOLS);
    const prepared = await prepareRows(
      symbols,
      '5m',
      new Date(`${START}T00:00:00Z`),
      new Date(Date.parse(`${END}T00:00:00Z`) + 86_400_000),
    );
    const body = new Uint8Array(19 + prepared.bytes + 2);
    body.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00], 0);
    let o = 19;
    for (const chunk of prepared.chunks) {
      body.set(chunk, o);
      o += chunk.length;
    }
    body.set([0xff, 0xff], o);
    await database.db.execute(sql`create table bench_copy_baseline (like candles including all)`);
    const t0 = performance.now();
    await database.db.transaction((tx) =>
      copyInto(tx, { table: 'bench_copy_baseline', columns: COLUMNS, format: 'binary' }, body),
    );
    const copySeconds = (performance.now() - t0) / 1000;
    const copied = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from bench_copy_baseline`);
    await database.db.execute(sql`drop table bench_copy_baseline`);

    const run = await runJob(database, { symbols, start: START, end: END, timeframes: ['5m'] }, 280_000);
    const stored = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from candles`);
    await running.stop();
    console.log(
      JSON.stringify({
        symbols: SYMBOLS,
        rows: prepared.rows,
        copySeconds,
        copied: copied[0]?.n,
        run,
        stored: stored[0]?.n,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
