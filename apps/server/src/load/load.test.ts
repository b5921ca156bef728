import { readFileSync } from 'node:fs';
import type { AppRouter } from '@candlebase/api';
import type { ProgressMessage } from '@candlebase/contracts';
import { postgresAvailable } from '@candlebase/db/testing';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, finishedJob } from '../testing/backfill-checks';
import { startWorker } from '../testing/child-process';
import { type Harness, startHarness } from '../testing/harness';

const JOBS = 20;
const SYMBOLS_PER_JOB = 100;
const SUBSCRIBERS_PER_JOB = 10;
/**
 * What the jobs may take: 156 s on the CI machine, 240 s and more on a slower one of 2 cores. The
 * test is of delivery and bounds, not of speed (the bench measures that), so this is generous.
 */
const JOB_TIMEOUT_MS = 480_000;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function rssMb(pid: number | 'self'): number {
  if (pid === 'self') return process.memoryUsage().rss / 2 ** 20;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * 20 jobs of 100 symbols on Postgres, run by two worker processes, while 200 SSE subscribers
 * follow them and a client polls symbols.list. Every subscriber must see every event of its job.
 */
describe.runIf(postgresAvailable())('load on Postgres', () => {
  let h: Harness;
  let workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  beforeAll(async () => {
    h = await startHarness('postgres', {
      env: { WORKER_ENABLED: 'false', BACKFILL_RATE_PER_MINUTE: '1000', MAX_ACTIVE_JOBS: '1000' },
    });
    const url = h.test.url ?? '';
    workers = await Promise.all([
      startWorker(url, { WORKER_CONCURRENCY: '4' }),
      startWorker(url, { WORKER_CONCURRENCY: '4' }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.child.kill('SIGTERM')));
    await h?.close();
  });

  it(
    'completes every job and delivers every event to every subscriber, with bounded latency and memory',
    async () => {
      const client = createTRPCClient<AppRouter>({
        links: [
          splitLink({
            condition: (op) => op.type === 'subscription',
            true: httpSubscriptionLink({ url: `${h.url}/trpc`, EventSource }),
            false: httpBatchLink({ url: `${h.url}/trpc` }),
          }),
        ],
      });
      const started = performance.now();
      const jobIds: string[] = [];
      for (let j = 0; j < JOBS; j++) {
        const symbols = Array.from({ length: SYMBOLS_PER_JOB }, (_, i) => `L${j}X${i}-USD`);
        const created = await client.backfill.create.mutate({
          symbols,
          timeframes: ['1d'],
          start_date: '2024-01-01',
          end_date: '2024-02-29',
        });
        jobIds.push(created.job_id);
      }

      const received = new Map<string, string[][]>();
      const subscriptions = jobIds.flatMap((jobId) =>
        Array.from({ length: SUBSCRIBERS_PER_JOB }, (_, k) => {
          const ids: string[] = [];
          const list = received.get(jobId) ?? [];
          list[k] = ids;
          received.set(jobId, list);
          return new Promise<void>((resolve, reject) => {
            const sub = client.backfill.onProgress.subscribe(
              { jobId },
              {
                onData: (msg) => {
                  const data = msg as unknown as ProgressMessage | { id: string; data: ProgressMessage };
                  const m = 'data' in data && 'id' in data ? data.data : (data as ProgressMessage);
                  if (m.type === 'event') ids.push(m.event.id);
                },
                onComplete: () => resolve(),
                onError: (err) => {
                  sub.unsubscribe();
                  reject(err);
                },
              },
            );
          });
        }),
      );

      const latencies: number[] = [];
      const memory = { server: 0, workers: 0 };
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const t0 = performance.now();
          await client.symbols.list.query();
          latencies.push(performance.now() - t0);
          memory.server = Math.max(memory.server, rssMb('self'));
          memory.workers = Math.max(memory.workers, ...workers.map((w) => rssMb(w.child.pid)));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

      const statuses = await Promise.all(jobIds.map((id) => finishedJob(h.test.database.db, id, JOB_TIMEOUT_MS)));
      await Promise.all(subscriptions);
      polling = false;
      await poller;
      const seconds = (performance.now() - started) / 1000;

      expect(statuses.map((s) => s.status)).toEqual(jobIds.map(() => 'completed'));
      let delivered = 0;
      for (const jobId of jobIds) {
        const expected = (await allEvents(h.test.database.db, jobId)).map((e) => e.id);
        for (const ids of received.get(jobId) ?? []) {
          expect(ids).toEqual(expected);
          delivered += ids.length;
        }
      }
      const p95 = percentile(latencies, 95);
      console.log(
        `load: ${JOBS} jobs x ${SYMBOLS_PER_JOB} symbols in ${seconds.toFixed(1)} s; ${jobIds.length * SUBSCRIBERS_PER_JOB} subscribers received ` +
          `${delivered} events, none lost; symbols.list ${latencies.length} requests, p95 ${p95.toFixed(0)} ms; ` +
          `peak RSS server+test ${memory.server.toFixed(0)} MB, worker ${memory.workers.toFixed(0)} MB`,
      );
      // A bound on stalls, not a speed figure (the bench has those): 748 ms on the CI machine, 1.8 s
      // on 2 slower cores, where 1.5 s failed.
      expect(p95).toBeLessThan(3000);
      expect(memory.workers).toBeLessThan(400);
    },
    JOB_TIMEOUT_MS + 120_000,
  );
});
