import { SYMBOL_STATUSES, type SymbolStatus } from '@candlebase/contracts';
import type { Tone } from '../../ui/Badge';

export const STATUS_LABELS: Record<SymbolStatus, string> = {
  no_data: 'No data',
  fresh: 'Fresh',
  stale: 'Stale',
  backfilling: 'Backfilling',
  error: 'Error',
};

export const STATUS_TONES: Record<SymbolStatus, Tone> = {
  no_data: 'neutral',
  fresh: 'green',
  stale: 'amber',
  backfilling: 'sky',
  error: 'red',
};

export type StatusFilter = 'all' | SymbolStatus;

export function isStatusFilter(v: unknown): v is StatusFilter {
  return v === 'all' || (SYMBOL_STATUSES as readonly unknown[]).includes(v);
}

export function statusRank(s: SymbolStatus): number {
  return SYMBOL_STATUSES.indexOf(s);
}
