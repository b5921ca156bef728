import { TIMEFRAME_LIST, type UploadCreated, type UploadPreview } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type DragEvent, useEffect, useId, useState } from 'react';
import { formatInt } from '../../lib/format';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { useInvalidateAfterJob } from '../backfill/invalidate';
import { importUpload, previewUpload, settingsFromName, type UploadSettingsForm, uploadFile } from './api';
import { PreviewView } from './PreviewView';

/** Files uploaded but not imported yet, kept while the progress view of another one is open. */
let remembered: Staged[] = [];

interface Staged {
  file: File;
  upload: UploadCreated | null;
  error: string | null;
  settings: UploadSettingsForm;
  jobId: string | null;
}

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Chicago',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Athens',
  'Asia/Tokyo',
];
const FIELD =
  'h-8 w-full rounded-md border border-zinc-700 bg-zinc-950 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500';

/**
 * "Import CSV": files dropped or chosen are streamed to the server one by one; each is previewed
 * with the symbol, timeframe and zone the analyst gives it, then imported as a backfill job.
 */
export function ImportCsvDialog({ onClose, onStarted }: { onClose: () => void; onStarted: (jobId: string) => void }) {
  const ids = { file: useId(), symbol: useId(), timeframe: useId(), zone: useId(), zones: useId() };
  const invalidate = useInvalidateAfterJob();
  const [files, setFiles] = useState<Staged[]>(() => remembered);
  useEffect(() => {
    remembered = files.filter((f) => f.jobId === null);
  }, [files]);
  const [index, setIndex] = useState(0);
  const [dragging, setDragging] = useState(false);
  const current = files[index];
  const patch = (i: number, p: Partial<Staged>) => setFiles((fs) => fs.map((f, j) => (j === i ? { ...f, ...p } : f)));

  const preview = useMutation({ mutationFn: (s: Staged) => previewUpload(s.upload?.upload_id ?? '', s.settings) });
  const start = useMutation({
    mutationFn: (s: Staged) => importUpload(s.upload?.upload_id ?? '', s.settings),
    onSuccess: (job) => {
      invalidate();
      patch(index, { jobId: job.job_id });
      preview.reset();
      // Follow the job in the usual progress view; files not yet imported wait for the dialog's next opening.
      remembered = files.filter((_, j) => j !== index && files[j]?.jobId === null);
      onStarted(job.job_id);
    },
  });

  const add = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const base = files.length;
    const added: Staged[] = [...list].map((file) => ({
      file,
      upload: null,
      error: null,
      jobId: null,
      settings: { symbol: '', timeframe: '1d', timezone: '', ...settingsFromName(file.name) },
    }));
    setFiles((fs) => [...fs, ...added]);
    setIndex(base);
    for (const [k, s] of added.entries()) {
      try {
        const upload = await uploadFile(s.file);
        patch(base + k, { upload });
      } catch (err) {
        patch(base + k, { error: err instanceof Error ? err.message : String(err) });
      }
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void add(e.dataTransfer.files);
  };
  const setSettings = (p: Partial<UploadSettingsForm>) => {
    if (!current) return;
    preview.reset();
    start.reset();
    patch(index, { settings: { ...current.settings, ...p } });
  };
  const shown: UploadPreview | undefined = preview.data;
  const canImport = current?.upload && shown && shown.error_count === 0 && shown.rows > 0 && !current.jobId;
  const error = current?.error ?? (preview.error ?? start.error)?.message ?? null;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Import CSV"
      description="Load candles from CSV files you already have: check the preview, then import each as a backfill job."
      size="lg"
    >
      <div className="flex flex-col gap-4 px-5 py-4">
        <section
          aria-label="Drop zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`flex flex-col items-center gap-2 rounded-lg border border-dashed px-4 py-5 text-sm ${dragging ? 'border-sky-400 bg-sky-500/10' : 'border-zinc-700 bg-zinc-950/50'}`}
        >
          <p className="text-zinc-300">Drop CSV files here, or</p>
          <label htmlFor={ids.file} className="cursor-pointer text-sky-400 hover:underline">
            CSV files
          </label>
          <input
            id={ids.file}
            type="file"
            accept=".csv,.txt,text/csv"
            multiple
            onChange={(e) => {
              void add(e.target.files);
              e.target.value = '';
            }}
            className="text-xs text-zinc-400 file:mr-2 file:rounded file:border-0 file:bg-zinc-800 file:px-2 file:py-1 file:text-zinc-200"
          />
          <p className="text-xs text-zinc-400">
            Up to 200 MB a file; Yahoo, yfinance, MetaTrader, Binance, Stooq, TradingView or plain.
          </p>
        </section>

        {files.length > 1 && (
          <ul aria-label="Files" className="flex flex-wrap gap-2 text-xs">
            {files.map((f, i) => (
              <li key={`${f.file.name}-${i}`}>
                <Button
                  size="sm"
                  variant={i === index ? 'primary' : 'ghost'}
                  aria-pressed={i === index}
                  onClick={() => {
                    preview.reset();
                    start.reset();
                    setIndex(i);
                  }}
                >
                  {f.file.name}
                  {f.jobId ? ' ✓' : ''}
                </Button>
              </li>
            ))}
          </ul>
        )}

        {current && (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (current.upload) preview.mutate(current);
            }}
            className="flex flex-col gap-3"
          >
            <p className="text-xs text-zinc-400">
              {current.file.name}: {formatInt(current.file.size)} bytes,{' '}
              {current.upload ? 'on the server' : current.error ? 'not uploaded' : 'uploading…'}
              {current.jobId && ' — imported'}
            </p>
            <div className="grid grid-cols-3 gap-3">
              <div>
                <label htmlFor={ids.symbol} className="text-xs text-zinc-400">
                  Symbol
                </label>
                <input
                  id={ids.symbol}
                  value={current.settings.symbol}
                  onChange={(e) => setSettings({ symbol: e.target.value.toUpperCase() })}
                  placeholder="AAPL"
                  className={FIELD}
                />
              </div>
              <div>
                <label htmlFor={ids.timeframe} className="text-xs text-zinc-400">
                  Timeframe
                </label>
                <select
                  id={ids.timeframe}
                  value={current.settings.timeframe}
                  onChange={(e) => setSettings({ timeframe: e.target.value })}
                  className={FIELD}
                >
                  {TIMEFRAME_LIST.map((tf) => (
                    <option key={tf} value={tf}>
                      {tf}
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor={ids.zone} className="text-xs text-zinc-400">
                  Time zone
                </label>
                <input
                  id={ids.zone}
                  list={ids.zones}
                  value={current.settings.timezone}
                  onChange={(e) => setSettings({ timezone: e.target.value })}
                  placeholder="only for times without one"
                  className={FIELD}
                />
                <datalist id={ids.zones}>
                  {ZONES.map((z) => (
                    <option key={z} value={z} />
                  ))}
                </datalist>
              </div>
            </div>
            {error && (
              <p
                role="alert"
                className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2 text-sm text-rose-200"
              >
                {error}
              </p>
            )}
            {shown && <PreviewView preview={shown} />}
            {current.jobId && (
              <p className="text-sm text-emerald-300">
                Import started.{' '}
                <button
                  type="button"
                  className="text-sky-400 hover:underline"
                  onClick={() => current.jobId && onStarted(current.jobId)}
                >
                  Show its progress
                </button>
              </p>
            )}
            <div className="flex items-center justify-end gap-2 border-t border-zinc-800 pt-3">
              <Button onClick={onClose} variant="ghost">
                Close
              </Button>
              <Button
                type="submit"
                disabled={!current.upload || !current.settings.symbol.trim() || preview.isPending}
                aria-busy={preview.isPending}
              >
                Preview
              </Button>
              <Button
                variant="primary"
                disabled={!canImport || start.isPending}
                aria-busy={start.isPending}
                onClick={() => current && start.mutate(current)}
              >
                Import
              </Button>
            </div>
          </form>
        )}
      </div>
    </Modal>
  );
}
