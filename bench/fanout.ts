import { startServerProcess } from './api';
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

/** One SSE subscriber over plain fetch: resolves with the number of events once the server ends the stream. */
async function subscribe(url: string, jobId: string): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ jobId }));
  const res = await fetch(`${url}/trpc/backfill.onProgress?input=${input}`, {
    headers: { accept: 'text/event-stream' },
  });
  if (!res.body) return 0;
  let events = 0;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    events += (decoder.decode(chunk, { stream: true }).match(/^id: /gm) ?? []).length;
  }
  return events;
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
 * connection, over real HTTP to a server process), beside the same job with none.
 */
export async function benchFanout(baseUrl: string, report: Report): Promise<void> {
  const scratch = await createScratchDb(baseUrl, 'fanout');
  const server = await startServerProcess(scratch.url, { BACKFILL_RATE_PER_MINUTE: '1000' });
  try {
    const alone = await startJob(server.url, 'A');
    const baseline = await healthWhile(server.url, jobDone(server.url, alone));

    // Subscribed before the job starts running: a job that is queued behind nothing would finish first.
    const jobId = await startJob(server.url, 'B');
    const streams = Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(server.url, jobId)));
    const health = await healthWhile(server.url, streams);
    const counts = await streams;
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
