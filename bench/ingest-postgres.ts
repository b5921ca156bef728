import { createDatabase, migrate, queryRows } from '@candlebase/db';
import { sql as dsql } from 'drizzle-orm';
import postgres from 'postgres';
import { copyBaseline, prepareRows } from './lib/copy-baseline';
import { benchSymbols, runJob } from './lib/jobs';
import type { Report } from './lib/report';
import { fmt } from './lib/report';
import { createScratchDb } from './lib/scratch-db';
import { startWorkerProcess, withMemory } from './lib/worker-proc';

export interface IngestOptions {
  symbols: number;
  concurrency: number;
}

const LONG = { start: '2024-01-01', end: '2024-02-29', days: 60 };
const SHORT = { start: '2024-03-01', end: '2024-03-30', days: 30 };
const BARS_PER_DAY_5M = 288;

/**
 * Figures 1 and 3: a 5m backfill of N crypto symbols through the real engine (a worker process,
 * the synthetic provider, a job created by the service) against a binary COPY of the same rows,
 * the same backfill again (all present), and the worker's peak RSS for 60 vs 30 days.
 */
export async function benchIngestPostgres(baseUrl: string, report: Report, opts: IngestOptions): Promise<void> {
  const scratch = await createScratchDb(baseUrl, 'ingest');
  const database = await createDatabase({ url: scratch.url, maxConnections: 2 });
  const raw = postgres(scratch.url, { max: 1, onnotice: () => {} });
  try {
    await migrate(database);
    const symbols = benchSymbols('BENCH', opts.symbols);
    const expected = opts.symbols * LONG.days * BARS_PER_DAY_5M;

    let prepared: Awaited<ReturnType<typeof prepareRows>> | null = await prepareRows(
      symbols,
      '5m',
      new Date(`${LONG.start}T00:00:00Z`),
      new Date(Date.parse(`${LONG.end}T00:00:00Z`) + 86_400_000),
    );
    if (prepared.rows !== expected) throw new Error(`Prepared ${prepared.rows} rows, expected ${expected}`);
    const baseline = await copyBaseline(raw, prepared);
    prepared = null;

    await raw`checkpoint`.catch(() => {});
    const worker = await startWorkerProcess(scratch.url, opts.concurrency);
    let first: Awaited<ReturnType<typeof runJob>>;
    let again: Awaited<ReturnType<typeof runJob>>;
    let longMem: { peakMb: number; maxRssMb: number };
    try {
      const measured = await withMemory(worker.pid, () =>
        runJob(database, { symbols, start: LONG.start, end: LONG.end, timeframes: ['5m'] }),
      );
      first = measured.value;
      longMem = measured;
      again = await runJob(database, { symbols, start: LONG.start, end: LONG.end, timeframes: ['5m'] });
    } finally {
      await worker.stop();
    }
    if (first.status !== 'completed') throw new Error(`The ingest job ended ${first.status}`);
    const stored = await queryRows<{ n: number; cov: number }>(
      database.db,
      dsql`select (select count(*)::float8 from candles) as n, (select coalesce(sum(count), 0)::float8 from series_coverage) as cov`,
    );
    const exact = first.inserted === expected && stored[0]?.n === expected && stored[0]?.cov === expected;
    const rate = first.inserted / first.seconds;
    const ratio = rate / baseline.perSecond;
    const base = `copy baseline ${fmt(baseline.perSecond)}/s`;
    report.add({
      name: 'ingest_candles_per_s',
      value: rate,
      unit: '/s',
      baseline: `${base}, ratio ${ratio.toFixed(2)}`,
      note: `${fmt(first.inserted)} candles (${opts.symbols} symbols x ${LONG.days} d of 5m) in ${first.seconds.toFixed(2)} s, worker process, concurrency ${opts.concurrency}; counts ${exact ? 'exact' : `WRONG: job ${first.inserted}, table ${stored[0]?.n}, coverage ${stored[0]?.cov}, expected ${expected}`}`,
      detail: { seconds: first.seconds, inserted: first.inserted, baselineSeconds: baseline.seconds, exact },
    });
    report.add({
      name: 'ingest_vs_copy_ratio',
      value: ratio,
      unit: '',
      baseline: base,
      target: '>= 0.6',
      ok: ratio >= 0.6 && exact,
    });
    const speedup = first.seconds / again.seconds;
    report.add({
      name: 'rerun_speedup',
      value: speedup,
      unit: 'x',
      baseline: `first run ${first.seconds.toFixed(2)} s, re-run ${again.seconds.toFixed(2)} s`,
      target: '>= 2',
      ok: speedup >= 2 && again.inserted === 0 && again.status === 'completed',
      note: `re-run inserted ${again.inserted}, fetched ${again.fetched}`,
    });

    // The same backfill over half the range, in a fresh worker process: memory must not follow the range.
    const shortSymbols = benchSymbols('BENCHS', opts.symbols);
    const worker30 = await startWorkerProcess(scratch.url, opts.concurrency);
    let shortMem: { peakMb: number; maxRssMb: number };
    let short: Awaited<ReturnType<typeof runJob>>;
    try {
      const measured = await withMemory(worker30.pid, () =>
        runJob(database, { symbols: shortSymbols, start: SHORT.start, end: SHORT.end, timeframes: ['5m'] }),
      );
      short = measured.value;
      shortMem = measured;
    } finally {
      await worker30.stop();
    }
    report.add({
      name: 'worker_peak_rss_mb',
      value: longMem.peakMb,
      unit: 'MB',
      baseline: `${SHORT.days} d: ${shortMem.peakMb.toFixed(0)} MB, ${LONG.days} d: ${longMem.peakMb.toFixed(0)} MB`,
      target: '< 300 and flat in the range',
      ok: longMem.peakMb < 300 && longMem.peakMb < shortMem.peakMb * 1.25 + 10,
      note: `worker process alone (VmHWM); ${SHORT.days}-day run ${fmt(short.inserted)} candles at ${fmt(short.inserted / short.seconds)}/s`,
      detail: { long: longMem, short: shortMem },
    });
  } finally {
    await raw.end({ timeout: 5 });
    await database.close();
    await scratch.drop();
  }
}
