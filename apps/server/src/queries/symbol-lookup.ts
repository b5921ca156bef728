import { type AssetClass, ConflictError, InputError, type SymbolLookup } from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import { sql } from 'drizzle-orm';
import type { ProviderRegistry } from '../providers/registry';

/** Long enough for a distant provider, short enough that the add dialog does not hang on a dead one. */
const LOOKUP_TIMEOUT_MS = 10_000;

/**
 * Asks the provider a new symbol would be fetched from whether it has it. `exists` is null when it
 * cannot tell (no lookup, or no answer): the symbol is let in, as before lookups existed.
 */
export async function lookupSymbol(
  providers: ProviderRegistry,
  symbol: string,
  assetClass: AssetClass,
  signal: AbortSignal = AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
): Promise<SymbolLookup> {
  const name = providers.forAssetClass(assetClass);
  const provider = providers.require(name);
  const base = { symbol, provider: name, demo: provider.demo, name: null };
  if (!provider.lookup) return { ...base, exists: null, message: `${name} cannot say whether a symbol exists` };
  try {
    const answer = await provider.lookup(symbol, signal);
    return { ...base, exists: answer.exists, name: answer.name ?? null, message: answer.message };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ...base, exists: null, message: `Could not check ${symbol} with ${name}: ${why}` };
  }
}

/**
 * `symbols.add`'s check: refused (422, in the provider's words) when the provider says it has no
 * such symbol, unless `force`. A symbol already present is refused first, spending no request.
 */
export async function assertAddable(
  db: Executor,
  providers: ProviderRegistry,
  input: { symbol: string; force?: boolean | undefined },
  assetClass: AssetClass,
): Promise<void> {
  const present = await queryRows(db, sql`select 1 from symbols where symbol = ${input.symbol}`);
  if (present.length > 0) throw new ConflictError(`Symbol ${input.symbol} is already in the watchlist`);
  if (input.force) return;
  const found = await lookupSymbol(providers, input.symbol, assetClass);
  if (found.exists === false) {
    throw new InputError(
      `${found.message}; check the spelling, or add it anyway if ${found.provider} is wrong`,
      'symbol',
    );
  }
}
