import { RecentJobsPanel } from '../features/backfill/RecentJobsPanel';
import { SEARCH_INPUT_ID } from '../features/symbols/SymbolFilters';
import { SymbolsPanel } from '../features/symbols/SymbolsPanel';
import { ErrorBanner } from '../features/system/ErrorBanner';
import { Header } from '../features/system/Header';
import { TokenDialog } from '../features/system/TokenDialog';
import { DialogHost } from './DialogHost';
import { useDialogs } from './dialogs';
import { useHotkeys } from './hotkeys';

function useDashboardHotkeys() {
  const dialogs = useDialogs();
  // While a dialog is open it owns the keyboard (Esc closes it).
  useHotkeys(
    {
      '/': () => document.getElementById(SEARCH_INPUT_ID)?.focus(),
      '?': dialogs.openShortcuts,
    },
    dialogs.current.kind === 'none',
  );
}

export function App() {
  useDashboardHotkeys();
  return (
    <div className="flex h-dvh min-h-[36rem] flex-col">
      <a
        href="#watchlist"
        className="sr-only z-50 rounded-md bg-sky-700 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:left-3 focus:top-3"
      >
        Skip to symbols
      </a>
      <Header />
      <main className="grid min-h-0 flex-1 grid-cols-1 gap-3 overflow-y-auto p-3 lg:overflow-hidden lg:grid-cols-[minmax(0,1fr)_20rem] 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <SymbolsPanel />
        <RecentJobsPanel />
      </main>
      <ErrorBanner />
      <DialogHost />
      <TokenDialog />
    </div>
  );
}
