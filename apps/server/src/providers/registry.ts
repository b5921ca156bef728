import type { AssetClass } from '@candlebase/contracts';
import { InputError } from '@candlebase/contracts';
import type { MarketDataProvider } from '@candlebase/providers';

/** Which provider a new symbol gets: the default, unless its asset class has its own. */
export interface ProviderRule {
  default: string;
  crypto?: string | undefined;
  equity?: string | undefined;
  fx?: string | undefined;
}

/** What the server would need to offer a provider it does not have, for the sentence that refuses it. */
const HOW_TO_CONFIGURE: Record<string, string> = {
  polygon: 'set POLYGON_API_KEY',
  csv: 'set CSV_DIR to a folder of CSV files',
};

/**
 * Every provider this server can fetch from, by name, and the rule that gives a new symbol its
 * provider. Built once at start; the worker looks each unit's provider up here.
 */
export class ProviderRegistry {
  private readonly byName: Map<string, MarketDataProvider>;

  constructor(
    providers: Iterable<MarketDataProvider>,
    readonly rule: ProviderRule,
  ) {
    this.byName = new Map([...providers].map((p) => [p.name, p]));
    for (const name of [rule.default, rule.crypto, rule.equity, rule.fx]) {
      if (name !== undefined && !this.byName.has(name)) {
        throw new Error(`The provider rule names ${name}, which is not configured`);
      }
    }
  }

  /** The default provider (MARKET_DATA_PROVIDER). */
  get default(): MarketDataProvider {
    return this.require(this.rule.default);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  all(): MarketDataProvider[] {
    return this.names().map((n) => this.require(n));
  }

  get(name: string): MarketDataProvider | undefined {
    return this.byName.get(name);
  }

  /** The provider's name for a new symbol of this asset class. */
  forAssetClass(assetClass: AssetClass): string {
    const own = assetClass === 'crypto' ? this.rule.crypto : assetClass === 'fx' ? this.rule.fx : this.rule.equity;
    return own ?? this.rule.default;
  }

  /** The asset classes whose new symbols go to `name` by the rule. */
  ruleFor(name: string): AssetClass[] {
    const classes: AssetClass[] = ['equity', 'etf', 'index', 'crypto', 'fx'];
    return classes.filter((c) => this.forAssetClass(c) === name);
  }

  /** The provider called `name`, or an InputError in words naming what is available. */
  require(name: string, field = 'provider'): MarketDataProvider {
    const provider = this.byName.get(name);
    if (provider) return provider;
    throw new InputError(unavailable(name, this.names()), field);
  }
}

export function unavailable(name: string, available: readonly string[]): string {
  const how = HOW_TO_CONFIGURE[name];
  const offer = `this server offers ${available.join(', ')}`;
  if (how) return `The provider ${name} is not configured on this server (${how}); ${offer}`;
  if (name.startsWith('ccxt:')) {
    return `The provider ${name} is not configured on this server (name its exchange in CCXT_EXCHANGES); ${offer}`;
  }
  return `Unknown provider "${name.slice(0, 60)}": ${offer}`;
}
