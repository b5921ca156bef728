import type {
  AlertList,
  actionsInputSchema,
  BackfillCreated,
  BackfillJob,
  BackfillPreview,
  BackfillRequest,
  BackfillStatus,
  CandlesPage,
  Checks,
  CorporateAction,
  CoverageMap,
  candlesListInputSchema,
  coverageMapInputSchema,
  EnrichmentCoverage,
  EnrichmentFeatures,
  EnrichmentFillGaps,
  enrichmentCoverageInputSchema,
  enrichmentFeaturesInputSchema,
  Health,
  Metrics,
  onProgressInputSchema,
  ProgressMessage,
  SymbolListChange,
  SymbolListSnapshot,
  SymbolLookup,
  SymbolRemoveResult,
  SymbolSummary,
  symbolAddInputSchema,
  Watchlist,
} from '@candlebase/contracts';
import type { TrackedEnvelope } from '@trpc/server';
import type { z } from 'zod';

/**
 * What the routers call, by feature. The server builds it from its context (apps/server/src/api-services.ts);
 * the routers only validate and delegate, so this package needs neither the database nor the engine.
 * Services throw the domain's errors (`DomainError` in contracts); the tRPC middleware maps them.
 */
export interface ApiServices {
  alerts: {
    /** The newest alerts, with where each one's webhook delivery stands. */
    recent(limit: number): Promise<AlertList>;
  };
  system: {
    health(pingAll: boolean): Promise<Health>;
    metrics(): Promise<Metrics>;
    /** "Run Checks", rate-limited per client. */
    checks(client: string): Promise<Checks>;
  };
  symbols: {
    list(): Promise<SymbolSummary[]>;
    /** The list column by column, with the position to follow changes from. */
    snapshot(): Promise<SymbolListSnapshot>;
    /** Changes after `lastEventId` (tracked by position), then the live tail; ends on shutdown. */
    changes(
      lastEventId: string | null | undefined,
      signal: AbortSignal | undefined,
    ): AsyncIterable<TrackedEnvelope<SymbolListChange>>;
    get(symbol: string): Promise<SymbolSummary>;
    add(input: z.output<typeof symbolAddInputSchema>): Promise<SymbolSummary>;
    setProvider(symbol: string, provider: string): Promise<SymbolSummary>;
    /** Candles and their summaries go too unless `keepCandles`. */
    remove(symbol: string, keepCandles?: boolean): Promise<SymbolRemoveResult>;
    /** A ticker change: the symbol and all stored under it move to `to` in one transaction. */
    rename(symbol: string, to: string): Promise<SymbolSummary>;
    /** What the provider the symbol would be fetched from says of it; sends one request at most. */
    lookup(symbol: string, assetClass: z.output<typeof symbolAddInputSchema>['asset_class']): Promise<SymbolLookup>;
  };
  watchlists: {
    list(): Promise<Watchlist[]>;
    create(name: string): Promise<Watchlist>;
    rename(id: number, name: string): Promise<Watchlist>;
    /** The list only; its symbols stay. */
    remove(id: number): Promise<{ id: number }>;
    addSymbols(id: number, symbols: string[]): Promise<Watchlist>;
    removeSymbols(id: number, symbols: string[]): Promise<Watchlist>;
  };
  candles: {
    list(input: z.output<typeof candlesListInputSchema>): Promise<CandlesPage>;
    actions(symbol: z.output<typeof actionsInputSchema>['symbol']): Promise<CorporateAction[]>;
  };
  enrichment: {
    features(input: z.output<typeof enrichmentFeaturesInputSchema>): Promise<EnrichmentFeatures>;
    coverage(input: z.output<typeof enrichmentCoverageInputSchema>): Promise<EnrichmentCoverage>;
    fillGaps(input: z.output<typeof enrichmentCoverageInputSchema>): Promise<EnrichmentFillGaps>;
    coverageMap(input: z.output<typeof coverageMapInputSchema>): Promise<CoverageMap>;
  };
  backfill: {
    create(input: BackfillRequest, client: string): Promise<BackfillCreated>;
    /** What `create` would fetch, creating nothing. */
    preview(input: BackfillRequest): Promise<BackfillPreview>;
    status(jobId: string): Promise<BackfillStatus>;
    recent(limit: number): Promise<BackfillJob[]>;
    cancel(jobId: string): Promise<BackfillJob>;
    retry(jobId: string): Promise<BackfillJob>;
    /** Throws NotFoundError for an unknown job before any message is sent. */
    assertJob(jobId: string): Promise<void>;
    /** Snapshot, then every event after `lastEventId` (tracked by id), then the live tail; ends with the job. */
    progress(
      input: z.output<typeof onProgressInputSchema>,
      signal: AbortSignal | undefined,
    ): AsyncIterable<ProgressMessage | TrackedEnvelope<ProgressMessage>>;
  };
}
