import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';

export type DialogState =
  | { kind: 'none' }
  | { kind: 'backfill'; symbols: string[]; batches: boolean }
  | { kind: 'progress'; jobId: string }
  | { kind: 'asset'; symbol: string }
  | { kind: 'shortcuts' }
  | { kind: 'import' }
  | { kind: 'coverage-map' };

export interface Dialogs {
  current: DialogState;
  /** `batches`: from a selection, more than 100 symbols may start as several jobs. */
  openBackfill: (symbols?: string[], options?: { batches?: boolean }) => void;
  openProgress: (jobId: string) => void;
  openAsset: (symbol: string) => void;
  openShortcuts: () => void;
  openImport: () => void;
  openCoverageMap: () => void;
  close: () => void;
}

const DialogsContext = createContext<Dialogs | null>(null);

/**
 * One dialog at a time: opening one replaces the other (a new backfill hands over to its progress
 * view). Focus goes back to whatever had it before the first dialog opened, even after hand-overs,
 * which Radix alone cannot know (see `Modal`).
 */
export function DialogsProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<DialogState>({ kind: 'none' });
  const origin = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (current.kind !== 'none') return;
    const el = origin.current;
    origin.current = null;
    if (el?.isConnected) el.focus();
  }, [current.kind]);

  const value = useMemo<Dialogs>(() => {
    const open = (next: DialogState) => {
      if (current.kind === 'none' && document.activeElement instanceof HTMLElement) {
        origin.current = document.activeElement;
      }
      setCurrent(next);
    };
    return {
      current,
      openBackfill: (symbols = [], options = {}) =>
        open({ kind: 'backfill', symbols, batches: options.batches ?? false }),
      openProgress: (jobId) => open({ kind: 'progress', jobId }),
      openAsset: (symbol) => open({ kind: 'asset', symbol }),
      openShortcuts: () => open({ kind: 'shortcuts' }),
      openImport: () => open({ kind: 'import' }),
      openCoverageMap: () => open({ kind: 'coverage-map' }),
      close: () => setCurrent({ kind: 'none' }),
    };
  }, [current]);
  return <DialogsContext.Provider value={value}>{children}</DialogsContext.Provider>;
}

export function useDialogs(): Dialogs {
  const ctx = useContext(DialogsContext);
  if (!ctx) throw new Error('useDialogs needs a DialogsProvider above it');
  return ctx;
}
