import type { Alert, AlertKind } from '@candlebase/contracts';
import { formatAgo, formatUtc, pluralize } from '../../lib/format';
import { Badge, type Tone } from '../../ui/Badge';
import { DismissablePanel } from './DismissablePanel';

const KIND_LABEL: Record<AlertKind, string> = {
  job_failed: 'Job failed',
  check_failed: 'Check failed',
  series_stale: 'Series stale',
};

function delivery(a: Alert): { tone: Tone; label: string } {
  switch (a.delivery) {
    case 'delivered':
      return { tone: 'green', label: 'Delivered' };
    case 'failed':
      return { tone: 'red', label: `Not delivered (${pluralize(a.attempts, 'attempt')})` };
    case 'unsent':
      return { tone: 'neutral', label: 'Not sent' };
    default:
      return { tone: 'amber', label: a.attempts > 0 ? `Retrying (${pluralize(a.attempts, 'attempt')})` : 'Sending' };
  }
}

/** The newest alerts, each with where its webhook delivery stands. */
export function AlertsPanel({
  alerts,
  webhook,
  error,
  onClose,
}: {
  alerts: Alert[] | undefined;
  webhook: boolean;
  error: string | null;
  onClose: () => void;
}) {
  return (
    <DismissablePanel
      titleId="alerts-title"
      title="Alerts"
      status={
        <span className="text-xs text-zinc-400">
          {webhook ? 'Sent to the configured webhook' : 'No webhook configured (ALERT_WEBHOOK_URL): shown here only'}
        </span>
      }
      hideLabel="Hide alerts"
      onClose={onClose}
      error={error}
    >
      {alerts && alerts.length === 0 && (
        <p className="text-sm text-zinc-400">No alerts: nothing has failed or gone stale.</p>
      )}
      {alerts && alerts.length > 0 && (
        <ul aria-label="Recent alerts" className="max-h-72 divide-y divide-zinc-800/70 overflow-y-auto">
          {alerts.map((a) => {
            const d = delivery(a);
            return (
              <li key={a.id} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2 text-sm">
                <span className="w-28 shrink-0 text-xs font-medium text-zinc-300">
                  {KIND_LABEL[a.kind]}
                  {a.resolved_at && a.kind !== 'job_failed' && <span className="block text-zinc-400">resolved</span>}
                </span>
                <span className="min-w-0 flex-1 text-zinc-200">
                  {a.message}
                  {a.last_error && a.delivery !== 'delivered' && (
                    <span className="block text-xs text-rose-300/90">{a.last_error}</span>
                  )}
                </span>
                <span className="flex shrink-0 items-center gap-2">
                  <span title={a.last_error ?? undefined}>
                    <Badge tone={d.tone}>{d.label}</Badge>
                  </span>
                  <span className="text-xs tabular-nums text-zinc-400" title={formatUtc(a.at)}>
                    {formatAgo(a.at)}
                  </span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </DismissablePanel>
  );
}
