import type { ProviderBudget } from '@candlebase/contracts';
import type { MarketDataProvider } from '@candlebase/providers';

/**
 * What `system.health` says of each request budget the provider spends. A budget that cannot be
 * read (the database is down) is left out rather than shown as unused; the database's own
 * status already says why.
 */
export async function providerBudgets(provider: MarketDataProvider): Promise<ProviderBudget[]> {
  const usages = await Promise.all((provider.budgets ?? []).map((b) => b.usage().catch(() => null)));
  return usages.flatMap((u) =>
    u === null
      ? []
      : [
          {
            name: u.provider,
            unit: u.unit,
            budget_per_minute: u.limit,
            used_last_minute: u.used,
            window_ms: u.windowMs,
            paused_until: u.pausedUntil === null ? null : new Date(u.pausedUntil).toISOString(),
            shared: u.shared,
          },
        ],
  );
}
