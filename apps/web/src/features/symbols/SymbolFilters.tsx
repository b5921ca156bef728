import { SYMBOL_STATUSES } from '@candlebase/contracts';
import { isStatusFilter, STATUS_LABELS, type StatusFilter } from './status';

export const SEARCH_INPUT_ID = 'symbol-search';

export function SymbolFilters({
  search,
  onSearch,
  status,
  onStatus,
}: {
  search: string;
  onSearch: (v: string) => void;
  status: StatusFilter;
  onStatus: (v: StatusFilter) => void;
}) {
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <div className="relative min-w-0 max-w-full">
        <svg
          aria-hidden="true"
          viewBox="0 0 16 16"
          className="pointer-events-none absolute left-2 top-1/2 size-3.5 -translate-y-1/2 text-zinc-400"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
        >
          <circle cx="7" cy="7" r="4.5" />
          <path d="m10.5 10.5 3 3" strokeLinecap="round" />
        </svg>
        <input
          id={SEARCH_INPUT_ID}
          type="search"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          placeholder="Search symbols..."
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && search) {
              e.preventDefault();
              onSearch('');
            }
          }}
          className="h-8 w-56 max-w-full rounded-md border border-zinc-700 bg-zinc-950 pl-7 pr-8 text-sm text-zinc-100 placeholder:text-zinc-500 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500 [&::-webkit-search-cancel-button]:hidden"
        />
        {search ? (
          <button
            type="button"
            aria-label="Clear search"
            onClick={() => onSearch('')}
            className="absolute right-1.5 top-1/2 -translate-y-1/2 rounded px-1 text-sm leading-none text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
          >
            ×
          </button>
        ) : (
          <kbd className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 rounded border border-zinc-700 px-1 font-mono text-[0.625rem] text-zinc-400">
            /
          </kbd>
        )}
      </div>
      <div className="flex min-w-0 items-center gap-2">
        <label htmlFor="status-filter" className="text-xs text-zinc-400">
          Status
        </label>
        <select
          id="status-filter"
          value={status}
          onChange={(e) => {
            const v = e.target.value;
            if (isStatusFilter(v)) onStatus(v);
          }}
          className="h-8 min-w-0 max-w-full rounded-md border border-zinc-700 bg-zinc-950 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
        >
          <option value="all">All</option>
          {SYMBOL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
