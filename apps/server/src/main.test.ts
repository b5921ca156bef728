import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `main.ts` as `pnpm start` would, and waits for the URL it prints. */
function startServer(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', SCHEDULER_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Candlebase dashboard: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh PGlite folder, reports its health, and stops cleanly on SIGTERM', async () => {
    const s = await startServer({ PGLITE_DIR: dir });
    expect(s.output()).toContain('database: embedded PGlite in');
    expect(s.output()).toMatch(/migrations: [1-9]\d* applied/);
    expect(s.output()).toContain('seeded the demo watchlist: 30 symbols');
    const res = await fetch(`${s.url}/trpc/system.health`);
    const health = (
      (await res.json()) as { result: { data: { database: { engine: string; migration: string }; uptime_s: number } } }
    ).result.data;
    expect(health.database.engine).toBe('pglite');
    expect(health.database.migration).toMatch(/^\d{4}_/);
    expect(health.uptime_s).toBeGreaterThanOrEqual(0);
    const exited = exitOf(s.child);
    s.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('restarts on the same folder with nothing to migrate or seed, and stops on SIGINT', async () => {
    const s = await startServer({ PGLITE_DIR: dir });
    expect(s.output()).toContain('migrations: 0 applied');
    expect(s.output()).not.toContain('seeded the demo watchlist');
    const symbols = (await (await fetch(`${s.url}/trpc/symbols.list`)).json()) as {
      result: { data: { symbol: string }[] };
    };
    expect(symbols.result.data.map((r) => r.symbol)).toContain('AAPL');
    const exited = exitOf(s.child);
    s.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
