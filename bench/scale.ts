import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, type Database, migrate } from '@candlebase/db';
import postgres from 'postgres';
import { type Client, createClient, startServerProcess } from './api';
import { type JobRun, runJob } from './lib/jobs';
import { fmt, percentile, Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';
import { startWorkerProcess } from './lib/worker-proc';

/**
 * The scale tier (`pnpm bench:scale`, not in CI): loads candles through the real engine on
 * Postgres (a worker process, the synthetic provider, jobs created by the service) and measures
 * every read figure at the small tier (about 1 M candles) and again at the large one (100 M by
 * default), right after the load and a minute later, side by side. Each series spans two years,
 * so that "a page a year back" exists everywhere.
 */

const RESULTS = resolve(fileURLToPath(new URL('.', import.meta.url)), 'results/scale.json');
const START = '2024-01-01';
const END = '2025-12-30';
const DAYS = 730;
const TIMEFRAMES = ['5m', '15m', '1h'] as const;
const PER_SYMBOL = DAYS * (288 + 96 + 24);
const CATALOG = 10_000;
const JOB_SYMBOLS = 24;
const PAGE = 5000;
const BOUND = 1.5;

interface Tier {
  label: string;
  candles: number;
  figures: Map<string, number>;
}

async function timed(runs: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return percentile(times, 95);
}

async function loadSymbols(database: Database, symbols: string[]): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  for (let i = 0; i < symbols.length; i += JOB_SYMBOLS) {
    const batch = symbols.slice(i, i + JOB_SYMBOLS);
    const run = await runJob(
      database,
      { symbols: batch, start: START, end: END, timeframes: [...TIMEFRAMES] },
      3 * 3600_000,
    );
    if (run.status !== 'completed') throw new Error(`A load job ended ${run.status}`);
    runs.push(run);
    console.log(
      `bench:scale: loaded ${batch.length} symbols, ${fmt(run.inserted)} candles in ${run.seconds.toFixed(1)} s`,
    );
  }
  return runs;
}

/** Candles per second over the jobs that make up the first (or last) tenth of a load. */
function rateOf(runs: JobRun[], part: 'first' | 'last'): number {
  const total = runs.reduce((n, r) => n + r.inserted, 0);
  const ordered = part === 'first' ? runs : [...runs].reverse();
  let inserted = 0;
  let seconds = 0;
  for (const r of ordered) {
    inserted += r.inserted;
    seconds += r.seconds;
    if (inserted >= total / 10) break;
  }
  return inserted / seconds;
}

