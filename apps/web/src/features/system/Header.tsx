import { useState } from 'react';
import { useDialogs } from '../../app/dialogs';
import { friendlyMessage } from '../../lib/errors';
import { Badge } from '../../ui/Badge';
import { Button } from '../../ui/Button';
import { useSymbolsList } from '../symbols/queries';
import { AlertsPanel } from './AlertsPanel';
import { ChecksPanel } from './ChecksPanel';
import { useRunChecks } from './checks';
import { HealthIndicator } from './HealthIndicator';
import { MetricsStrip } from './MetricsStrip';
import { ProviderBudgets } from './ProviderBudgets';
import { useAlerts, useHealth, useMetrics } from './queries';
import { RefreshControls } from './RefreshControls';

function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6">
      <rect x="3" y="7" width="4" height="10" rx="1" className="fill-emerald-400" />
      <path d="M5 4v3M5 17v3" className="stroke-emerald-400" strokeWidth="1.5" />
      <rect x="10" y="4" width="4" height="12" rx="1" className="fill-rose-400" />
      <path d="M12 2v2M12 16v4" className="stroke-rose-400" strokeWidth="1.5" />
      <rect x="17" y="9" width="4" height="7" rx="1" className="fill-emerald-400" />
      <path d="M19 6v3M19 16v3" className="stroke-emerald-400" strokeWidth="1.5" />
    </svg>
  );
}

export function Header() {
  const health = useHealth();
  const metrics = useMetrics();
  const symbols = useSymbolsList();
  const checks = useRunChecks();
  const dialogs = useDialogs();
  const [showChecks, setShowChecks] = useState(false);
  const alerts = useAlerts();
  const [showAlerts, setShowAlerts] = useState(false);
  // Open conditions and undelivered alerts: what someone should look at.
  const needsAttention = (alerts.data?.alerts ?? []).filter(
    (a) => a.delivery === 'failed' || (a.resolved_at === null && a.kind !== 'job_failed'),
  ).length;
  const lastRefresh = Math.max(health.dataUpdatedAt, metrics.dataUpdatedAt, symbols.dataUpdatedAt);

  const runChecks = () => {
    setShowChecks(true);
    checks.mutate();
  };

  return (
    <header className="border-b border-zinc-800 bg-zinc-950/95">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <div className="flex items-center gap-2.5">
          <Logo />
          <h1 className="text-lg font-semibold tracking-tight text-zinc-50">Candlebase</h1>
        </div>
        {health.data?.provider.demo && (
          <span title={`Provider "${health.data.provider.name}" generates deterministic synthetic candles`}>
            <Badge tone="violet">demo data</Badge>
          </span>
        )}
        <HealthIndicator health={health.data} unreachable={health.isError} />
        <ProviderBudgets budgets={health.data?.providers} />
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <Button size="sm" variant="ghost" onClick={() => window.open('/docs', '_blank', 'noopener,noreferrer')}>
            API Docs
            <svg
              aria-hidden="true"
              viewBox="0 0 16 16"
              className="size-3"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.6"
            >
              <path d="M6 3H3v10h10v-3M9 3h4v4M13 3 7 9" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setShowAlerts((v) => !v)} aria-expanded={showAlerts}>
            Alerts
            {needsAttention > 0 && (
              <span className="rounded-full bg-rose-500/20 px-1.5 text-[0.6875rem] tabular-nums text-rose-200">
                {needsAttention}
              </span>
            )}
          </Button>
          <Button size="sm" variant="ghost" onClick={runChecks} disabled={checks.isPending} aria-expanded={showChecks}>
            Run Checks
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={dialogs.openShortcuts}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            <kbd className="font-mono text-xs">?</kbd>
          </Button>
          <Button size="sm" variant="secondary" onClick={dialogs.openCoverageMap}>
            Coverage Map
          </Button>
          <Button size="sm" variant="secondary" onClick={dialogs.openImport}>
            Import CSV…
          </Button>
          <Button size="sm" variant="primary" onClick={() => dialogs.openBackfill()}>
            Manual Backfill…
          </Button>
        </div>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-x-6 gap-y-2 border-t border-zinc-900 px-4 py-2">
        <MetricsStrip metrics={metrics.data} />
        <RefreshControls lastRefresh={lastRefresh} />
      </div>
      {showAlerts && (
        <div className="pb-3">
          <AlertsPanel
            alerts={alerts.data?.alerts}
            webhook={alerts.data?.webhook ?? false}
            error={alerts.error ? friendlyMessage(alerts.error) : null}
            onClose={() => setShowAlerts(false)}
          />
        </div>
      )}
      {showChecks && (
        <div className="pb-3">
          <ChecksPanel
            result={checks.data}
            running={checks.isPending}
            error={checks.error ? friendlyMessage(checks.error) : null}
            onClose={() => setShowChecks(false)}
          />
        </div>
      )}
    </header>
  );
}
