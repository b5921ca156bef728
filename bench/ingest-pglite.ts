import { startChild } from './lib/child';
import { fmt, type Report } from './lib/report';

interface ChildResult {
  symbols: number;
  rows: number;
  copySeconds: number;
  copied: number;
  run: { status: string; inserted: number; seconds: number };
  stored: number;
}

/** Figure 2: the same 5m backfill on embedded PGlite (in a child process), beside a binary COPY there. */
export async function benchIngestPglite(report: Report, symbols: number): Promise<void> {
  const child = startChild('bench/pglite-child.ts', { BENCH_PGLITE_SYMBOLS: String(symbols) });
  const m = await child.waitFor(/^(\{"symbols".*\})$/m, 290_000);
  await child.stop();
  const r = JSON.parse(m[1] ?? '{}') as ChildResult;
  const rate = r.run.inserted / r.run.seconds;
  const copyRate = r.rows / r.copySeconds;
  const exact = r.run.status === 'completed' && r.run.inserted === r.rows && r.stored === r.rows && r.copied === r.rows;
  report.add({
    name: 'embedded_ingest_candles_per_s',
    value: rate,
    unit: '/s',
    baseline: `PGlite binary COPY baseline ${fmt(copyRate)}/s, ratio ${(rate / copyRate).toFixed(2)}`,
    note: `${symbols} symbols (not 50: PGlite runs the engine and Postgres on one thread) x 60 d of 5m = ${fmt(r.rows)} candles in ${r.run.seconds.toFixed(2)} s; counts ${exact ? 'exact' : `WRONG (${JSON.stringify(r)})`}`,
    detail: { ...r, ratio: rate / copyRate, exact },
  });
}
