import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const ENTRY = { server: 'apps/server/src/main.ts', worker: 'apps/server/src/worker-main.ts' } as const;
const WATCHDOG = fileURLToPath(new URL('./exit-with-parent.ts', import.meta.url));

export type ChildKind = keyof typeof ENTRY;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly kind: ChildKind;
  readonly pid: number;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** The first match of `pattern` in the output; throws after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<ChildExit>;
  /** Sends `signal` and waits (bounded) for the exit. */
  kill(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ChildExit>;
}

const live = new Set<ChildProcess>();
// A test that throws before its cleanup must not leave servers running against a dropped database.
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** SIGKILLs every process this test file started that is still running, and waits (bounded) for each to go. */
export async function killAllChildren(timeoutMs = 10_000): Promise<void> {
  const waits = [...live].map(
    (p) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        p.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        p.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

/**
 * Starts a real Candlebase process (`main.ts` or `worker-main.ts`) with only the given environment
 * on top of PATH and HOME, so nothing of the test runner's own settings (its DATABASE_URL above
 * all) leaks in. One node process runs tsx in-process, so SIGKILL kills the whole server; and the
 * server exits by itself when this process dies before its cleanup (see exit-with-parent.ts).
 */
export function startChild(kind: ChildKind, env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', WATCHDOG, ENTRY[kind]], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NODE_NO_WARNINGS: '1',
      SEED_DEMO: 'false',
      SCHEDULER_ENABLED: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`Could not start the ${kind} process`);
  live.add(proc);
  let text = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of watchers) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  let exit: ChildExit | null = null;
  // 'close' comes after the output streams ended, so nothing written before the exit is missed.
  const exited = new Promise<ChildExit>((resolve) => {
    proc.once('close', (code, signal) => {
      live.delete(proc);
      exit = { code, signal };
      resolve(exit);
      for (const w of watchers) w();
    });
  });

  return {
    kind,
    pid,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.match(pattern);
          const ended = exit;
          if (m) finish(() => resolve(m));
          else if (ended)
            finish(() =>
              reject(new Error(`The ${kind} process exited (${describeExit(ended)}) before ${pattern}:\n${text}`)),
            );
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`No ${pattern} from the ${kind} within ${timeoutMs} ms:\n${text}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          watchers.delete(check);
          settle();
        };
        watchers.add(check);
        check();
      });
    },
    async kill(signal = 'SIGKILL', timeoutMs = 10_000) {
      if (exit) return exit;
      proc.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          proc.kill('SIGKILL');
          reject(new Error(`The ${kind} process did not exit within ${timeoutMs} ms of ${signal}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function describeExit(e: ChildExit): string {
  return e.signal ? `signal ${e.signal}` : `code ${e.code}`;
}

/** A worker-only process, resolved once it has started its worker; returns the worker id too. */
export async function startWorker(databaseUrl: string, env: Record<string, string> = {}) {
  const child = startChild('worker', {
    DATABASE_URL: databaseUrl,
    WORKER_CONCURRENCY: '2',
    WORKER_LEASE_SECONDS: '2',
    LOG_LEVEL: 'info',
    ...env,
  });
  const m = await child.waitFor(/"msg":"worker (\S+): \d+ units at a time/, 30_000);
  return { child, workerId: m[1] ?? '' };
}

/** An API server with its in-process worker on a free port, resolved once it listens. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}) {
  const child = startChild('server', {
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    WORKER_CONCURRENCY: '2',
    WORKER_LEASE_SECONDS: '2',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const m = await child.waitFor(/Candlebase dashboard: (http:\/\/\S+)/, 30_000);
  return { child, url: m[1] ?? '' };
}
