import { type Adjust, isIntraday, type SymbolSummary, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { lazy, Suspense, useMemo, useState } from 'react';
import { formatInt } from '../../lib/format';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { useIsDemoProvider } from '../system/queries';
import { AdjustSwitch } from './AdjustSwitch';
import { CandleTable } from './CandleTable';
import { candlesToCsv, csvName, downloadText } from './csv';
import { useCandlePages } from './queries';
import { TimeframeSwitch } from './TimeframeSwitch';

const CandleChart = lazy(() => import('./CandleChart'));

/** The timeframe worth showing first: 1h when it has data, else the first that has any. */
export function defaultTimeframe(asset: SymbolSummary | undefined): Timeframe {
  const has = (tf: Timeframe) => (asset?.coverage.find((c) => c.timeframe === tf)?.count ?? 0) > 0;
  if (has('1h')) return '1h';
  return TIMEFRAME_LIST.find(has) ?? '1h';
}

export function CandleDataTab({ asset, onBackfill }: { asset: SymbolSummary; onBackfill: () => void }) {
  const [timeframe, setTimeframe] = useState<Timeframe>(() => defaultTimeframe(asset));
  const [adjust, setAdjust] = useState<Adjust>('splits');
  const pages = useCandlePages(asset.symbol, timeframe, adjust);
  const candles = useMemo(() => pages.data?.pages.flatMap((p) => p.candles) ?? [], [pages.data]);
  const total = asset.coverage.find((c) => c.timeframe === timeframe)?.count ?? 0;
  const providerDemo = useIsDemoProvider(asset.provider);
  // The bars say where they came from: an imported series of a synthetic symbol is not demo data.
  const demo = candles.length > 0 ? candles.some((c) => c.source === 'synthetic') : providerDemo;

  return (
    <div className="flex flex-col gap-3 px-5 py-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <TimeframeSwitch name="candle-timeframe" value={timeframe} onChange={setTimeframe} asset={asset} />
          <AdjustSwitch value={adjust} onChange={setAdjust} />
        </div>
        <div className="flex items-center gap-2">
          {demo && (
            <span title="Synthetic candles from the demo provider, not market data">
              <Badge tone="violet">demo data</Badge>
            </span>
          )}
          <span className="text-xs tabular-nums text-zinc-500">
            {formatInt(candles.length)} of {formatInt(Math.max(total, candles.length))} loaded
          </span>
          <Button
            size="sm"
            onClick={() => void pages.fetchNextPage()}
            disabled={!pages.hasNextPage || pages.isFetchingNextPage}
            aria-busy={pages.isFetchingNextPage}
            title={pages.hasNextPage ? 'Load older candles' : 'All candles are loaded'}
          >
            Load more
          </Button>
          <Button
            size="sm"
            onClick={() => downloadText(csvName(asset.symbol, timeframe, adjust), candlesToCsv(candles))}
            disabled={candles.length === 0}
          >
            Download CSV
          </Button>
        </div>
      </div>
      {pages.isPending ? (
        <div className="flex h-72 items-center justify-center text-sm text-zinc-500">Loading candles…</div>
      ) : candles.length === 0 ? (
        <div className="flex h-72 flex-col items-center justify-center gap-3 rounded-md border border-dashed border-zinc-800 text-sm text-zinc-500">
          No {timeframe} candles for {asset.symbol} yet.
          <Button size="sm" variant="primary" onClick={onBackfill}>
            Backfill this symbol…
          </Button>
        </div>
      ) : (
        <>
          <div className="rounded-md border border-zinc-800 bg-zinc-950/60 p-2">
            <Suspense
              fallback={
                <div className="flex h-72 items-center justify-center text-sm text-zinc-500">Loading chart…</div>
              }
            >
              <CandleChart candles={candles} intraday={isIntraday(timeframe)} />
            </Suspense>
          </div>
          <CandleTable candles={candles} />
        </>
      )}
    </div>
  );
}
