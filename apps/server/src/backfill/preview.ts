import { calendarFor, DAY_MS } from '@candlebase/calendar';
import {
  type AssetClass,
  type BackfillPreview,
  type BackfillRequest,
  guessAssetClass,
  type SessionPolicy,
  type Timeframe,
} from '@candlebase/contracts';
import { type Executor, queryRows } from '@candlebase/db';
import type { MarketDataProvider } from '@candlebase/providers';
import { sql } from 'drizzle-orm';
import type { Config } from '../config';
import { closedBarCount } from './bar-progress';
import type { ClaimedUnit } from './claim';
import type { SettlePolicy } from './closed-bars';
import { addLoad, estimateSeconds, type ProviderLoad, requestsFor } from './preview-estimate';
import { providersOf } from './service';
import { narrowToMissing, type Range } from './skip-covered';
import { checkBackfillRequest, type SubmitDeps } from './submit';

type Item = BackfillPreview['items'][number];

async function storedIn(db: Executor, symbol: string, timeframe: Timeframe, r: Range): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from candles where symbol = ${symbol} and timeframe = ${timeframe}
        and ts >= ${new Date(r.from).toISOString()}::timestamptz and ts < ${new Date(r.to).toISOString()}::timestamptz`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The unit a job would hold, as a worker would claim it before its first page. */
function plannedUnit(
  symbol: string,
  timeframe: Timeframe,
  req: BackfillRequest,
  provider: string,
  assetClass: AssetClass,
): ClaimedUnit {
  return {
    id: 0,
    jobId: '',
    symbol,
    timeframe,
    rangeStart: Date.parse(`${req.start_date}T00:00:00Z`),
    rangeEnd: Date.parse(`${req.end_date}T00:00:00Z`) + DAY_MS,
    cursor: null,
    attempt: 1,
    attemptLimit: 1,
    provider,
    refetch: req.refetch,
    recordsInserted: 0,
    cancelRequested: false,
    assetClass,
  };
}

/**
 * A dry run of `backfill.create`: the same checks, then per unit the ranges the worker would ask
 * for (the stored, complete span skipped by the same code, skip-covered.ts), the bars the calendar
 * expects there that are not stored yet, and the requests each provider would send for them
 * (its own paging, plus the splits and dividends the job's first unit of a symbol fetches).
 * Reads only: no symbol, job or unit is created, and no provider is asked anything.
 */
/** What a preview reads: a submission's checks, without its limits, and the worker's concurrency. */
export type PreviewDeps = Omit<SubmitDeps, 'limits' | 'config'> & {
  config: SubmitDeps['config'] & Pick<Config, 'WORKER_CONCURRENCY'>;
};

export async function previewBackfill(app: PreviewDeps, req: BackfillRequest): Promise<BackfillPreview> {
  checkBackfillRequest(app, req);
  const db = app.database.db;
  const now = app.clock();
  const rule = (assetClass: AssetClass) => app.providers.forAssetClass(assetClass);
  const [byProvider, known] = await Promise.all([
    providersOf(db, req.symbols, req.provider, rule),
    queryRows<{ symbol: string; asset_class: AssetClass; session: SessionPolicy }>(
      db,
      sql`select symbol, asset_class, session from symbols where symbol = any(${sql.param(req.symbols)}::text[])`,
    ),
  ]);
  const hours = new Map(known.map((r) => [r.symbol, r]));
  const items: Item[] = [];
  const loads = new Map<string, ProviderLoad>();
  for (const symbol of req.symbols) {
    const name = byProvider.get(symbol) ?? rule(guessAssetClass(symbol));
    const provider: MarketDataProvider | undefined = app.providers.get(name);
    // A symbol not stored yet is created with a guessed class, as createBackfill does.
    const assetClass = hours.get(symbol)?.asset_class ?? guessAssetClass(symbol);
    const calendar = calendarFor(assetClass, hours.get(symbol)?.session ?? 'regular');
    let first = true;
    for (const timeframe of req.timeframes) {
      const policy: SettlePolicy = { calendar, timeframe, settleMs: provider?.settleMs ?? 0 };
      const unit = plannedUnit(symbol, timeframe, req, name, assetClass);
      const ranges = await narrowToMissing(db, unit);
      let requests = first && provider?.fetchActions ? (provider.actionRequests?.(symbol) ?? 1) : 0;
      first = false;
      const out: Item['ranges'] = [];
      for (const r of ranges) {
        const expected = closedBarCount(policy, r, now);
        const stored = expected > 0 ? await storedIn(db, symbol, timeframe, r) : 0;
        const plan = { symbol, timeframe, from: new Date(r.from), to: new Date(r.to), bars: expected };
        requests += requestsFor(provider, plan);
        out.push({
          start: new Date(r.from).toISOString(),
          end: new Date(r.to).toISOString(),
          bars: Math.max(0, expected - stored),
        });
      }
      const bars = out.reduce((n, r) => n + r.bars, 0);
      items.push({ symbol, timeframe, provider: name, ranges: out, bars, requests });
      addLoad(loads, name, provider, { requests, bars });
    }
  }
  return {
    items,
    total_bars: items.reduce((n, i) => n + i.bars, 0),
    total_requests: items.reduce((n, i) => n + i.requests, 0),
    estimated_seconds: await estimateSeconds([...loads.values()], app.config.WORKER_CONCURRENCY),
  };
}
