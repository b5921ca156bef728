import { alertsRouter } from './routers/alerts';
import { backfillRouter } from './routers/backfill';
import { candlesRouter } from './routers/candles';
import { enrichmentRouter } from './routers/enrichment';
import { symbolsRouter } from './routers/symbols';
import { systemRouter } from './routers/system';
import { watchlistsRouter } from './routers/watchlists';
import { router } from './trpc';

export const appRouter = router({
  system: systemRouter,
  symbols: symbolsRouter,
  candles: candlesRouter,
  enrichment: enrichmentRouter,
  backfill: backfillRouter,
  watchlists: watchlistsRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;
