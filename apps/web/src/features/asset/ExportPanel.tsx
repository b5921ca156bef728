import type { Adjust, Coverage, Timeframe } from '@candlebase/contracts';
import { useId, useState } from 'react';
import { Button } from '../../ui/Button';
import { downloadExport, type ExportFormat, exportLabel, exportUrl, seriesDays } from './export';

const inputClass =
  'h-7 rounded-md border border-zinc-700 bg-zinc-900 px-2 text-xs text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400';

/**
 * The whole stored range (or the days chosen) as a file from the export endpoints, not just the
 * rows loaded on screen: CSV for spreadsheets, Parquet for pandas and DuckDB.
 */
export function ExportPanel(props: {
  symbol: string;
  timeframe: Timeframe;
  adjust: Adjust;
  coverage: Coverage | undefined;
}) {
  const days = seriesDays(props.coverage);
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState(days?.start ?? '');
  const [end, setEnd] = useState(days?.end ?? '');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const startDate = start || days?.start || '';
  const endDate = end || days?.end || '';
  const req = {
    symbol: props.symbol,
    timeframe: props.timeframe,
    adjust: props.adjust,
    start_date: startDate,
    end_date: endDate,
  };
  const invalid = !startDate || !endDate || startDate > endDate;
  const save = (format: ExportFormat) => {
    setError(null);
    downloadExport(exportUrl(req, format)).catch((err: unknown) =>
      setError(err instanceof Error ? err.message : String(err)),
    );
  };

  return (
    <div className="relative">
      <Button
        size="sm"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => setOpen((o) => !o)}
        disabled={!days}
      >
        Export
      </Button>
      {open && days && (
        <section
          id={`${id}-panel`}
          aria-label="Export candles"
          className="absolute right-0 z-10 mt-1 flex w-80 flex-col gap-2 rounded-md border border-zinc-700 bg-zinc-900 p-3 text-xs shadow-lg"
        >
          <div className="flex items-center gap-2">
            <label className="flex flex-col gap-1 text-zinc-400">
              Export from
              <input type="date" className={inputClass} value={startDate} onChange={(e) => setStart(e.target.value)} />
            </label>
            <label className="flex flex-col gap-1 text-zinc-400">
              Export to
              <input type="date" className={inputClass} value={endDate} onChange={(e) => setEnd(e.target.value)} />
            </label>
          </div>
          <p className="text-zinc-300" data-testid="export-label">
            {exportLabel(req)}
          </p>
          {invalid && <p role="alert">Start date must be before end date</p>}
          {error && <p role="alert">{error}</p>}
          <div className="flex gap-2">
            <Button size="sm" onClick={() => save('csv')} disabled={invalid}>
              Download CSV
            </Button>
            <Button size="sm" onClick={() => save('parquet')} disabled={invalid}>
              Download Parquet
            </Button>
          </div>
        </section>
      )}
    </div>
  );
}
