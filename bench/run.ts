import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchApi } from './api';
import { benchExport } from './export';
import { benchFanout } from './fanout';
import { benchIngestPglite } from './ingest-pglite';
import { benchIngestPostgres } from './ingest-postgres';
import { Report } from './lib/report';
import { benchMap } from './map';
import { benchWeb, buildWeb } from './web';
import { benchWebTraffic } from './web-traffic';

const RESULTS = resolve(fileURLToPath(new URL('.', import.meta.url)), 'results/latest.json');

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'pnpm bench needs a Postgres server: set DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm bench\n' +
        '(it creates and drops its own scratch databases there).',
    );
    process.exit(2);
  }
  const only = new Set(
    (process.env.BENCH_ONLY ?? 'ingest,pglite,api,fanout,web,export,map').split(',').map((s) => s.trim()),
  );
  const symbols = Number(process.env.BENCH_SYMBOLS ?? 50);
  const report = new Report();
  const started = performance.now();
  const loadBefore = loadavg();
  // Others share this machine: the load says how much of it the figures had.
  console.log(
    `bench: load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`,
  );
  if (only.has('ingest')) await benchIngestPostgres(url, report, { symbols, concurrency: 2 });
  if (only.has('pglite')) await benchIngestPglite(report, Number(process.env.BENCH_PGLITE_SYMBOLS ?? 10));
  if (only.has('api') || only.has('web')) {
    const build = only.has('web') ? await buildWeb() : null;
    if (build && 'error' in build) report.skip('web', `not done: ${build.error}`);
    const web = build && !('error' in build) ? build : null;
    try {
      await benchApi(
        url,
        report,
        web
          ? {
              env: { WEB_DIST: web.dir },
              run: async (u, sql) => {
                await benchWeb(u, report, web);
                await benchWebTraffic(u, sql, report);
              },
            }
          : undefined,
      );
    } finally {
      web?.cleanup();
    }
  }
  if (only.has('fanout')) await benchFanout(url, report);
  if (only.has('export')) await benchExport(url, report);
  if (only.has('map')) await benchMap(url, report, process.env.MAP_SCREENSHOT);
  const seconds = (performance.now() - started) / 1000;
  const loadAfter = loadavg();
  report.write(RESULTS, {
    at: new Date().toISOString(),
    seconds,
    symbols,
    loadBefore,
    loadAfter,
    cores: availableParallelism(),
  });
  const missed = report.figures.filter((f) => f.ok === false).map((f) => f.name);
  console.log(
    `bench: ${report.figures.length} figures in ${seconds.toFixed(0)} s (load average now ${loadAfter[0]?.toFixed(1)}); ` +
      `${missed.length ? `targets missed: ${missed.join(', ')}` : 'every target met'}; JSON in ${RESULTS}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
