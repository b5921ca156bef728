import {
  applyStatusChange,
  applySymbolChange,
  decodeSymbolList,
  type SymbolListChange,
  type SymbolListSnapshot,
  type SymbolSummary,
} from '@candlebase/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTRPC } from '../../lib/trpc';
import { useRefreshSettings } from '../system/refresh';

/**
 * The watchlist's snapshot, fetched once: changes arrive over `symbols.onChanged` instead of a
 * poll. Refetched only when asked (Refresh Now, or the server telling the client to reload).
 */
export function useSymbolsList() {
  const trpc = useTRPC();
  return useQuery(
    trpc.symbols.snapshot.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false }),
  );
}

/** Tracked messages arrive as `{ id, data }`. */
function unwrap(d: SymbolListChange | { id: string; data: SymbolListChange }): SymbolListChange {
  return 'type' in d ? d : d.data;
}

/**
 * Changes that arrive within this long are applied together: each application re-sorts the whole
 * table, and a running backfill can send several a second.
 */
const APPLY_EVERY_MS = 500;

interface Live {
  /** The snapshot these rows grew from: a new snapshot starts again from its own rows. */
  base: SymbolListSnapshot;
  rows: SymbolSummary[];
  updatedAt: number;
}

/**
 * Every symbol, live: the snapshot decoded, then each change the server pushes applied to it (a
 * changed symbol replaces its row; the other rows stay the same objects, so only its table row
 * renders again). The subscription's input is the snapshot's position, set once; the link
 * resumes from the last change it saw on a reconnect by itself.
 */
export function useLiveSymbols(): { rows: SymbolSummary[]; isPending: boolean; updatedAt: number } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const snapshot = useSymbolsList();
  // Auto-refresh off holds the table still; back on, the subscription catches up from the snapshot's position.
  const { auto } = useRefreshSettings();
  const decoded = useMemo(() => (snapshot.data ? decodeSymbolList(snapshot.data) : null), [snapshot.data]);
  const [live, setLive] = useState<Live | null>(null);
  const base = useRef<Live | null>(null);
  base.current =
    snapshot.data && decoded ? { base: snapshot.data, rows: decoded, updatedAt: snapshot.dataUpdatedAt } : null;

  const pending = useRef<SymbolListChange[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const flush = () => {
    timer.current = null;
    const changes = pending.current.splice(0);
    setLive((prev) => {
      const from = prev && prev.base === base.current?.base ? prev : base.current;
      if (!from) return prev;
      let rows = from.rows;
      for (const change of changes) {
        if (change.type === 'status') rows = applyStatusChange(rows, change.changes);
        else if (change.type === 'changed') rows = applySymbolChange(rows, change);
      }
      return { base: from.base, rows, updatedAt: Date.now() };
    });
  };

  useSubscription(
    trpc.symbols.onChanged.subscriptionOptions(
      { lastEventId: snapshot.data?.seq },
      {
        enabled: snapshot.data !== undefined && auto,
        onData: (d) => {
          const change = unwrap(d);
          if (change.type === 'reload') {
            void queryClient.invalidateQueries(trpc.symbols.snapshot.queryFilter());
            return;
          }
          pending.current.push(change);
          timer.current ??= setTimeout(flush, APPLY_EVERY_MS);
        },
      },
    ),
  );

  const current = live && live.base === snapshot.data ? live : base.current;
  return { rows: current?.rows ?? [], isPending: snapshot.isPending, updatedAt: current?.updatedAt ?? 0 };
}
