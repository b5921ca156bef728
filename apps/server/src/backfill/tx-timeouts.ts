import type { Executor } from '@candlebase/db';
import { sql } from 'drizzle-orm';

/** Limits on one worker transaction, so a worker frozen inside one (SIGSTOP, a VM pause) lets go. */
export interface TxTimeouts {
  /** A statement that runs (or waits for the client's COPY data) longer is cancelled. */
  statementMs: number;
  /** A transaction left idle (or aborted) longer is ended by the server, its locks with it. */
  idleMs: number;
  /** A statement waits this long for another's lock, then fails (and its unit retries). */
  lockMs: number;
}

/**
 * Chosen against the lease L. A frozen worker renewed its lease at most L/3 before it froze, so
 * the lease runs out at least 2L/3 after; its statement is cancelled at most L/3 after it began
 * and its aborted transaction ended L/3 later: the locks die before or with the lease, and the
 * worker that takes the unit over does not wait on them. Floors (3 s, 1 s) keep a slow page on a
 * busy machine from being cancelled when leases are very short (tests); the lock wait covers both.
 */
export function timeoutsForLease(leaseSeconds: number): TxTimeouts {
  const third = Math.ceil((leaseSeconds * 1000) / 3);
  const statementMs = Math.max(3000, third);
  const idleMs = Math.max(1000, third);
  return { statementMs, idleMs, lockMs: statementMs + idleMs + 1000 };
}

/** The application_name a transaction writing for one claim carries, so a stale one can be found. */
export function claimTag(unit: { id: number; attempt: number }): string {
  return `candlebase-unit:${unit.id}:${unit.attempt}`;
}

/**
 * Applies `timeouts` to the current transaction only (SET LOCAL: fine behind PgBouncer too), and
 * names it after the claim it writes for (see reap-stale.ts).
 */
export async function limitTransaction(
  tx: Executor,
  timeouts: TxTimeouts | null | undefined,
  claim?: { id: number; attempt: number },
): Promise<void> {
  if (!timeouts) return;
  await tx.execute(sql`select
    set_config('statement_timeout', ${`${timeouts.statementMs}ms`}, true),
    set_config('idle_in_transaction_session_timeout', ${`${timeouts.idleMs}ms`}, true),
    set_config('lock_timeout', ${`${timeouts.lockMs}ms`}, true),
    set_config('application_name', ${claim ? claimTag(claim) : 'candlebase-worker'}, true)`);
}
