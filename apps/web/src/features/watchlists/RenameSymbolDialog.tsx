import { symbolSchema } from '@candlebase/contracts';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';
import { OneFieldDialog } from './OneFieldDialog';
import { useInvalidateSymbols } from './queries';

/** A ticker change (FB -> META): candles, coverage, actions, job history and lists all follow. */
export function RenameSymbolDialog({
  symbol,
  onClose,
  onRenamed,
}: {
  symbol: string;
  onClose: () => void;
  onRenamed: (from: string, to: string) => void;
}) {
  const trpc = useTRPC();
  const invalidate = useInvalidateSymbols();
  const rename = useMutation(trpc.symbols.rename.mutationOptions({ meta: { handlesErrors: true } }));
  return (
    <OneFieldDialog
      title={`Rename ${symbol}`}
      description="Its candles, coverage, corporate actions, job history and lists move to the new name."
      label="New symbol"
      schema={symbolSchema}
      invalid="Invalid symbol"
      code
      pending={rename.isPending}
      submitLabel="Rename"
      save={async (to) => {
        const renamed = await rename.mutateAsync({ symbol, to });
        invalidate();
        onRenamed(symbol, renamed.symbol);
      }}
      onClose={onClose}
    />
  );
}
