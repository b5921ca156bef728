import type { ReactNode } from 'react';

/** A titled surface on the dashboard. */
export function Panel({
  title,
  actions,
  children,
  className = '',
  labelledBy,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  labelledBy: string;
}) {
  return (
    <section
      aria-labelledby={labelledBy}
      className={`flex min-h-0 flex-col rounded-lg border border-zinc-800 bg-zinc-900/60 ${className}`}
    >
      <div className="flex items-center justify-between gap-3 border-b border-zinc-800 px-3.5 py-2.5">
        <h2 id={labelledBy} className="text-xs font-semibold uppercase tracking-wider text-zinc-400">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
