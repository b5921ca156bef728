import { createHash } from 'node:crypto';
import type { Database } from '@candlebase/db';
import { providerQuota } from '@candlebase/db/schema';
import {
  type BudgetClock,
  type BudgetFactory,
  type BudgetSpec,
  type BudgetState,
  bookReported,
  bookSettled,
  decide,
  type RequestBudget,
  type Spend,
  usedAt,
} from '@candlebase/providers';
import { and, eq, sql } from 'drizzle-orm';
import { limitTransaction, type TxTimeouts } from '../backfill/tx-timeouts';
import { quotaWaitListener } from './quota-wait';

/** The stored form of a key: enough to tell keys apart, useless to anyone who reads the table. */
export function keyHash(spec: Pick<BudgetSpec, 'provider' | 'key'>): string {
  return createHash('sha256').update(`candlebase-quota\n${spec.provider}\n${spec.key}`).digest('hex');
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Request budgets kept in `provider_quota`, so every server and worker on the database spends one
 * count per key. A take locks the key's row (`SELECT ... FOR UPDATE`), decides with the same pure
 * function as the in-memory budget, and writes the spend back in the same transaction: two
 * takers never both see room for one request. On PGlite (one process) the same SQL just works.
 */
export function createSharedBudgets(
  database: Database,
  clock: BudgetClock = {},
  /**
   * Limits on each take's transaction (Postgres). A process frozen while it holds the key's row
   * (SIGSTOP, a paused VM) would otherwise hold every other process's requests with it.
   */
  timeouts: TxTimeouts | null = database.engine === 'postgres' ? QUOTA_TX_TIMEOUTS : null,
): BudgetFactory {
  const now = clock.now ?? Date.now;
  const sleep = clock.sleep ?? sleepFor;
  const { db } = database;

  return (spec: BudgetSpec): RequestBudget => {
    if (!Number.isInteger(spec.limit) || spec.limit < 1)
      throw new Error(`A request budget must be a whole number of at least 1, not ${spec.limit}`);
    const hash = keyHash(spec);
    const where = and(eq(providerQuota.provider, spec.provider), eq(providerQuota.keyHash, hash));
    let ensured: Promise<void> | null = null;

    /**
     * Creates the key's row once, committed before any take locks it: a row inserted inside the
     * takers' own transactions is invisible to the ones that raced it, which would each count
     * from empty.
     */
    function ensureRow(): Promise<void> {
      ensured ??= db
        .insert(providerQuota)
        .values({
          provider: spec.provider,
          keyHash: hash,
          unit: spec.unit,
          budget: spec.limit,
          windowMs: spec.windowMs,
        })
        .onConflictDoNothing()
        .then(
          () => undefined,
          (error: unknown) => {
            ensured = null;
            throw error;
          },
        );
      return ensured;
    }

    /** Locks the row and hands its state to `change`; writes back what `change` returns, if anything. */
    async function withRow<T>(
      change: (state: BudgetState, t: number) => { state?: BudgetState; value: T },
    ): Promise<T> {
      await ensureRow();
      return db.transaction(async (tx) => {
        await limitTransaction(tx, timeouts);
        const [row] = await tx.select().from(providerQuota).where(where).for('update');
        if (!row) {
          ensured = null;
          throw new Error(`The request budget row of ${spec.provider} vanished; it is created again on the next take`);
        }
        const t = now();
        const state: BudgetState = {
          sentAt: row.sentAt.map(Number),
          sentCost: row.sentCost,
          pausedUntil: row.pausedUntil?.getTime() ?? null,
        };
        const result = change(state, t);
        if (result.state) {
          await tx
            .update(providerQuota)
            .set({
              sentAt: result.state.sentAt,
              sentCost: result.state.sentCost,
              pausedUntil: result.state.pausedUntil === null ? null : new Date(result.state.pausedUntil),
              budget: spec.limit,
              windowMs: spec.windowMs,
              unit: spec.unit,
              updatedAt: new Date(t),
            })
            .where(where);
        }
        return result.value;
      });
    }

    return {
      spec,
      async take(cost, signal): Promise<Spend> {
        // The unit this request is for, if any: it shows that it waits for the quota, and how long.
        const listener = quotaWaitListener();
        let waited = false;
        for (;;) {
          signal?.throwIfAborted();
          const outcome = await withRow<{ takenAt: number } | { waitMs: number; at: number }>((state, t) => {
            const d = decide(spec, state, t, cost);
            return d.ok
              ? { state: d.state, value: { takenAt: t } }
              : { value: { waitMs: Math.max(1, d.waitMs), at: t } };
          }).catch((err: unknown) => {
            // The row's holder froze: its session ends at the idle timeout, and the row is free again.
            if (isLockTimeout(err)) return { waitMs: 50, at: now() };
            throw err;
          });
          if ('takenAt' in outcome) {
            if (waited) await listener?.done(spec.provider);
            const { takenAt } = outcome;
            let settled = false;
            return {
              async settle() {
                if (settled) return;
                settled = true;
                await withRow((state, t) => ({ state: bookSettled(spec, state, t, takenAt, cost), value: undefined }));
              },
            };
          }
          waited = true;
          await listener?.waiting(spec.provider, outcome.at, outcome.at + outcome.waitMs);
          await sleep(outcome.waitMs, signal);
        }
      },
      async pause(ms, reason) {
        await ensureRow();
        const until = new Date(now() + ms);
        // A later pause wins; a shorter one never cuts short a pause another process set.
        await db
          .update(providerQuota)
          .set({
            pausedUntil: sql`greatest(${providerQuota.pausedUntil}, ${until.toISOString()}::timestamptz)`,
            pauseReason: sql`case when ${providerQuota.pausedUntil} is null or ${providerQuota.pausedUntil} < ${until.toISOString()}::timestamptz then ${reason} else ${providerQuota.pauseReason} end`,
          })
          .where(where);
      },
      async reportUsed(used) {
        await withRow((state, t) => ({ state: bookReported(spec, state, t, used), value: undefined }));
      },
      async usage() {
        const [row] = await db.select().from(providerQuota).where(where);
        const t = now();
        const state: BudgetState = {
          sentAt: row?.sentAt.map(Number) ?? [],
          sentCost: row?.sentCost ?? [],
          pausedUntil: row?.pausedUntil?.getTime() ?? null,
        };
        const paused = state.pausedUntil !== null && state.pausedUntil > t ? state.pausedUntil : null;
        return {
          provider: spec.provider,
          unit: spec.unit,
          limit: spec.limit,
          windowMs: spec.windowMs,
          used: usedAt(spec, state, t),
          pausedUntil: paused,
          shared: true,
        };
      },
    };
  };
}

/**
 * A take's transaction is four short statements: a holder idle inside one for seconds is frozen,
 * not slow. Its session is ended after 5 s, freeing the row; a waiter gives up its wait at 10 s
 * and asks again.
 */
export const QUOTA_TX_TIMEOUTS: TxTimeouts = { statementMs: 10_000, idleMs: 5_000, lockMs: 10_000 };

function isLockTimeout(err: unknown): boolean {
  const code =
    (err as { code?: unknown; cause?: { code?: unknown } } | null)?.code ??
    (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return code === '55P03';
}
