import {
  BACKFILL_MESSAGES,
  defaultDateRange,
  isoDate,
  MAX_SYMBOLS_PER_BACKFILL,
  TIMEFRAME_LIST,
} from '@candlebase/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { formatInt, pluralize } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { BackfillPreviewTable } from './BackfillPreviewTable';
import { DateRangeFields } from './DateRangeFields';
import { useInvalidateAfterJob } from './invalidate';
import { SYMBOLS_INPUT_ID, SymbolChipsInput } from './SymbolChipsInput';
import { TimeframePicker } from './TimeframePicker';
import { useBatchStart } from './use-batch-start';
import { type BackfillFormValues, toRequest, validate } from './validation';

function initialValues(symbols: string[]): BackfillFormValues {
  const range = defaultDateRange();
  return { chips: symbols, text: '', start_date: range.start_date, end_date: range.end_date, timeframes: ['1h'] };
}

export function BackfillDialog({
  initialSymbols,
  allowBatches = false,
  onClose,
  onStarted,
}: {
  initialSymbols: string[];
  /** Opened from a selection: more than 100 symbols start as several jobs instead of being refused. */
  allowBatches?: boolean;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterJob();
  const [values, setValues] = useState(() => initialValues(initialSymbols));
  const [attempted, setAttempted] = useState(false);
  const create = useMutation(
    trpc.backfill.create.mutationOptions({
      meta: { handlesErrors: true },
      onSuccess: (created) => {
        invalidate();
        onStarted(created.job_id);
      },
    }),
  );

  const queryClient = useQueryClient();
  // The dry run of the request as it stood when "Preview" was pressed; a change to the form drops it.
  // A mutation only in name: the form shows its errors in place, as it does Start Backfill's.
  const preview = useMutation({
    mutationFn: (input: ReturnType<typeof toRequest>) =>
      queryClient.fetchQuery({ ...trpc.backfill.preview.queryOptions(input), staleTime: 0 }),
    meta: { handlesErrors: true },
  });
  const batch = useBatchStart({
    onStarted: (jobIds) => {
      invalidate();
      if (jobIds[0]) onStarted(jobIds[0]);
    },
    onPartial: (started) => {
      invalidate();
      setValues((v) => ({ ...v, chips: v.chips.filter((c) => !started.includes(c)) }));
    },
  });
  const symbolCount = toRequest(values).symbols?.length ?? 0;
  const batches = allowBatches && symbolCount > MAX_SYMBOLS_PER_BACKFILL;
  // Every problem but the one that batching answers.
  const check = () => validate(values).filter((m) => !(batches && m === BACKFILL_MESSAGES.tooManySymbols));

  // Once a send was tried, problems update as the form changes.
  const problems = attempted ? check() : [];
  const serverError = create.error
    ? friendlyMessage(create.error)
    : preview.error
      ? friendlyMessage(preview.error)
      : (batch.state?.error ?? null);
  const messages = serverError ? [...problems, serverError] : problems;
  const set = (patch: Partial<BackfillFormValues>) => {
    create.reset();
    preview.reset();
    batch.clear();
    setValues((v) => ({ ...v, ...patch }));
  };

  const onPreview = () => {
    setAttempted(true);
    if (validate(values).length > 0) return;
    preview.mutate(toRequest(values));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (check().length > 0) return;
    if (batches) void batch.start(toRequest(values));
    else create.mutate(toRequest(values));
  };
  const busy = create.isPending || (batch.state?.running ?? false);

  const today = isoDate(new Date(useNow(60_000)));
  // A range that starts after today is refused by the server (its alert says why); one that only
  // ends after today runs, storing the bars that have closed.
  const endsAhead = values.end_date > today && values.start_date <= today;
  const request = toRequest(values);
  const units = (request.symbols?.length ?? 0) * values.timeframes.length;

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title="Backfill"
      initialFocus={() => document.getElementById(SYMBOLS_INPUT_ID)}
      description="Fetch candles for a date range and store them; existing candles are kept, new ones added."
      size="md"
    >
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-5 px-5 py-4">
        {messages.length > 0 && (
          <div
            role="alert"
            className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2.5 text-sm text-rose-200"
          >
            <ul className="flex list-disc flex-col gap-0.5 pl-4">
              {messages.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        )}
        <SymbolChipsInput
          chips={values.chips}
          onChipsChange={(chips) => set({ chips })}
          text={values.text}
          onTextChange={(text) => set({ text })}
        />
        <DateRangeFields
          start={values.start_date}
          end={values.end_date}
          onChange={(r) => set({ start_date: r.start, end_date: r.end })}
        />
        {endsAhead && (
          <p className="-mt-3 text-xs text-amber-200">
            The range ends after today ({today}, UTC): only bars that have closed are stored; a later backfill fetches
            the rest.
          </p>
        )}
        <TimeframePicker value={values.timeframes} onChange={(timeframes) => set({ timeframes })} />
        {preview.data && <BackfillPreviewTable preview={preview.data} />}
        {batches && (
          <p role="note" className="rounded-md border border-sky-500/30 bg-sky-500/10 px-3 py-2 text-xs text-sky-100">
            {batch.state?.running
              ? `Starting backfill ${formatInt(batch.state.started + 1)} of ${formatInt(batch.state.total)}…`
              : `${formatInt(symbolCount)} symbols are more than one backfill takes: they start as ${formatInt(Math.ceil(symbolCount / MAX_SYMBOLS_PER_BACKFILL))} backfills of at most ${MAX_SYMBOLS_PER_BACKFILL} symbols each.`}
          </p>
        )}
        <div className="flex items-center justify-between gap-3 border-t border-zinc-800 pt-4">
          <p className="text-xs tabular-nums text-zinc-400">
            {units > 0
              ? `${pluralize(request.symbols?.length ?? 0, 'symbol')} × ${pluralize(values.timeframes.length, 'timeframe')} = ${pluralize(units, 'unit')}`
              : `Choose symbols and at least one of ${TIMEFRAME_LIST.join(', ')}`}
          </p>
          <div className="flex gap-2">
            <Button onClick={onClose} variant="ghost">
              Cancel
            </Button>
            <Button onClick={onPreview} disabled={preview.isPending} aria-busy={preview.isPending}>
              Preview
            </Button>
            <Button type="submit" variant="primary" disabled={busy} aria-busy={busy}>
              Start Backfill
            </Button>
          </div>
        </div>
      </form>
    </Modal>
  );
}
