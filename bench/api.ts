import type { AppRouter } from '@candlebase/api';
import type { ProgressMessage } from '@candlebase/contracts';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import postgres from 'postgres';
import { type Child, startChild } from './lib/child';
import { fmt, percentile, type Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';

/** The watchlist's size: 10,000 unless BENCH_LIST_SYMBOLS says (100000 for the large case). */
export const SYMBOL_COUNT = Number(process.env.BENCH_LIST_SYMBOLS ?? 10_000);
export const SYMBOL_COUNT_TEXT = SYMBOL_COUNT.toLocaleString('en-US');
const LIST_SYMBOL = 'LIST-USD';
const LIST_LIMIT = 5000;

export type Client = ReturnType<typeof createClient>;

export function createClient(url: string) {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: `${url}/trpc`, EventSource }),
        false: httpLink({ url: `${url}/trpc` }),
      }),
    ],
  });
}

/** A real API server process (main.ts) with its in-process worker, on a free port. */
export async function startServerProcess(databaseUrl: string, env: Record<string, string> = {}) {
  const child = startChild('apps/server/src/main.ts', {
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: 'false',
    SCHEDULER_ENABLED: 'false',
    WORKER_CONCURRENCY: '2',
    LOG_LEVEL: 'warn',
    BACKFILL_RATE_PER_MINUTE: '1000',
    ...env,
  });
  const m = await child.waitFor(/Candlebase dashboard: (http:\/\/\S+)/, 60_000);
  return { child, url: m[1] ?? '' };
}

/**
 * 10,000 symbols with coverage on four timeframes, one finished job over all of them (the unit
 * history symbols.list reads for errors), and a 5m series of 20,000 candles to page through.
 * Coverage bounds are bar opens, as stored coverage always is (on the hour, in the last 3 days).
 */
export async function seedCatalog(sql: postgres.Sql, symbols = SYMBOL_COUNT): Promise<void> {
  await sql`
    insert into symbols (symbol, name, asset_class, exchange, currency, provider)
    select 'S' || lpad(i::text, ${Math.max(5, String(symbols).length)}, '0') || case when i % 4 = 0 then '-USD' else '' end,
           'Bench symbol ' || i, case when i % 4 = 0 then 'crypto' else 'equity' end,
           case when i % 4 = 0 then 'CRYPTO' else 'XNAS' end, 'USD', 'synthetic'
    from generate_series(1, ${symbols} - (select count(*)::int from symbols)) i
    on conflict do nothing`;
  await sql`
    insert into series_coverage (symbol, timeframe, first_ts, last_ts, count, updated_at)
    select s.symbol, tf, date_trunc('day', now()) - interval '400 days',
           date_trunc('hour', now()) - (random() * 72)::int * interval '1 hour', 20000 + (random() * 1000)::int, now()
    from symbols s cross join unnest(array['5m', '15m', '1h', '1d']) tf
    on conflict do nothing`;
  const [job] = await sql<{ id: string }[]>`
    insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status, progress_pct,
      symbols_completed, symbols_total, created_at, started_at, completed_at)
    values (array['(catalog)'], '2024-01-01', '2024-01-31', array['5m', '15m', '1h', '1d'], 'synthetic', 'failed', 100,
      ${symbols}, ${symbols}, now() - interval '1 day', now() - interval '1 day', now() - interval '23 hours')
    returning id`;
  await sql`
    insert into backfill_job_progress (job_id, symbol, timeframe, range_start, range_end, status, records_fetched,
      records_inserted, attempts, started_at, completed_at, error_message)
    select ${job?.id ?? ''}, s.symbol, tf, '2024-01-01', '2024-02-01',
           case when s.symbol like '%7' and tf = '1d' then 'failed' else 'completed' end, 100, 100, 1,
           now() - interval '1 day', now() - case when s.symbol like '%7' and tf = '1d' then interval '22 hours' else interval '23 hours' end,
           case when s.symbol like '%7' and tf = '1d' then 'The provider does not know this symbol' end
    from symbols s cross join unnest(array['5m', '15m', '1h', '1d']) tf`;
  await sql`
    insert into candles (symbol, timeframe, ts, open, high, low, close, volume, vwap, trades, source)
    select ${LIST_SYMBOL}, '5m', t, 100 + g % 7, 101 + g % 7, 99 + g % 7, 100.5 + g % 7, 1000 + g, 100.2, 50, 'synthetic'
    from generate_series(1, 20000) g, lateral (select timestamptz '2024-01-01' + g * interval '5 minutes' as t) x`;
  await sql`analyze`;
}

