import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = Number(process.env.E2E_TOKEN_PORT ?? 3211);
const TOKEN = 'e2e-secret-token';

let server: ChildProcess | undefined;
let dir = '';

/** A second server, this one with an API token, on its own fresh embedded database. */
test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'candlebase-e2e-token-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DIR: dir,
    PORT: String(PORT),
    API_TOKEN: TOKEN,
    SCHEDULER_ENABLED: 'false',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], { cwd: ROOT, env, stdio: 'ignore' });
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${PORT}/api/v1/health`).catch(() => null))?.status ?? 0, {
      timeout: 60_000,
    })
    .toBe(200);
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
  await new Promise((r) => server?.once('exit', r) ?? r(null));
  rmSync(dir, { recursive: true, force: true });
});

test('with API_TOKEN the dashboard asks for the token once, then backfills and streams progress with it', async ({
  page,
}) => {
  await page.goto(`http://127.0.0.1:${PORT}/`);
  await expect(page.getByRole('button', { name: 'AAPL', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Manual Backfill…' }).click();
  const form = page.getByRole('dialog', { name: 'Backfill', exact: true });
  await form.getByLabel('Symbols').fill('BTC-USD');
  await form.getByRole('button', { name: 'Start Backfill' }).click();

  const ask = page.getByRole('dialog', { name: 'API token' });
  await expect(ask).toBeVisible();
  await ask.getByLabel('API token').fill(TOKEN);
  await ask.getByRole('button', { name: 'Save token' }).click();
  await expect(ask).toBeHidden();

  await form.getByRole('button', { name: 'Start Backfill' }).click();
  const progress = page.getByRole('dialog', { name: 'Backfill Progress' });
  await expect(progress.getByRole('progressbar', { name: 'Backfill progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
    { timeout: 60_000 },
  );
  await expect(progress).toContainText('completed');
});
