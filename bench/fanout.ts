import { startServerProcess } from './api';
import { startChild } from './lib/child';
import { fmt, percentile, type Report } from './lib/report';
import { createScratchDb } from './lib/scratch-db';

const SUBSCRIBERS = 1000;
const SYMBOLS = Array.from({ length: 60 }, (_, i) => `FAN${i}-USD`);

/** Starts a job and returns its id. */
async function startJob(url: string, tag: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/backfill`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      symbols: SYMBOLS.map((s) => `${tag}${s}`),
      timeframes: ['5m'],
      start_date: '2024-01-01',
      end_date: '2024-01-30',
    }),
  });
  if (res.status !== 200) throw new Error(`creating the bench job answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { job_id: string }).job_id;
}

/** system.health (one database round trip) every 50 ms until `done` settles. */
async function healthWhile(url: string, done: Promise<unknown>): Promise<number[]> {
  let over = false;
  void done.finally(() => {
    over = true;
  });
  const times: number[] = [];
  while (!over) {
    const t0 = performance.now();
    const res = await fetch(`${url}/trpc/system.health`);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

async function jobDone(url: string, jobId: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/api/v1/backfill/status/${jobId}`);
    const s = (await res.json()) as { status: string };
    if (['completed', 'failed', 'cancelled'].includes(s.status)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * `system.health` while a 60-unit job runs with 1,000 SSE subscribers on it (each on its own
 * connection, over real HTTP to a server process, from a third process), beside the same job
 * with none.
 */
export async function benchFanout(baseUrl: string, report: Report): Promise<void> {
  const scratch = await createScratchDb(baseUrl, 'fanout');
  const server = await startServerProcess(scratch.url, { BACKFILL_RATE_PER_MINUTE: '1000' });
  try {
    const alone = await startJob(server.url, 'A');
    const baseline = await healthWhile(server.url, jobDone(server.url, alone));

    // Subscribed before the job starts running: a job that is queued behind nothing would finish first.
    const jobId = await startJob(server.url, 'B');
    const subscribers = startChild('bench/fanout-subscribers.ts', {
      FANOUT_URL: server.url,
      FANOUT_JOB: jobId,
      FANOUT_SUBSCRIBERS: String(SUBSCRIBERS),
    });
    const streams = subscribers.waitFor(/events (\[[\d,]*\])/, 300_000);
    const health = await healthWhile(server.url, streams);
    const counts = JSON.parse((await streams)[1] ?? '[]') as number[];
    const p95 = percentile(health, 95);
    report.add({
      name: 'health_p95_ms_under_1000_subscribers',
      value: p95,
      unit: 'ms',
      baseline: `the same job without subscribers p95 ${fmt(percentile(baseline, 95))} ms`,
      target: '< 100',
      ok: p95 < 100 && counts.every((n) => n === counts[0]),
      note: `${SUBSCRIBERS} SSE subscribers on one running job, each got ${counts[0]} events; system.health median ${fmt(percentile(health, 50))} ms over ${health.length} calls`,
    });
  } finally {
    await server.child.stop();
    await scratch.drop();
  }
}