async function timeIt(n: number, warmup: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Figure 4: candles.list, symbols.list and SSE progress latency through a real server and client. */
export async function benchApi(
  baseUrl: string,
  report: Report,
  web?: { env: Record<string, string>; run: (url: string, sql: postgres.Sql) => Promise<void> },
): Promise<void> {
  const scratch = await createScratchDb(baseUrl, 'api');
  const sql = postgres(scratch.url, { max: 2, onnotice: () => {} });
  let server: { child: Child; url: string } | null = null;
  try {
    // The server migrates the scratch database at start.
    server = await startServerProcess(scratch.url, web?.env);
    await seedCatalog(sql);
    const client = createClient(server.url);

    const list = await timeIt(60, 5, async () => {
      const page = await client.candles.list.query({ symbol: LIST_SYMBOL, timeframe: '5m', limit: LIST_LIMIT });
      if (page.candles.length !== LIST_LIMIT) throw new Error(`candles.list returned ${page.candles.length} candles`);
    });
    const listSql = await timeIt(
      60,
      5,
      () =>
        sql`select ts, open, high, low, close, volume, vwap, trades, source from candles
          where symbol = ${LIST_SYMBOL} and timeframe = '5m' order by ts desc limit ${LIST_LIMIT + 1}`,
    );
    const p95 = percentile(list, 95);
    report.add({
      name: 'candles_list_p95_ms',
      value: p95,
      unit: 'ms',
      baseline: `same query in raw SQL p95 ${fmt(percentile(listSql, 95))} ms`,
      target: '< 30',
      ok: p95 < 30,
      note: `${LIST_LIMIT} candles per call over HTTP (tRPC httpLink), median ${fmt(percentile(list, 50))} ms, 60 calls`,
    });

    // At 100,000 symbols symbols.list is 70 MB a call: a few calls say enough.
    const large = SYMBOL_COUNT > 20_000;
    const symbolsList = await timeIt(large ? 3 : 30, large ? 1 : 3, async () => {
      const rows = await client.symbols.list.query();
      if (rows.length < SYMBOL_COUNT) throw new Error(`symbols.list returned ${rows.length} symbols`);
    });
    // Its two reads (symbols, coverage) straight from the driver: what the database and the wire cost.
    const symbolsSql = await timeIt(30, 3, () =>
      Promise.all([
        sql`select symbol, name, asset_class, exchange, currency, provider, active,
              to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at
            from symbols order by symbol`,
        sql`select symbol, timeframe, to_char(first_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as first_ts,
              to_char(last_ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_ts, count::float8 as count
            from series_coverage`,
      ]),
    );
    const snapshots = await timeIt(30, 3, async () => {
      const snap = await client.symbols.snapshot.query();
      if (snap.symbol.length < SYMBOL_COUNT) throw new Error(`symbols.snapshot returned ${snap.symbol.length} symbols`);
    });
    const np95 = percentile(snapshots, 95);
    report.add({
      name: 'symbols_snapshot_p95_ms',
      value: np95,
      unit: 'ms',
      baseline: `its two reads in raw SQL p95 ${fmt(percentile(symbolsSql, 95))} ms`,
      target: '< 100',
      ok: np95 < 100,
      note: `the dashboard's first load: ${SYMBOL_COUNT} symbols x 4 timeframes of coverage, columnar; median ${fmt(percentile(snapshots, 50))} ms, 30 calls`,
    });
    report.add({
      name: 'symbols_list_p95_ms',
      value: percentile(symbolsList, 95),
      unit: 'ms',
      baseline: `its two reads in raw SQL p95 ${fmt(percentile(symbolsSql, 95))} ms`,
      note: `the same rows as objects (about 700 bytes a symbol), for API clients; median ${fmt(percentile(symbolsList, 50))} ms, ${symbolsList.length} calls; reported, no target`,
    });

    if (large)
      report.skip('symbols_list_after_change', 'not run above 20,000 symbols (each call moves the whole list)');
    else await benchListAfterChange(client, sql, percentile(symbolsSql, 95), report);
    await benchProgressLatency(client, sql, report);
    if (web) await web.run(server.url, sql);
  } finally {
    await server?.child.stop();
    await sql.end({ timeout: 5 });
    await scratch.drop();
  }
}

/**
 * symbols.list right after a change, when the caller waits for the feed to catch up: after a
 * job's event (the job's 100 symbols re-read and merged: what a dashboard sees all through a
 * backfill) and after a symbol was added (that symbol read).
 */
async function benchListAfterChange(client: Client, sql: postgres.Sql, rawReadsP95: number, report: Report) {
  const jobSymbols = await sql<{ symbol: string }[]>`select symbol from symbols order by symbol limit 100`;
  const [job] = await sql<{ id: string }[]>`
    insert into backfill_jobs (symbols, start_date, end_date, timeframes, provider, status)
    values (${jobSymbols.map((r) => r.symbol)}, '2024-01-01', '2024-01-31', array['5m'], 'synthetic', 'running')
    returning id`;
  const afterEvent: number[] = [];
  for (let i = 0; i < 21; i++) {
    // What a page write does to the job's series, then its event, as the worker sends it.
    await sql`update series_coverage set count = count + 1
              where timeframe = '5m' and symbol in (select unnest(symbols) from backfill_jobs where id = ${job?.id ?? ''})`;
    await sql`select pg_notify('candlebase_job_events', ${job?.id ?? ''})`;
    await new Promise((r) => setTimeout(r, 30));
    const t0 = performance.now();
    const rows = await client.symbols.list.query();
    if (i > 0) afterEvent.push(performance.now() - t0);
    const first = rows.find((s) => s.symbol === jobSymbols[0]?.symbol);
    const count = first?.coverage.find((c) => c.timeframe === '5m')?.count ?? 0;
    if (i === 20 && count < 20) throw new Error('symbols.list did not follow the job events');
  }
  report.add({
    name: 'symbols_list_after_job_event_p95_ms',
    value: percentile(afterEvent, 95),
    unit: 'ms',
    baseline: `its two reads in raw SQL p95 ${fmt(rawReadsP95)} ms`,
    note: `the first call after a 100-symbol job's event (${SYMBOL_COUNT_TEXT} symbols listed), median ${fmt(percentile(afterEvent, 50))} ms, ${afterEvent.length} events; reported, no target`,
  });

  const afterAdd: number[] = [];
  for (let i = 0; i < 11; i++) {
    const symbol = `CHANGE${i}`;
    await client.symbols.add.mutate({ symbol });
    const t0 = performance.now();
    const rows = await client.symbols.list.query();
    const ms = performance.now() - t0;
    if (!rows.some((s) => s.symbol === symbol))
      throw new Error(`symbols.list missed ${symbol} right after it was added`);
    if (i > 0) afterAdd.push(ms);
    await client.symbols.remove.mutate({ symbol });
  }
  report.add({
    name: 'symbols_list_after_symbol_added_p95_ms',
    value: percentile(afterAdd, 95),
    unit: 'ms',
    baseline: `its two reads in raw SQL p95 ${fmt(rawReadsP95)} ms`,
    note: `the first call after a symbol was added (that symbol read, ${SYMBOL_COUNT_TEXT} symbols listed), median ${fmt(percentile(afterAdd, 50))} ms, ${afterAdd.length} changes; reported, no target`,
  });
}

/**
 * From a unit's end (its unit_completed event's `at`: the settle transaction's start, a few ms
 * before its commit, so this errs high) to the SSE client holding the event. Beside it: a bare
 * NOTIFY-to-LISTEN round trip on the same server, the transport's floor.
 */
async function benchProgressLatency(client: Client, sql: postgres.Sql, report: Report): Promise<void> {
  const symbols = Array.from({ length: 40 }, (_, i) => `SSE${i}-USD`);
  const created = await client.backfill.create.mutate({
    symbols,
    timeframes: ['1h'],
    start_date: '2024-01-01',
    end_date: '2024-01-30',
  });
  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const sub = client.backfill.onProgress.subscribe(
      { jobId: created.job_id },
      {
        onData: (raw) => {
          const received = Date.now();
          const data = raw as unknown as ProgressMessage | { id: string; data: ProgressMessage };
          const msg = 'data' in data && 'id' in data ? data.data : (data as ProgressMessage);
          if (msg.type === 'event' && msg.event.kind === 'unit_completed') {
            latencies.push(received - Date.parse(msg.event.at));
          }
        },
        onComplete: () => resolve(),
        onError: (err) => {
          sub.unsubscribe();
          reject(err);
        },
      },
    );
    setTimeout(() => {
      sub.unsubscribe();
      reject(new Error('The progress subscription did not end within 120 s'));
    }, 120_000).unref();
  });
  const floor: number[] = [];
  const channel = 'bench_latency';
  let wake: (() => void) | null = null;
  const listener = await sql.listen(channel, () => wake?.());
  for (let i = 0; i < 40; i++) {
    const got = new Promise<void>((r) => {
      wake = r;
    });
    const t0 = performance.now();
    await sql`select pg_notify(${channel}, 'x')`;
    await got;
    floor.push(performance.now() - t0);
  }
  await listener.unlisten();
  const p95 = percentile(latencies, 95);
  report.add({
    name: 'progress_event_latency_p95_ms',
    value: p95,
    unit: 'ms',
    baseline: `bare NOTIFY->LISTEN p95 ${fmt(percentile(floor, 95))} ms`,
    target: '< 100',
    ok: p95 < 100 && latencies.length === symbols.length,
    note: `${latencies.length} unit_completed events of a ${symbols.length}-unit job, event 'at' to SSE client (tRPC httpSubscriptionLink + eventsource), median ${fmt(percentile(latencies, 50))} ms`,
  });
}
