import type { ProviderBudget } from '@candlebase/contracts';

function perWindow(windowMs: number): string {
  return windowMs === 60_000 ? 'minute' : `${windowMs / 1000} s`;
}

/** What one budget says in words, for the tooltip and screen readers. */
export function describeBudget(b: ProviderBudget): string {
  const use = `${b.name}: ${b.used_last_minute} of ${b.budget_per_minute} ${b.unit} used this ${perWindow(b.window_ms)}`;
  const scope = b.shared ? 'shared by every server and worker' : 'counted by this process only';
  const paused = b.paused_until ? `; paused after a 429 until ${new Date(b.paused_until).toLocaleTimeString()}` : '';
  return `${use} (${scope})${paused}`;
}

/** "polygon 1/5" beside the health pill: each provider's request budget, and a pause when a 429 imposed one. */
export function ProviderBudgets({ budgets }: { budgets: readonly ProviderBudget[] | undefined }) {
  if (!budgets || budgets.length === 0) return null;
  return (
    <div className="flex items-center gap-1.5">
      {budgets.map((b) => {
        const text = describeBudget(b);
        const full = b.used_last_minute >= b.budget_per_minute || b.paused_until !== null;
        return (
          <output
            key={`${b.name}-${b.unit}`}
            aria-label={`Quota: ${text}`}
            title={text}
            className="inline-flex items-center gap-1 rounded-md border border-zinc-800 bg-zinc-900 px-2 py-1 text-xs tabular-nums"
          >
            <span className="text-zinc-400">{b.name}</span>
            <span className={full ? 'text-amber-300' : 'text-zinc-200'}>
              {b.used_last_minute}/{b.budget_per_minute}
            </span>
            {b.paused_until && <span className="text-amber-300">paused</span>}
          </output>
        );
      })}
    </div>
  );
}
