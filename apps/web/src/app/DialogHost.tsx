import { AssetDialog } from '../features/asset/AssetDialog';
import { BackfillDialog } from '../features/backfill/BackfillDialog';
import { ProgressDialog } from '../features/backfill/ProgressDialog';
import { CoverageMapDialog } from '../features/coverage-map/CoverageMapDialog';
import { ShortcutsDialog } from '../features/system/ShortcutsDialog';
import { ImportCsvDialog } from '../features/upload/ImportCsvDialog';
import { useDialogs } from './dialogs';

/** Renders whichever dialog is open; each is keyed so that reopening starts fresh. */
export function DialogHost() {
  const d = useDialogs();
  const c = d.current;
  switch (c.kind) {
    case 'backfill':
      return (
        <BackfillDialog
          key="backfill"
          initialSymbols={c.symbols}
          allowBatches={c.batches}
          onClose={d.close}
          onStarted={d.openProgress}
        />
      );
    case 'progress':
      return <ProgressDialog key={c.jobId} jobId={c.jobId} onClose={d.close} onRetried={d.openProgress} />;
    case 'asset':
      return (
        <AssetDialog
          key={c.symbol}
          symbol={c.symbol}
          onClose={d.close}
          onBackfill={d.openBackfill}
          onOpenJob={d.openProgress}
        />
      );
    case 'shortcuts':
      return <ShortcutsDialog open onOpenChange={(open) => !open && d.close()} />;
    case 'import':
      return <ImportCsvDialog key="import" onClose={d.close} onStarted={d.openProgress} />;
    case 'coverage-map':
      return <CoverageMapDialog key="coverage-map" onClose={d.close} />;
    case 'none':
      return null;
  }
}
