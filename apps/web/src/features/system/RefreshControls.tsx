import { useIsFetching } from '@tanstack/react-query';
import { useState } from 'react';
import { formatClock } from '../../lib/format';
import { Button } from '../../ui/Button';
import { useRefreshDashboard, useRefreshSettings } from './refresh';

export function RefreshControls({ lastRefresh }: { lastRefresh: number }) {
  const { auto, setAuto } = useRefreshSettings();
  const refresh = useRefreshDashboard();
  const fetching = useIsFetching() > 0;
  const [busy, setBusy] = useState(false);
  const onRefresh = () => {
    setBusy(true);
    refresh().finally(() => setBusy(false));
  };
  return (
    <div className="flex flex-wrap items-center gap-3 text-xs text-zinc-400">
      <span className="tabular-nums" aria-live="off">
        Last refresh <time className="text-zinc-300">{lastRefresh > 0 ? formatClock(lastRefresh) : '—'}</time>
      </span>
      <label
        className="inline-flex cursor-pointer select-none items-center gap-1.5"
        title="Refresh every 10 s while this tab is visible"
      >
        <input
          type="checkbox"
          checked={auto}
          onChange={(e) => setAuto(e.target.checked)}
          className="size-3.5 accent-sky-500"
        />
        Auto-refresh 10 s
      </label>
      <Button size="sm" onClick={onRefresh} disabled={busy}>
        <svg
          aria-hidden="true"
          viewBox="0 0 16 16"
          className={`size-3.5 ${busy || fetching ? 'animate-spin' : ''}`}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        >
          <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v2.8h-2.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Refresh Now
      </Button>
    </div>
  );
}
