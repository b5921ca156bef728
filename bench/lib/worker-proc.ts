import { writeFileSync } from 'node:fs';
import { type Child, sampleMemory, startChild } from './child';

/** A real `pnpm worker` process (apps/server/src/worker-main.ts) on the given database. */
export async function startWorkerProcess(databaseUrl: string, concurrency: number): Promise<Child> {
  const child = startChild('apps/server/src/worker-main.ts', {
    DATABASE_URL: databaseUrl,
    WORKER_CONCURRENCY: String(concurrency),
    SEED_DEMO: 'false',
    SCHEDULER_ENABLED: 'false',
    MARKET_DATA_PROVIDER: 'synthetic',
    LOG_LEVEL: 'info',
  });
  await child.waitFor(/"msg":"worker \S+: \d+ units at a time/, 60_000);
  return child;
}

/**
 * Measures a process's memory while `fn` runs: the kernel's peak (VmHWM, reset first where the
 * kernel lets us, so start-up does not count twice) and the highest sampled RSS.
 */
export async function withMemory<T>(
  pid: number,
  fn: () => Promise<T>,
): Promise<{ value: T; peakMb: number; maxRssMb: number }> {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not allowed here: VmHWM then includes start-up, which only makes the figure stricter.
  }
  const sampler = sampleMemory(pid, 25);
  try {
    const value = await fn();
    const mem = sampler.stop();
    return { value, peakMb: Math.max(mem.peakMb, mem.maxRssMb), maxRssMb: mem.maxRssMb };
  } catch (err) {
    sampler.stop();
    throw err;
  }
}