async function measure(client: Client, raw: postgres.Sql, symbol: string, tier: Tier): Promise<void> {
  const f = tier.figures;
  const [last] = await raw<{ ts: Date }[]>`
    select last_ts as ts from series_coverage where symbol = ${symbol} and timeframe = '5m'`;
  const yearBack = new Date((last?.ts.getTime() ?? Date.now()) - 365 * 86_400_000).toISOString();
  f.set(
    'candles_list_newest_p95_ms',
    await timed(30, () => client.candles.list.query({ symbol, timeframe: '5m', limit: PAGE, adjust: 'none' })),
  );
  f.set(
    'candles_list_year_back_p95_ms',
    await timed(30, () =>
      client.candles.list.query({ symbol, timeframe: '5m', limit: PAGE, to: yearBack, adjust: 'none' }),
    ),
  );
  f.set('symbols_list_p95_ms', await timed(10, () => client.symbols.list.query()));
  f.set(
    'coverage_whole_5m_series_p95_ms',
    await timed(20, () => client.enrichment.coverage.query({ symbol, timeframe: '5m' })),
  );
  f.set(
    'fill_gaps_planning_p95_ms',
    await timed(10, () => client.enrichment.fillGaps.mutate({ symbol, timeframe: '5m' })),
  );
  f.set('metrics_p95_ms', await timed(20, () => client.system.metrics.query()));
  // Checks allow 30 runs a client a minute: three are plenty for a p95 of a slow path.
  f.set('checks_ms', await timed(3, () => client.system.checks.query()));
  const [size] = await raw<{ heap: number; index: number; n: number }[]>`
    select pg_relation_size('candles')::float8 as heap, pg_indexes_size('candles')::float8 as index,
           (select coalesce(sum(count), 0)::float8 from series_coverage) as n`;
  const n = Number(size?.n ?? 1);
  f.set('bytes_per_candle_heap', Number(size?.heap) / n);
  f.set('bytes_per_candle_index', Number(size?.index) / n);
  f.set('bytes_per_candle', (Number(size?.heap) + Number(size?.index)) / n);
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('pnpm bench:scale needs a Postgres server: set DATABASE_URL (it makes and drops its own database).');
    process.exit(2);
  }
  const large = Number(process.env.BENCH_SCALE_CANDLES ?? 100_000_000);
  const small = Number(process.env.BENCH_SCALE_SMALL ?? 1_000_000);
  const smallSymbols = Math.max(1, Math.round(small / PER_SYMBOL));
  const largeSymbols = Math.max(smallSymbols + 1, Math.round(large / PER_SYMBOL));
  const names = Array.from({ length: largeSymbols }, (_, i) => `SC${String(i).padStart(4, '0')}-USD`);
  console.log(
    `bench:scale: load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores; ` +
      `${smallSymbols} then ${largeSymbols} symbols x ${TIMEFRAMES.join('/')} x ${DAYS} d (${fmt(PER_SYMBOL)} candles each)`,
  );
  const started = performance.now();
  const scratch = await createScratchDb(url, 'scale');
  const database = await createDatabase({ url: scratch.url, maxConnections: 4 });
  const raw = postgres(scratch.url, { max: 2, onnotice: () => {} });
  const report = new Report();
  const tiers: Tier[] = [];
  try {
    await migrate(database);
    // The catalog the dashboard lists: 10,000 symbols, the loaded ones among them.
    await raw`insert into symbols (symbol, name, asset_class, exchange, currency, provider)
              select 'CAT' || lpad(i::text, 5, '0'), 'Catalog symbol ' || i, 'equity', 'XNAS', 'USD', 'synthetic'
              from generate_series(1, ${CATALOG - largeSymbols}) i`;
    const worker = await startWorkerProcess(scratch.url, 3);
    const server = await startServerProcess(scratch.url, { WORKER_ENABLED: 'false' });
    const client = createClient(server.url);
    try {
      const first = await loadSymbols(database, names.slice(0, smallSymbols));
      const smallTier: Tier = { label: 'small', candles: 0, figures: new Map() };
      smallTier.candles = first.reduce((n, r) => n + r.inserted, 0);
      smallTier.figures.set('ingest_first_10pct_per_s', rateOf(first, 'first'));
      smallTier.figures.set('ingest_last_10pct_per_s', rateOf(first, 'last'));
      await measure(client, raw, names[0] as string, smallTier);
      tiers.push(smallTier);

      const rest = await loadSymbols(database, names.slice(smallSymbols));
      const all = [...first, ...rest];
      const bigTier: Tier = { label: 'large, right after the load', candles: 0, figures: new Map() };
      bigTier.candles = all.reduce((n, r) => n + r.inserted, 0);
      bigTier.figures.set('ingest_first_10pct_per_s', rateOf(all, 'first'));
      bigTier.figures.set('ingest_last_10pct_per_s', rateOf(all, 'last'));
      await measure(client, raw, names[names.length - 1] as string, bigTier);
      tiers.push(bigTier);

      await new Promise((r) => setTimeout(r, 60_000));
      const later: Tier = { label: 'large, a minute later', candles: bigTier.candles, figures: new Map() };
      await measure(client, raw, names[names.length - 1] as string, later);
      tiers.push(later);
      const [stats] = await raw<{ analysed: Date | null; auto: Date | null }[]>`
        select last_analyze as analysed, last_autoanalyze as auto from pg_stat_user_tables where relname = 'candles'`;
      console.log(
        `bench:scale: candles last analysed by a worker ${stats?.analysed?.toISOString() ?? 'never'}, by autovacuum ${stats?.auto?.toISOString() ?? 'never'}`,
      );
    } finally {
      await server.child.stop();
      await worker.stop();
    }
  } finally {
    await raw.end({ timeout: 5 });
    await database.close();
    await scratch.drop();
  }

  const [smallTier, bigTier, later] = tiers;
  if (!smallTier || !bigTier || !later) throw new Error('bench:scale did not reach every tier');
  const table = [
    `| figure | at ${fmt(smallTier.candles)} | at ${fmt(bigTier.candles)}, right after the load | a minute later | ratio | bound |`,
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const [name, value] of smallTier.figures) {
    const big = bigTier.figures.get(name) ?? Number.NaN;
    const after = later.figures.get(name) ?? Number.NaN;
    const isRead = name.endsWith('_ms');
    const ratio = Math.max(big, Number.isFinite(after) ? after : 0) / value;
    const ok = isRead ? ratio <= BOUND : undefined;
    report.add({
      name: `scale_${name}`,
      value: big,
      unit: '',
      baseline: `${fmt(value)} at ${fmt(smallTier.candles)} candles, ratio ${ratio.toFixed(2)}`,
      target: isRead ? `<= ${BOUND}x` : undefined,
      ok,
      detail: { small: value, large: big, later: after },
    });
    table.push(
      `| ${name} | ${fmt(value)} | ${fmt(big)} | ${Number.isFinite(after) ? fmt(after) : '-'} | ${ratio.toFixed(2)} | ${isRead ? `<= ${BOUND}x ${ok ? 'ok' : 'MISSED'}` : '-'} |`,
    );
  }
  console.log(`\n${table.join('\n')}\n`);
  const seconds = (performance.now() - started) / 1000;
  report.write(RESULTS, { at: new Date().toISOString(), seconds, tiers: tiers.map((t) => t.label), table });
  const missed = report.figures.filter((f) => f.ok === false).map((f) => f.name);
  console.log(
    `bench:scale: ${seconds.toFixed(0)} s; ${missed.length ? `bounds missed: ${missed.join(', ')}` : 'every read figure within its bound'}; JSON in ${RESULTS}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
