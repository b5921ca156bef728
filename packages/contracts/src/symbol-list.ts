import { z } from 'zod';
import {
  ASSET_CLASSES,
  type Coverage,
  SESSION_POLICIES,
  SYMBOL_STATUSES,
  type SymbolStatus,
  type SymbolSummary,
  symbolStatusSchema,
  symbolSummarySchema,
} from './symbols';
import { TIMEFRAME_LIST } from './timeframes';

/**
 * The watchlist's live feed: one compact snapshot, then per-symbol changes over
 * `symbols.onChanged`. A resume point is `<feed>:<n>`: the feed names one server process's
 * sequence, so a client that reconnects to another process (or after a restart) is told to
 * reload rather than handed changes from a sequence it never saw.
 */
export const symbolListSeqSchema = z
  .string({ error: 'lastEventId must be text' })
  .regex(/^[a-z0-9]{1,32}:\d{1,15}$/, 'lastEventId must be a symbol list position such as "k3x9:42"');

const ref = z.number().int().min(-1);

/**
 * `symbols.snapshot`: every symbol of `symbols.list`, column by column, about 90 bytes a symbol
 * with four timeframes against about 720 as objects. What repeats is stored once and referred to
 * by index (-1 for null): texts (exchange, currency, provider, error) in `strings`; each distinct
 * (asset class, exchange, currency, provider, session, active) in `profiles`; instants in `times`,
 * as milliseconds before `time_base` (coverage bounds are bar opens, shared by many series).
 * Enumerations are indexes into the contracts' own lists. `last_candle_at` and `records` are not
 * sent: `decodeSymbolList` derives them from the coverage exactly as the server does.
 */
export const symbolListSnapshotSchema = z.object({
  /** Where `symbols.onChanged` resumes from to follow this snapshot. */
  seq: symbolListSeqSchema,
  strings: z.array(z.string()),
  /** Epoch milliseconds (the latest `updated_at`) that `times` and `updated_at` count back from. */
  time_base: z.number().int(),
  times: z.array(z.number().int()),
  /** [ASSET_CLASSES index, exchange, currency, provider (refs into strings), SESSION_POLICIES index, active 0 or 1]. */
  profiles: z.array(z.tuple([z.number().int(), ref, ref, ref, z.number().int(), z.number().int()])),
  symbol: z.array(z.string()),
  name: z.array(z.string().nullable()),
  profile: z.array(z.number().int().min(0)),
  /** Index into SYMBOL_STATUSES. */
  status: z.array(z.number().int().min(0)),
  last_error: z.array(ref),
  /** Milliseconds before `time_base`: symbols are added one by one, so these rarely repeat. */
  updated_at: z.array(z.number().int()),
  /** One entry per timeframe of TIMEFRAME_LIST, in that order, refs into `times`; `count` null where the symbol has no such series. */
  coverage: z.array(z.object({ first: z.array(ref), last: z.array(ref), count: z.array(z.number().int().nullable()) })),
});
export type SymbolListSnapshot = z.infer<typeof symbolListSnapshotSchema>;

export const symbolsOnChangedInputSchema = z.object({
  /** The snapshot's `seq`; tRPC's httpSubscriptionLink replaces it with the last change seen on reconnect. */
  lastEventId: symbolListSeqSchema.nullish(),
});

/**
 * What `symbols.onChanged` yields, each tracked by its seq: symbols whose row changed (added
 * ones included) in full and symbols removed by name; statuses the clock alone moved (fresh to
 * stale), as pairs; or `reload` when the resume point is unknown here or too far behind, or too
 * much changed at once, after which the client fetches the snapshot again.
 */
export const symbolListChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('changed'), symbols: z.array(symbolSummarySchema), removed: z.array(z.string()) }),
  z.object({ type: z.literal('status'), changes: z.array(z.tuple([z.string(), symbolStatusSchema])) }),
  z.object({ type: z.literal('reload'), reason: z.string() }),
]);
export type SymbolListChange = z.infer<typeof symbolListChangeSchema>;

/** `last_candle_at` (the newest `last`) and `records` (every count) of a symbol, from its coverage. */
export function coverageTotals(coverage: readonly Coverage[]): { last_candle_at: string | null; records: number } {
  let last: string | null = null;
  let records = 0;
  for (const c of coverage) {
    if (c.last && (!last || c.last > last)) last = c.last;
    records += c.count;
  }
  return { last_candle_at: last, records };
}

/** Index of each distinct key, in order of first use. */
class Dictionary<K> {
  readonly values: K[] = [];
  private readonly index = new Map<string | number, number>();
  ref(key: string | number, value: K): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(key, i);
    }
    return i;
  }
}

