import type { Metrics } from '@candlebase/contracts';
import { formatAgo, formatInt, formatUtc } from '../../lib/format';

function Metric({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="flex min-w-0 flex-col" title={title}>
      <dt className="text-[0.625rem] font-medium uppercase tracking-wider text-zinc-400">{label}</dt>
      <dd className="truncate text-sm font-semibold tabular-nums text-zinc-100">{value}</dd>
    </div>
  );
}

export function MetricsStrip({ metrics }: { metrics: Metrics | undefined }) {
  const running = metrics ? (metrics.jobs.running ?? 0) + (metrics.jobs.queued ?? 0) : null;
  return (
    <dl aria-label="Metrics" className="flex flex-wrap items-center gap-x-6 gap-y-2">
      <Metric label="Symbols" value={metrics ? formatInt(metrics.symbols) : '—'} />
      <Metric label="Candles stored" value={metrics ? formatInt(metrics.candles) : '—'} />
      <Metric
        label="Jobs running"
        value={running === null ? '—' : formatInt(running)}
        title={metrics ? `${metrics.jobs.running ?? 0} running, ${metrics.jobs.queued ?? 0} queued` : undefined}
      />
      <Metric
        label="Latest data"
        value={metrics?.latest_data ? formatAgo(metrics.latest_data) : 'none yet'}
        title={metrics?.latest_data ? formatUtc(metrics.latest_data) : undefined}
      />
    </dl>
  );
}
