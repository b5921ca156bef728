import { ConfigError, loadConfig } from './config';
import { start } from './start';

/** `pnpm start`: the API server with an in-process worker (unless WORKER_ENABLED=false). */
async function main(): Promise<void> {
  const config = loadConfig();
  const running = await start(config, { http: true });
  running.app.log.info(`Candlebase is ready: ${running.url}`);
  console.log(`\n  Candlebase dashboard: ${running.url}\n  API docs: ${running.url}/docs\n`);
  const shutdown = (signal: string) => {
    running.app.log.info(`${signal}: shutting down`);
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`Candlebase could not start: ${describe(err)}`);
  process.exit(1);
});

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') return `the port is already in use (${err.message}); set PORT to another one`;
    if (code === 'ECONNREFUSED')
      return `the database refused the connection (${err.message}); is Postgres running at DATABASE_URL?`;
    return err.message;
  }
  return String(err);
}
