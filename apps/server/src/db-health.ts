import { type Database, migrationVersion } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { ReadRouting } from './read-routing';
import { redactSecrets } from './security/redact';

export interface ReplicaHealth {
  ok: boolean;
  lagMs: number | null;
  lastError: string | null;
}

function messageOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return redactSecrets(cause instanceof Error ? cause.message : String(cause));
}

/** Pings the database on a timer and remembers outages and recoveries, for `system.health`. */
export class DatabaseHealth {
  ok = true;
  latencyMs: number | null = null;
  lastError: string | null = null;
  lastOutageAt: Date | null = null;
  recoveredAt: Date | null = null;
  migration: string | null = null;
  /** The read replica's state; null without one. */
  replica: ReplicaHealth | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    /** Told when the replica stops or starts answering, so reads leave it meanwhile. */
    private readonly reads?: ReadRouting,
  ) {}

  async check(): Promise<void> {
    await Promise.all([this.checkPrimary(), this.checkReplica()]);
  }

  private async checkReplica(): Promise<void> {
    const replica = this.database.replica;
    if (!replica) return;
    try {
      this.replica = { ok: true, lagMs: await replica.lagMs(), lastError: null };
    } catch (err) {
      this.replica = { ok: false, lagMs: null, lastError: messageOf(err) };
    }
    if (this.reads) this.reads.replicaDown = !this.replica.ok;
  }

  private async checkPrimary(): Promise<void> {
    const t0 = performance.now();
    try {
      await this.database.db.execute(sql`select 1`);
      this.latencyMs = Math.round((performance.now() - t0) * 10) / 10;
      if (!this.ok) this.recoveredAt = new Date();
      this.ok = true;
      this.migration = await migrationVersion(this.database);
    } catch (err) {
      this.lastError = messageOf(err);
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
