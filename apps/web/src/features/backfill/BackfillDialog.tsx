import { defaultDateRange, TIMEFRAME_LIST } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { friendlyMessage } from '../../lib/errors';
import { pluralize } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';
import { DateRangeFields } from './DateRangeFields';
import { useInvalidateAfterJob } from './invalidate';
import { SYMBOLS_INPUT_ID, SymbolChipsInput } from './SymbolChipsInput';
import { TimeframePicker } from './TimeframePicker';
import { type BackfillFormValues, toRequest, validate } from './validation';

function initialValues(symbols: string[]): BackfillFormValues {
  const range = defaultDateRange();
  return { chips: symbols, text: '', start_date: range.start_date, end_date: range.end_date, timeframes: ['1h'] };
}

export function BackfillDialog({
  initialSymbols,
  onClose,
  onStarted,
}: {
  initialSymbols: string[];
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

  // Once a send was tried, problems update as the form changes.
  const problems = attempted ? validate(values) : [];
  const serverError = create.error ? friendlyMessage(create.error) : null;
  const messages = serverError ? [...problems, serverError] : problems;
  const set = (patch: Partial<BackfillFormValues>) => {
    create.reset();
    setValues((v) => ({ ...v, ...patch }));
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    if (validate(values).length > 0) return;
    create.mutate(toRequest(values));
  };

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
        <TimeframePicker value={values.timeframes} onChange={(timeframes) => set({ timeframes })} />
        <div className="flex items-center justify-between gap-3 border-t border-zinc-800 pt-4">
          <p className="text-xs tabular-nums text-zinc-500">
            {units > 0
              ? `${pluralize(request.symbols?.length ?? 0, 'symbol')} × ${pluralize(values.timeframes.length, 'timeframe')} = ${pluralize(units, 'unit')}`
              : `Choose symbols and at least one of ${TIMEFRAME_LIST.join(', ')}`}
          </p>
          <div className="flex gap-2">
            <Button onClick={onClose} variant="ghost">
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={create.isPending} aria-busy={create.isPending}>
              Start Backfill
            </Button>
          </div>
        </div>
      </form>
    </Modal>
  );
}
