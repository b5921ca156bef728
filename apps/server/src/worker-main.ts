import { ConfigError, loadConfig } from './config';
import { start } from './start';

/** `pnpm worker`: a worker-only process sharing the database with the API servers. */
async function main(): Promise<void> {
  const running = await start(loadConfig(), { http: false });
  const shutdown = () => void running.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `Candlebase worker could not start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
