import { AsyncLocalStorage } from 'node:async_hooks';

/** Told when a take must wait for a provider's quota, and when the wait is over. */
export interface QuotaWaitListener {
  /** `since` and `until` on the budget's clock (epoch ms): the expected end of this wait. */
  waiting(provider: string, since: number, until: number): Promise<void>;
  done(provider: string): Promise<void>;
}

/**
 * The unit a provider's request is made for. Providers take from their budget deep inside their
 * own paging and retry code and know nothing of units; the worker runs a unit's fetch inside
 * `withQuotaWaits`, and the shared budget finds the unit's listener here, with no provider
 * threading it through every request.
 */
const current = new AsyncLocalStorage<QuotaWaitListener>();

export function withQuotaWaits<T>(listener: QuotaWaitListener, run: () => Promise<T>): Promise<T> {
  return current.run(listener, run);
}

export function quotaWaitListener(): QuotaWaitListener | undefined {
  return current.getStore();
}
