import { type Database, migrationVersion } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import { redactSecrets } from './security/redact';

/** Pings the database on a timer and remembers outages and recoveries, for `system.health`. */
export class DatabaseHealth {
  ok = true;
  latencyMs: number | null = null;
  lastError: string | null = null;
  lastOutageAt: Date | null = null;
  recoveredAt: Date | null = null;
  migration: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly database: Database) {}

  async check(): Promise<void> {
    const t0 = performance.now();
    try {
      await this.database.db.execute(sql`select 1`);
      this.latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      if (!this.ok) this.recoveredAt = new Date();
      this.ok = true;
      this.migration = await migrationVersion(this.database);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      this.lastError = redactSecrets(cause instanceof Error ? cause.message : String(cause));
      if (this.ok) this.lastOutageAt = new Date();
      this.ok = false;
      this.latencyMs = null;
    }
  }

  start(intervalMs = 5000): void {
    this.timer ??= setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
