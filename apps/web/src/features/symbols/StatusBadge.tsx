import type { SymbolStatus } from '@candlebase/contracts';
import { Badge } from '../../ui/Badge';
import { STATUS_LABELS, STATUS_TONES } from './status';

export function StatusBadge({ status, title }: { status: SymbolStatus; title?: string | undefined }) {
  return (
    <span title={title}>
      <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>
    </span>
  );
}
