import type { ApiServices } from '@candlebase/api';
import { guessAssetClass } from '@candlebase/contracts';
import { listActions } from './actions/store';
import { recentAlerts } from './alerts/store';
import { jobStatus } from './backfill/job-status';
import { MAX_UNIT_ATTEMPTS } from './backfill/limits';
import { previewBackfill } from './backfill/preview';
import { progressStream } from './backfill/progress-stream';
import { cancelBackfill, getJob, recentJobs, retryBackfill } from './backfill/service';
import { submitBackfill } from './backfill/submit';
import type { AppContext } from './context';
import { analyseCoverage } from './enrichment/coverage';
import { coverageMap } from './enrichment/coverage-map';
import { getFeatures } from './enrichment/features';
import { fillGaps } from './enrichment/fill-gaps';
import { listCandles } from './queries/candles';
import { symbolChanges } from './queries/symbol-changes';
import { assertAddable, lookupSymbol } from './queries/symbol-lookup';
import { renameSymbol } from './queries/symbol-rename';
import { addSymbol, getSymbol, removeSymbol, setSymbolProvider } from './queries/symbols';
import {
  addToWatchlist,
  createWatchlist,
  deleteWatchlist,
  listWatchlists,
  removeFromWatchlist,
  renameWatchlist,
} from './queries/watchlists';
import { health, metrics } from './system-status';

/**
 * The routers' services over this process's context, for one caller: the one place packages/api
 * meets the engine. Read-only calls read where `app.reads` sends this client (the replica once it
 * has the client's own writes, else the primary).
 */
export function apiServices(app: AppContext, client: string): ApiServices {
  const reads = () => app.reads.forClient(client);
  const rule = (c: Parameters<typeof app.providers.forAssetClass>[0]) => app.providers.forAssetClass(c);
  return {
    alerts: {
      recent: async (limit) => {
        const webhook = app.config.ALERT_WEBHOOK_URL !== undefined;
        return { webhook, alerts: await recentAlerts(app.database.db, limit, webhook) };
      },
    },
    system: {
      health: (pingAll) => health(app, pingAll),
      metrics: () => metrics(app, client),
      checks: async (client) => {
        app.limits.checks.hit(client);
        return app.checks.get();
      },
    },
    symbols: {
      list: async () => (await app.symbolFeed.current()).rows,
      snapshot: () => app.symbolFeed.snapshot(),
      changes: (lastEventId, signal) =>
        symbolChanges(app.symbolFeed, lastEventId, signal ? AbortSignal.any([signal, app.shutdown]) : app.shutdown),
      get: async (symbol) => getSymbol(await reads(), symbol, app.clock()),
      add: async (input) => {
        await assertAddable(app.database.db, app.providers, input, input.asset_class ?? guessAssetClass(input.symbol));
        const added = await addSymbol(app.database.db, input, guessAssetClass(input.symbol), rule, app.clock());
        app.symbolFeed.symbolChanged(input.symbol);
        return added;
      },
      setProvider: async (symbol, provider) => {
        app.providers.require(provider);
        const updated = await setSymbolProvider(app.database.db, symbol, provider, app.clock());
        app.symbolFeed.symbolChanged(symbol);
        return updated;
      },
      remove: async (symbol, keepCandles) => {
        const removed = await removeSymbol(app.database.db, symbol, { keepCandles });
        app.symbolFeed.symbolChanged(symbol);
        return removed;
      },
      rename: async (symbol, to) => {
        const renamed = await renameSymbol(app.database.db, symbol, to, app.clock());
        app.symbolFeed.symbolChanged(symbol);
        app.symbolFeed.symbolChanged(renamed.symbol);
        return renamed;
      },
      lookup: (symbol, assetClass) => lookupSymbol(app.providers, symbol, assetClass ?? guessAssetClass(symbol)),
    },
    watchlists: {
      list: async () => listWatchlists(await reads()),
      create: (name) => createWatchlist(app.database.db, name),
      rename: (id, name) => renameWatchlist(app.database.db, id, name),
      remove: (id) => deleteWatchlist(app.database.db, id),
      addSymbols: (id, symbols) => addToWatchlist(app.database.db, id, symbols),
      removeSymbols: (id, symbols) => removeFromWatchlist(app.database.db, id, symbols),
    },
    candles: {
      list: async (input) => listCandles(await reads(), input),
      actions: async (symbol) => listActions(await reads(), symbol),
    },
    enrichment: {
      features: async (input) => getFeatures(await reads(), input),
      coverage: async (input) => (await analyseCoverage(await reads(), { ...input, now: app.clock() })).coverage,
      fillGaps: (input) => fillGaps(app.database, rule, { ...input, now: app.clock() }),
      coverageMap: async (input) =>
        coverageMap(await reads(), (await app.symbolFeed.current()).rows, input, app.clock()),
    },
    backfill: {
      create: (input, client) => submitBackfill(app, input, client),
      preview: (input) => previewBackfill(app, input),
      status: (jobId) => jobStatus(app, jobId),
      recent: (limit) => recentJobs(app.database.db, limit),
      cancel: (jobId) => cancelBackfill(app.database, jobId),
      retry: (jobId) => retryBackfill(app.database, jobId, MAX_UNIT_ATTEMPTS),
      assertJob: async (jobId) => {
        await getJob(app.database.db, jobId);
      },
      progress: (input, signal) => progressStream(app, input, signal),
    },
  };
}
