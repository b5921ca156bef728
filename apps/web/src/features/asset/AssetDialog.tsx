import * as Tabs from '@radix-ui/react-tabs';
import { friendlyMessage } from '../../lib/errors';
import { Modal } from '../../ui/Modal';
import { StatusBadge } from '../symbols/StatusBadge';
import { CandleDataTab } from './CandleDataTab';
import { EnrichmentTab } from './EnrichmentTab';
import { OverviewTab } from './OverviewTab';
import { useAsset } from './queries';

const TAB_CLASS =
  'relative -mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium text-zinc-400 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400 data-[state=active]:border-sky-400 data-[state=active]:text-zinc-50';

export function AssetDialog({
  symbol,
  onClose,
  onBackfill,
  onOpenJob,
}: {
  symbol: string;
  onClose: () => void;
  onBackfill: (symbols: string[]) => void;
  onOpenJob: (jobId: string) => void;
}) {
  const asset = useAsset(symbol);
  const backfill = () => onBackfill([symbol]);
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={symbol}
      aside={asset.data ? <StatusBadge status={asset.data.status} /> : undefined}
      description={asset.data?.name ?? undefined}
      size="xl"
    >
      <Tabs.Root defaultValue="overview" className="flex flex-col">
        <Tabs.List aria-label="Asset views" className="flex gap-1 border-b border-zinc-800 px-4">
          <Tabs.Trigger value="overview" className={TAB_CLASS}>
            Overview
          </Tabs.Trigger>
          <Tabs.Trigger value="candles" className={TAB_CLASS}>
            Candle Data
          </Tabs.Trigger>
          <Tabs.Trigger value="enrichment" className={TAB_CLASS}>
            Enrichment
          </Tabs.Trigger>
        </Tabs.List>
        {asset.isPending ? (
          <p className="px-5 py-10 text-center text-sm text-zinc-400">Loading {symbol}…</p>
        ) : asset.isError ? (
          <p role="alert" className="px-5 py-10 text-center text-sm text-rose-300">
            {friendlyMessage(asset.error)}
          </p>
        ) : (
          <>
            <Tabs.Content value="overview" className="outline-none">
              <OverviewTab asset={asset.data} onBackfill={backfill} onOpenJob={onOpenJob} />
            </Tabs.Content>
            <Tabs.Content value="candles" className="outline-none">
              <CandleDataTab asset={asset.data} onBackfill={backfill} />
            </Tabs.Content>
            <Tabs.Content value="enrichment" className="outline-none">
              <EnrichmentTab symbol={symbol} />
            </Tabs.Content>
          </>
        )}
      </Tabs.Root>
    </Modal>
  );
}
