import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface Child {
  pid: number;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point as ONE node process (tsx loaded in-process with --import), so
 * its pid is the process whose memory we read. Only PATH, HOME and `env` reach it.
 */
export function startChild(entry: string, env: Record<string, string>, extraArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...extraArgs, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NODE_NO_WARNINGS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`Could not start ${entry}`);
  live.add(proc);
  let text = '';
  let exited = false;
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > 1_000_000) text = text.slice(-500_000);
    for (const w of watchers) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const closed = new Promise<void>((resolve) =>
    proc.once('close', () => {
      exited = true;
      live.delete(proc);
      resolve();
      for (const w of watchers) w();
    }),
  );
  return {
    pid: proc.pid,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(() => reject(new Error(`No ${pattern} from ${entry} in ${timeoutMs} ms:\n${text.slice(-3000)}`))),
          timeoutMs,
        );
        const check = () => {
          const m = text.match(pattern);
          if (m) done(() => resolve(m));
          else if (exited) done(() => reject(new Error(`${entry} exited before ${pattern}:\n${text.slice(-3000)}`)));
        };
        const done = (settle: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          settle();
        };
        watchers.add(check);
        check();
      });
    },
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process, and its peak so far (VmHWM), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; the kernel's VmHWM catches what sampling misses. */
export function sampleMemory(
  pid: number,
  everyMs = 50,
): { stop(): { maxRssMb: number; peakMb: number; samples: number } } {
  let maxRss = 0;
  let peak = 0;
  let samples = 0;
  const take = () => {
    const m = memoryOf(pid);
    if (!m) return;
    samples++;
    maxRss = Math.max(maxRss, m.rssMb);
    peak = Math.max(peak, m.peakMb);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      take();
      clearInterval(timer);
      return { maxRssMb: maxRss, peakMb: peak, samples };
    },
  };
}
