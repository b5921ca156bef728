import type { JobStatus } from '@candlebase/contracts';
import { Badge, type Tone } from '../../ui/Badge';

const TONES: Record<JobStatus, Tone> = {
  queued: 'neutral',
  running: 'sky',
  completed: 'green',
  failed: 'red',
  cancelled: 'amber',
};

const LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return <Badge tone={TONES[status]}>{LABELS[status]}</Badge>;
}
