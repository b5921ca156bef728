/**
 * Starts the Candlebase server for Playwright on a fresh, throw-away PGlite folder, so every run
 * begins from the seeded demo watchlist and never touches a real database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faketimeEnv } from '../scripts/faketime';
import { ALERT_SECRET, alertReceiverUrl } from './alert-receiver';
import { clockOffsetMs } from './clock';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'candlebase-e2e-'));
const uploadDir = mkdtempSync(join(tmpdir(), 'candlebase-e2e-uploads-'));

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PGLITE_DIR: dataDir,
  UPLOAD_DIR: uploadDir,
  HOST: '127.0.0.1',
  PORT: process.env.E2E_PORT ?? '3210',
  WORKER_CONCURRENCY: '2',
  MARKET_DATA_PROVIDER: 'synthetic',
  // A scheduled refresh landing mid-test would add jobs the specs do not expect.
  SCHEDULER_ENABLED: 'false',
  LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
  // e2e/alerts.spec.ts listens there while it runs: the webhook's receiver, and a Binance that
  // knows no symbol (so a job fails for real).
  ALERT_WEBHOOK_URL: `${alertReceiverUrl}/hook`,
  ALERT_WEBHOOK_SECRET: ALERT_SECRET,
  BINANCE_BASE_URL: `${alertReceiverUrl}/binance`,
};
// Under the clock guard the server lives at the shifted instant, its embedded database included.
if (clockOffsetMs !== 0) Object.assign(env, faketimeEnv(clockOffsetMs / 1000));
delete env.DATABASE_URL;
delete env.API_TOKEN;

const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
  cwd: root,
  env,
  stdio: 'inherit',
});

const cleanup = () => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(uploadDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => {
  cleanup();
  process.exit(code ?? (signal ? 0 : 1));
});
