import { type Adjust, isIntraday, type SymbolSummary, TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import { useCallback, useMemo, useState } from 'react';
import { formatInt } from '../../lib/format';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { useIsDemoProvider } from '../system/queries';
import { AdjustSwitch } from './AdjustSwitch';
import { CandleTable } from './CandleTable';
import { ChartWorkspace } from './ChartWorkspace';
import { ExportPanel } from './ExportPanel';
import { useCandlePages } from './queries';
import { TimeframeSwitch } from './TimeframeSwitch';
import { type ChartZone, defaultZone, shownZone } from './time-zone';

/** The timeframe worth showing first: 1h when it has data, else the first that has any. */
export function defaultTimeframe(asset: SymbolSummary | undefined): Timeframe {
  const has = (tf: Timeframe) => (asset?.coverage.find((c) => c.timeframe === tf)?.count ?? 0) > 0;
  if (has('1h')) return '1h';
  return TIMEFRAME_LIST.find(has) ?? '1h';
}

export function CandleDataTab({ asset, onBackfill }: { asset: SymbolSummary; onBackfill: () => void }) {
  const [timeframe, setTimeframe] = useState<Timeframe>(() => defaultTimeframe(asset));
  const [adjust, setAdjust] = useState<Adjust>('splits');
  const [anchor, setAnchor] = useState<string | null>(null);
  // Picked on the chart, read by the table too: both show a bar's time in the same zone.
  const [zone, setZone] = useState<ChartZone>(() => defaultZone(asset.asset_class));
  // "Go to date" D: the newest page ends with D's last bar (the list's `to` is exclusive).
  const to = anchor ? new Date(Date.parse(`${anchor}T00:00:00Z`) + 86_400_000).toISOString() : undefined;
  const pages = useCandlePages(asset.symbol, timeframe, adjust, to);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  // Scrolling back to the oldest bar held fetches the page before it.
  const onNearOldest = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
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
          <span className="text-xs tabular-nums text-zinc-400">
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
          <ExportPanel
            key={`${timeframe}`}
            symbol={asset.symbol}
            timeframe={timeframe}
            adjust={adjust}
            coverage={asset.coverage.find((c) => c.timeframe === timeframe)}
          />
        </div>
      </div>
      {pages.isPending ? (
        <div className="flex h-72 items-center justify-center text-sm text-zinc-400">Loading candles…</div>
      ) : candles.length === 0 && anchor !== null ? (
        <div className="flex h-72 flex-col items-center justify-center gap-3 rounded-md border border-dashed border-zinc-800 text-sm text-zinc-400">
          No {timeframe} candles for {asset.symbol} up to {anchor}.
          <Button size="sm" onClick={() => setAnchor(null)}>
            Show the latest
          </Button>
        </div>
      ) : candles.length === 0 ? (
        <div className="flex h-72 flex-col items-center justify-center gap-3 rounded-md border border-dashed border-zinc-800 text-sm text-zinc-400">
          No {timeframe} candles for {asset.symbol} yet.
          <Button size="sm" variant="primary" onClick={onBackfill}>
            Backfill this symbol…
          </Button>
        </div>
      ) : (
        <>
          <ChartWorkspace
            key={asset.symbol}
            asset={asset}
            timeframe={timeframe}
            adjust={adjust}
            intraday={isIntraday(timeframe)}
            candles={candles}
            anchor={anchor}
            onAnchor={setAnchor}
            onNearOldest={onNearOldest}
            zone={zone}
            onZone={setZone}
          />
          <CandleTable candles={candles} zone={shownZone(zone, isIntraday(timeframe))} />
        </>
      )}
    </div>
  );
}
