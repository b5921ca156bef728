import { useEffect } from 'react';
import { type ApiErrorNotice, dismissApiError, useApiErrors } from '../../lib/errors';
import { CloseIcon } from '../../ui/CloseIcon';

const AUTO_DISMISS_MS = 5000;

function Notice({ notice }: { notice: ApiErrorNotice }) {
  useEffect(() => {
    const id = window.setTimeout(() => dismissApiError(notice.id), AUTO_DISMISS_MS);
    return () => window.clearTimeout(id);
  }, [notice.id]);
  return (
    <div
      role="alert"
      className="pointer-events-auto flex items-start gap-3 rounded-lg border border-rose-500/40 bg-rose-950/90 px-4 py-3 text-sm text-rose-100 shadow-xl shadow-black/40 backdrop-blur"
    >
      <svg aria-hidden="true" viewBox="0 0 16 16" className="mt-0.5 size-4 shrink-0 text-rose-300" fill="currentColor">
        <path d="M8 1.5 15 14H1L8 1.5Zm-.75 4.5v4h1.5V6h-1.5Zm0 5.25v1.5h1.5v-1.5h-1.5Z" />
      </svg>
      <p className="min-w-0 flex-1">
        {notice.message}
        <span className="ml-2 rounded bg-rose-500/20 px-1.5 py-0.5 font-mono text-[0.6875rem] text-rose-200">
          {notice.status === null ? 'network error' : `HTTP ${notice.status}`}
        </span>
      </p>
      <button
        type="button"
        aria-label="Dismiss"
        onClick={() => dismissApiError(notice.id)}
        className="-my-0.5 rounded p-0.5 text-rose-300 hover:bg-rose-500/20 hover:text-rose-100"
      >
        <CloseIcon />
      </button>
    </div>
  );
}

/** API and network errors, top centre, each for five seconds unless dismissed sooner. */
export function ErrorBanner() {
  const notices = useApiErrors();
  if (notices.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-x-0 top-3 z-[60] mx-auto flex w-full max-w-xl flex-col gap-2 px-4">
      {notices.map((n) => (
        <Notice key={n.id} notice={n} />
      ))}
    </div>
  );
}
