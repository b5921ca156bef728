import type { Health } from '@candlebase/contracts';

/** "pglite · ok" with a coloured dot; degraded and unreachable states say so in words too. */
export function HealthIndicator({ health, unreachable }: { health: Health | undefined; unreachable: boolean }) {
  const ok = !unreachable && health?.database.ok === true;
  const label = unreachable
    ? 'Server unreachable'
    : health
      ? `${health.database.engine} · ${health.database.ok ? 'ok' : 'degraded'}`
      : 'Checking…';
  // The last answer's latency would read as current: it goes with the answer.
  const detail = !unreachable && health?.database.latency_ms != null ? `${health.database.latency_ms} ms` : null;
  return (
    <output
      aria-label={`Health: ${label}`}
      title={health?.database.last_error ?? undefined}
      className="inline-flex items-center gap-2 rounded-md border border-zinc-800 bg-zinc-900 px-2.5 py-1 text-xs"
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${ok ? 'bg-emerald-400 shadow-[0_0_6px] shadow-emerald-400/60' : health || unreachable ? 'bg-rose-400' : 'bg-zinc-500'}`}
      />
      <span className={ok ? 'text-zinc-200' : 'text-rose-300'}>{label}</span>
      {detail && <span className="tabular-nums text-zinc-400">{detail}</span>}
    </output>
  );
}
