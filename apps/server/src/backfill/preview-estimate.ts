import type { MarketDataProvider, RequestPlan } from '@candlebase/providers';

export interface ProviderLoad {
  provider: MarketDataProvider | undefined;
  requests: number;
  bars: number;
}

/** The requests a provider sends for a range: its own paging, else a request per 1,000 bars. */
export function requestsFor(provider: MarketDataProvider | undefined, plan: RequestPlan): number {
  return provider?.planRequests?.(plan) ?? Math.max(1, Math.ceil(plan.bars / 1000));
}

/** Adds requests and bars to a provider's running load, kept by provider name. */
export function addLoad(
  loads: Map<string, ProviderLoad>,
  name: string,
  provider: MarketDataProvider | undefined,
  work: { requests: number; bars: number },
): void {
  const load = loads.get(name) ?? { provider, requests: 0, bars: 0 };
  load.requests += work.requests;
  load.bars += work.bars;
  loads.set(name, load);
}

/**
 * Throughput figures behind the estimate. Writes: the engine stores about 300,000 bars a second
 * here (bench `ingest_vs_copy_ratio`); a third of that leaves room for a busier machine. A remote
 * provider's answer takes about a quarter of a second; local sources (synthetic, csv) none.
 */
export const WRITE_BARS_PER_SECOND = 100_000;
export const REMOTE_REQUEST_SECONDS = 0.25;
/**
 * A spend counts from its answer (see `Spend.settle`), and a unit takes its next request only once
 * it has written the page before: each wait for the window is this much longer than the window
 * (measured here: 0.1 to 0.15 s a wait, with Postgres and PGlite alike).
 */
export const WAIT_OVERHEAD_SECONDS = 0.1;

/**
 * How long a provider's requests take under its shared quota: what the window still allows goes
 * at once, then `limit` more each window (plus the margin the budget keeps), so N requests at 5 a
 * minute from an idle key take (ceil(N / 5) - 1) minutes and a little. Requests already spent in the window
 * by other jobs count first.
 */
async function quotaSeconds(provider: MarketDataProvider, requests: number): Promise<number> {
  const budget = provider.budgets?.[0];
  if (!budget || requests === 0) return 0;
  const { spec } = budget;
  const limit = Math.max(1, Math.floor(spec.limit * (spec.usable ?? 1)));
  const used = await budget
    .usage()
    .then((u) => u.used)
    .catch(() => 0);
  const beyond = requests + Math.min(used, limit) - limit;
  if (beyond <= 0) return 0;
  return Math.ceil(beyond / limit) * ((spec.windowMs + (spec.marginMs ?? 0)) / 1000 + WAIT_OVERHEAD_SECONDS);
}

/**
 * Seconds until every unit has run: providers are fetched side by side, so the slowest sets the
 * pace. Each is bound by its quota or by its answers (`concurrency` units at once), whichever is
 * longer, plus writing its bars.
 */
export async function estimateSeconds(loads: readonly ProviderLoad[], concurrency: number): Promise<number> {
  let slowest = 0;
  for (const { provider, requests, bars } of loads) {
    if (!provider) continue;
    const remote = (provider.budgets?.length ?? 0) > 0;
    const answers = remote ? (requests * REMOTE_REQUEST_SECONDS) / Math.max(1, concurrency) : 0;
    const seconds = Math.max(await quotaSeconds(provider, requests), answers) + bars / WRITE_BARS_PER_SECOND;
    slowest = Math.max(slowest, seconds);
  }
  return Math.round(slowest * 10) / 10;
}
