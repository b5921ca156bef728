import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild } from './testing/child-process';

/** `main.ts` as `pnpm start` runs it; resolves with its URL once it prints one. */
async function startMain(dir: string) {
  const child = startChild('server', { PGLITE_DIR: dir, PORT: '0', LOG_LEVEL: 'info', SEED_DEMO: 'true' });
  const m = await child.waitFor(/Candlebase dashboard: (http:\/\/\S+)/, 60_000);
  // The log lines of the start sequence may reach the pipe after the banner.
  await child.waitFor(/worker \S+: \d+ units at a time/, 10_000);
  return { child, url: m[1] ?? '' };
}

describe('the server process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on a fresh PGlite folder, reports its health, and stops cleanly on SIGTERM', async () => {
    const { child, url } = await startMain(dir);
    try {
      expect(child.output()).toContain('database: embedded PGlite in');
      expect(child.output()).toMatch(/migrations: [1-9]\d* applied/);
      expect(child.output()).toContain('seeded the demo watchlist: 30 symbols');
      const res = await fetch(`${url}/trpc/system.health`);
      const health = (
        (await res.json()) as {
          result: { data: { database: { engine: string; migration: string }; uptime_s: number } };
        }
      ).result.data;
      expect(health.database.engine).toBe('pglite');
      expect(health.database.migration).toMatch(/^\d{4}_/);
      expect(health.uptime_s).toBeGreaterThanOrEqual(0);
    } finally {
      expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    }
  });

  it('restarts on the same folder with nothing to migrate or seed, and stops on SIGINT', async () => {
    const { child, url } = await startMain(dir);
    try {
      expect(child.output()).toContain('migrations: 0 applied');
      expect(child.output()).not.toContain('seeded the demo watchlist');
      const symbols = (await (await fetch(`${url}/trpc/symbols.list`)).json()) as {
        result: { data: { symbol: string }[] };
      };
      expect(symbols.result.data.map((r) => r.symbol)).toContain('AAPL');
    } finally {
      expect(await child.kill('SIGINT')).toEqual({ code: 0, signal: null });
    }
  });
});
