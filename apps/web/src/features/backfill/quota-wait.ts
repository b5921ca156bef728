import type { QuotaWaitInfo } from '@candlebase/contracts';

/** "polygon" -> "Polygon"; a compound name (ccxt:coinbase) stays as the server spells it. */
function providerLabel(provider: string): string {
  return /^[a-z]+$/.test(provider) ? provider[0]?.toUpperCase() + provider.slice(1) : provider;
}

/**
 * "Waiting for Polygon's quota for 12 s, about 40 s more": how long the job's unit has waited, and
 * the wait the shared quota expects (whole seconds, never below 1 while it waits).
 */
export function quotaWaitText(wait: QuotaWaitInfo, now: number): string {
  const waited = Math.max(0, Math.round((now - Date.parse(wait.since)) / 1000));
  const left = Math.max(1, Math.ceil((Date.parse(wait.until) - now) / 1000));
  return `Waiting for ${providerLabel(wait.provider)}'s quota for ${waited} s, about ${left} s more`;
}
