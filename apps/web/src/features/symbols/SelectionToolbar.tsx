import { formatInt } from '../../lib/format';
import { Button } from '../../ui/Button';

export function SelectionToolbar({
  count,
  onBackfill,
  onClear,
}: {
  count: number;
  onBackfill: () => void;
  onClear: () => void;
}) {
  return (
    <div role="toolbar" aria-label="Selection" className="flex items-center gap-2">
      <span aria-live="polite" className={`text-xs tabular-nums ${count > 0 ? 'text-sky-300' : 'text-zinc-400'}`}>
        {formatInt(count)} selected
      </span>
      <Button size="sm" variant={count > 0 ? 'primary' : 'secondary'} onClick={onBackfill} disabled={count === 0}>
        Backfill Selected
      </Button>
      <Button size="sm" variant="ghost" onClick={onClear} disabled={count === 0}>
        Clear Selection
      </Button>
    </div>
  );
}
