import type { Database, Db } from '@candlebase/db';

/** Clients whose last write the replica may not have yet, at most (the oldest are forgotten first). */
const MAX_PENDING_CLIENTS = 10_000;

/**
 * Which database a read goes to when there is a streaming replica (DATABASE_READ_URL). The
 * replica is a moment behind the primary, so:
 * - `forClient(client)`: the replica, unless that client wrote through this server and the
 *   replica has not replayed the write yet (the primary's WAL position after the write, compared
 *   with the replica's replay position): a client reads its own writes.
 * - The symbol list's feed reads what a NOTIFY announced from the primary, not through here: the
 *   replica may not have it yet.
 * - A job's progress is never read here: it stays on the primary (`database.db`).
 * Without a replica, or while it does not answer (see `replicaDown`), every read is the primary's.
 */
export class ReadRouting {
  /** Per client, the primary's WAL position after its latest write. */
  private readonly pending = new Map<string, string>();
  /** Set by the health check while the replica fails: reads go to the primary meanwhile. */
  replicaDown = false;
  constructor(private readonly database: Database) {}

  private get replica() {
    return this.replicaDown ? null : this.database.replica;
  }

  /** After `client` changed something: its next reads see the change. */
  async wrote(client: string): Promise<void> {
    if (!this.database.replica) return;
    const lsn = await this.database.currentLsn();
    if (lsn === null) return;
    this.pending.delete(client);
    this.pending.set(client, lsn);
    if (this.pending.size > MAX_PENDING_CLIENTS) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
  }

  /** Where a read for `client` goes. */
  async forClient(client: string): Promise<Db> {
    const replica = this.replica;
    if (!replica) return this.database.db;
    const lsn = this.pending.get(client);
    if (lsn === undefined) return replica.db;
    if (!(await this.replayed(lsn))) return this.database.db;
    if (this.pending.get(client) === lsn) this.pending.delete(client);
    return replica.db;
  }

  private async replayed(lsn: string): Promise<boolean> {
    // A replica that cannot say is one not to read from.
    return (await this.database.replica?.hasReplayed(lsn).catch(() => false)) ?? false;
  }
}