/** The snapshot of `list` (coverage in TIMEFRAME_LIST order, as `symbols.list` gives it). */
export function encodeSymbolList(list: readonly SymbolSummary[], seq: string): SymbolListSnapshot {
  const strings = new Dictionary<string>();
  const times = new Dictionary<number>();
  const profiles = new Dictionary<[number, number, number, number, number, number]>();
  const str = (s: string | null) => (s === null ? -1 : strings.ref(s, s));
  const ms = (iso: string) => Date.parse(iso);
  // The latest change: the symbols changed most recently (and the newest bars) count from near zero.
  let base = 0;
  for (const s of list) base = Math.max(base, ms(s.updated_at));
  const time = (iso: string | null) => (iso === null ? -1 : times.ref(iso, base - ms(iso)));
  const coverage = TIMEFRAME_LIST.map(() => ({
    first: [] as number[],
    last: [] as number[],
    count: [] as (number | null)[],
  }));
  const out: SymbolListSnapshot = {
    seq,
    strings: strings.values,
    time_base: base,
    times: times.values,
    profiles: profiles.values,
    symbol: [],
    name: [],
    profile: [],
    status: [],
    last_error: [],
    updated_at: [],
    coverage,
  };
  for (const s of list) {
    const profile: [number, number, number, number, number, number] = [
      ASSET_CLASSES.indexOf(s.asset_class),
      str(s.exchange),
      str(s.currency),
      str(s.provider),
      SESSION_POLICIES.indexOf(s.session),
      s.active ? 1 : 0,
    ];
    out.symbol.push(s.symbol);
    out.name.push(s.name);
    out.profile.push(profiles.ref(profile.join(','), profile));
    out.status.push(SYMBOL_STATUSES.indexOf(s.status));
    out.last_error.push(str(s.last_error));
    out.updated_at.push(base - ms(s.updated_at));
    TIMEFRAME_LIST.forEach((tf, t) => {
      const c = s.coverage.find((x) => x.timeframe === tf);
      const column = coverage[t];
      if (!column) return;
      column.first.push(time(c?.first ?? null));
      column.last.push(time(c?.last ?? null));
      column.count.push(c ? c.count : null);
    });
  }
  return out;
}

/** The rows of a snapshot, field for field as `symbols.list` gives them. */
export function decodeSymbolList(snap: SymbolListSnapshot): SymbolSummary[] {
  const str = (i: number | undefined): string | null => (i === undefined || i < 0 ? null : (snap.strings[i] ?? null));
  const isoTimes = snap.times.map((t) => new Date(snap.time_base - t).toISOString());
  const time = (i: number | undefined): string | null => (i === undefined || i < 0 ? null : (isoTimes[i] ?? null));
  const rows: SymbolSummary[] = new Array(snap.symbol.length);
  for (let i = 0; i < snap.symbol.length; i++) {
    const coverage: Coverage[] = [];
    TIMEFRAME_LIST.forEach((timeframe, t) => {
      const column = snap.coverage[t];
      const count = column?.count[i];
      if (column == null || count == null) return;
      coverage.push({ timeframe, first: time(column.first[i]), last: time(column.last[i]), count });
    });
    const [asset, exchange, currency, provider, session, active] = snap.profiles[snap.profile[i] ?? 0] ?? [];
    rows[i] = {
      symbol: snap.symbol[i] ?? '',
      name: snap.name[i] ?? null,
      asset_class: ASSET_CLASSES[asset ?? 0] ?? 'equity',
      exchange: str(exchange),
      currency: str(currency),
      provider: str(provider),
      session: SESSION_POLICIES[session ?? 0] ?? 'regular',
      active: active === 1,
      status: SYMBOL_STATUSES[snap.status[i] ?? 0] ?? 'no_data',
      coverage,
      ...coverageTotals(coverage),
      last_error: str(snap.last_error[i]),
      updated_at: new Date(snap.time_base - (snap.updated_at[i] ?? 0)).toISOString(),
    };
  }
  return rows;
}

/** `list` with a change applied: changed rows replaced or added (kept in symbol order), removed ones gone. */
export function applySymbolChange(
  list: readonly SymbolSummary[],
  change: { symbols: readonly SymbolSummary[]; removed: readonly string[] },
): SymbolSummary[] {
  const changed = new Map(change.symbols.map((s) => [s.symbol, s]));
  const removed = new Set(change.removed);
  const next: SymbolSummary[] = [];
  for (const s of list) {
    if (removed.has(s.symbol)) continue;
    const update = changed.get(s.symbol);
    next.push(update ?? s);
    changed.delete(s.symbol);
  }
  if (changed.size === 0) return next;
  next.push(...changed.values());
  return next.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

/** `list` with statuses the clock moved. */
export function applyStatusChange(
  list: readonly SymbolSummary[],
  changes: readonly (readonly [string, SymbolStatus])[],
): SymbolSummary[] {
  const status = new Map(changes);
  return list.map((s) => {
    const next = status.get(s.symbol);
    return next && next !== s.status ? { ...s, status: next } : s;
  });
}
