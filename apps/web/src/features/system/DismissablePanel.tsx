import type { ReactNode } from 'react';

/**
 * A panel the header opens above the symbols (checks, alerts): a title with its status beside it,
 * a button that hides it, the request's error, then its body.
 */
export function DismissablePanel({
  titleId,
  title,
  status,
  hideLabel,
  onClose,
  error,
  children,
}: {
  titleId: string;
  title: string;
  status?: ReactNode;
  hideLabel: string;
  onClose: () => void;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={titleId}
      className="mx-4 mt-3 rounded-lg border border-zinc-800 bg-zinc-900/80 px-4 py-3 shadow-lg shadow-black/20"
    >
      <div className="mb-2 flex items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h2 id={titleId} className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
            {title}
          </h2>
          {status}
        </div>
        <button
          type="button"
          onClick={onClose}
          className="rounded px-2 py-1 text-xs text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100"
        >
          {hideLabel}
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-rose-300">
          {error}
        </p>
      )}
      {children}
    </section>
  );
}
