/**
 * The clock guard: runs the time-sensitive tests again with the clock of every process under test
 * moved to awkward instants, so a test whose expectations come from the wall clock (today, "the
 * last N days", the weekday, a holiday, a DST change) fails here whatever hour CI happens to run.
 *
 * Each instant is reached through libfaketime (a relative offset, so every process shares one
 * shifted clock). Vitest runs the listed files on PGlite only: libfaketime shifts the processes we
 * start, and an embedded PGlite lives inside them, but a Postgres server would keep the real clock.
 * Playwright runs the listed specs against a server under the same offset, with the browser's
 * clock installed at the same instant (e2e/fixtures.ts).
 *
 *   pnpm test:clock                 every instant, Vitest and Playwright
 *   pnpm test:clock --only vitest   (or playwright) one half
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { faketimeEnv } from './faketime';

interface Instant {
  at: string;
  why: string;
  /** Whether the Playwright specs run at this instant too (they take longer). */
  browser: boolean;
}

export const INSTANTS: Instant[] = [
  { at: '2026-11-30T07:00:00Z', why: 'a Monday at 07:00 UTC, before the US open', browser: true },
  { at: '2026-11-28T15:00:00Z', why: 'a Saturday afternoon', browser: false },
  {
    at: '2026-11-27T18:30:00Z',
    why: 'the day after Thanksgiving, 30 minutes after its 13:00 ET early close',
    browser: true,
  },
  { at: '2026-03-08T07:30:00Z', why: 'the Sunday US clocks spring forward, just after the change', browser: false },
  { at: '2026-12-31T23:55:00Z', why: "New Year's Eve, five minutes before midnight UTC", browser: false },
];

/** Vitest files whose code reads "now": calendars, providers' open bars, coverage, status, scheduling, default ranges. */
export const VITEST_FILES = [
  'packages/calendar/src',
  'packages/providers/src/synthetic.test.ts',
  'packages/providers/src/binance.test.ts',
  'packages/providers/src/polygon.test.ts',
  'packages/providers/src/csv.test.ts',
  'packages/providers/src/yahoo.test.ts',
  'packages/providers/src/ccxt.test.ts',
  'apps/server/src/backfill/engine.test.ts',
  'apps/server/src/backfill/providers-backfill.test.ts',
  'apps/server/src/backfill/closed-bars',
  'apps/server/src/backfill/sessions-backfill.test.ts',
  'apps/server/src/actions',
  'apps/server/src/enrichment',
  'apps/server/src/queries',
  'apps/server/src/rest',
  'apps/server/src/scheduler',
  'apps/server/src/config.test.ts',
  'apps/server/src/alerts/conditions.test.ts',
];

/** Specs whose counts or defaults depend on the date. */
export const PLAYWRIGHT_SPECS = [
  'e2e/asset.spec.ts',
  'e2e/backfill.spec.ts',
  'e2e/validation.spec.ts',
  'e2e/symbols.spec.ts',
  'e2e/smoke.spec.ts',
];

function run(what: string, command: string, args: string[], env: NodeJS.ProcessEnv): boolean {
  console.log(`\n--- clock guard: ${what}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.error) console.error(result.error.message);
  return result.status === 0;
}

function main(): void {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'vitest' && only !== 'playwright') {
    throw new Error(`--only takes vitest or playwright (got "${only}")`);
  }
  if (only !== 'vitest' && !existsSync('apps/web/dist/index.html')) {
    if (!run('building the dashboard', 'pnpm', ['build'], process.env)) process.exit(1);
  }
  const failed: string[] = [];
  for (const instant of INSTANTS) {
    const offsetSeconds = Math.round((Date.parse(instant.at) - Date.now()) / 1000);
    const label = `${instant.at} (${instant.why})`;
    if (only !== 'playwright') {
      const env: NodeJS.ProcessEnv = { ...process.env, ...faketimeEnv(offsetSeconds), TEST_ENGINES: 'pglite' };
      delete env.DATABASE_URL;
      if (!run(`Vitest at ${label}, PGlite`, 'pnpm', ['vitest', 'run', ...VITEST_FILES], env)) {
        failed.push(`Vitest at ${label}`);
      }
    }
    if (only !== 'vitest' && instant.browser) {
      // The runner keeps the real clock (Chromium does not run under libfaketime); the specs'
      // clock, the server and the page's clock take the offset.
      const env = { ...process.env, E2E_CLOCK_OFFSET_S: String(offsetSeconds), E2E_PORT: '3290' };
      if (!run(`Playwright at ${label}`, 'pnpm', ['playwright', 'test', ...PLAYWRIGHT_SPECS], env)) {
        failed.push(`Playwright at ${label}`);
      }
    }
  }
  if (failed.length > 0) {
    console.error(`\nclock guard FAILED:\n${failed.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`\nclock guard: every time-sensitive test passed at ${INSTANTS.length} instants`);
}

main();
