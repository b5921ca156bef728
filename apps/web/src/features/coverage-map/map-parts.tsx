import { type BackfillPreview, COVERAGE_MAP_STATES, type CoverageMapBucket } from '@candlebase/contracts';
import { STATE_COLORS, STATE_LABELS } from './draw';

export const ZOOM_LABELS: Record<CoverageMapBucket, string> = { month: 'Months', week: 'Weeks', day: 'Days' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function defaultRange(now = new Date()) {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 23, 1));
  return { from: from.toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) };
}

export function columnLabel(bucket: CoverageMapBucket, start: string): string {
  const d = new Date(start);
  if (bucket === 'month') return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).slice(2)}`;
  return start.slice(5, 10);
}

export function columnTitle(bucket: CoverageMapBucket, start: string, end: string): string {
  const last = new Date(Date.parse(end) - 86_400_000).toISOString().slice(0, 10);
  const first = start.slice(0, 10);
  if (bucket === 'day') return first;
  return `${first} to ${last}`;
}

/** Sums the previews of several jobs into one table: each job's items, their totals added. */
export function mergePreviews(previews: BackfillPreview[]): BackfillPreview {
  return {
    items: previews.flatMap((p) => p.items),
    total_bars: previews.reduce((n, p) => n + p.total_bars, 0),
    total_requests: previews.reduce((n, p) => n + p.total_requests, 0),
    // Jobs on one provider share its quota, so their times add up.
    estimated_seconds: previews.reduce((n, p) => n + p.estimated_seconds, 0),
  };
}

export function Legend() {
  return (
    <ul aria-label="Legend" className="ml-auto flex flex-wrap gap-x-3 gap-y-1">
      {COVERAGE_MAP_STATES.map((s) => (
        <li key={s} className="flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block size-2.5 rounded-sm"
            style={{ background: STATE_COLORS[s] }}
          />
          {STATE_LABELS[s]}
        </li>
      ))}
    </ul>
  );
}
