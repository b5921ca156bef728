import type { ProviderStatus } from '@candlebase/contracts';
import { describeError } from '../backfill/run-unit';
import { providerBudgets } from '../quota/budget-health';
import type { ProviderRegistry } from './registry';

/** A provider is pinged again only this long after its last answer: Polygon's free tier has 5 requests a minute. */
export const PING_EVERY_MS = 5 * 60_000;
const PING_TIMEOUT_MS = 10_000;
/** `system.health` waits this long for pings it started, then answers with what it knows. */
const HEALTH_WAIT_MS = 2_000;

interface Reach {
  ok: boolean;
  at: number;
  latencyMs: number | null;
  error: string | null;
}

/**
 * What `system.health` says of every configured provider. Reachability is the latest evidence:
 * the worker's last request to it (a page, or a network error / 5xx), or a ping. Health pings by
 * itself only providers that spend no request budget (synthetic, csv), at most every
 * PING_EVERY_MS: a dashboard polling health every few seconds must not spend Polygon's 5 requests
 * a minute. `system.pingProviders` pings every provider on demand.
 */
export class ProviderReachability {
  private readonly last = new Map<string, Reach>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: ProviderRegistry,
    private readonly clock: () => number = Date.now,
  ) {}

  /** What a request to the provider just showed: it answered (ok), or could not be reached. */
  record(name: string, ok: boolean, error: string | null = null): void {
    this.last.set(name, { ok, at: this.clock(), latencyMs: null, error: ok ? null : error });
  }

  /** With `pingAll`, every provider is pinged now (spending from its budget); otherwise only free ones, when stale. */
  async statuses(options: { pingAll?: boolean } = {}): Promise<ProviderStatus[]> {
    const started = this.registry
      .all()
      .filter((p) => options.pingAll || (p.budgets ?? []).length === 0)
      .map((p) => (options.pingAll ? this.pingNow(p.name) : this.pingIfStale(p.name)));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HEALTH_WAIT_MS);
    });
    await Promise.race([Promise.all(started), options.pingAll ? Promise.all(started) : waited]);
    clearTimeout(timer);
    return Promise.all(
      this.registry.all().map(async (p) => {
        const reach = this.last.get(p.name);
        return {
          name: p.name,
          demo: p.demo,
          default_for: this.registry.ruleFor(p.name),
          reachable: reach?.ok ?? null,
          checked_at: reach ? new Date(reach.at).toISOString() : null,
          latency_ms: reach?.latencyMs ?? null,
          error: reach?.error ?? null,
          budgets: await providerBudgets(p),
        };
      }),
    );
  }

  private pingIfStale(name: string): Promise<void> {
    const reach = this.last.get(name);
    if (reach && this.clock() - reach.at < PING_EVERY_MS) return Promise.resolve();
    return this.pingNow(name);
  }

  private pingNow(name: string): Promise<void> {
    let running = this.inFlight.get(name);
    if (!running) {
      running = this.ping(name).finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, running);
    }
    return running;
  }

  private async ping(name: string): Promise<void> {
    const provider = this.registry.get(name);
    if (!provider) return;
    const t0 = performance.now();
    const signal = AbortSignal.timeout(PING_TIMEOUT_MS);
    try {
      await provider.ping(signal);
      this.last.set(name, { ok: true, at: this.clock(), latencyMs: Math.round(performance.now() - t0), error: null });
    } catch (err) {
      const message = signal.aborted
        ? `${name} did not answer within ${PING_TIMEOUT_MS / 1000} s`
        : describeError(err).message;
      this.last.set(name, { ok: false, at: this.clock(), latencyMs: null, error: message });
    }
  }
}
