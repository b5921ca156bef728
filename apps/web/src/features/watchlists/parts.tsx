import type { ReactNode } from 'react';

export const INPUT_CLASS =
  'h-9 rounded-md border border-zinc-700 bg-zinc-950 px-3 text-zinc-100 outline-none focus:border-sky-500 focus:ring-1 focus:ring-sky-500';

/** A form's failure, in the server's words; announced as it appears. */
export function FormAlert({ children }: { children: ReactNode }) {
  return (
    <p role="alert" className="rounded-md border border-rose-500/40 bg-rose-500/10 px-3 py-2.5 text-sm text-rose-200">
      {children}
    </p>
  );
}

/** What went well, or what the provider said: announced politely. */
export function FormNote({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'warn' }) {
  const colours =
    tone === 'warn'
      ? 'border-amber-500/40 bg-amber-500/10 text-amber-100'
      : 'border-sky-500/40 bg-sky-500/10 text-sky-100';
  return (
    <p role="status" className={`rounded-md border px-3 py-2.5 text-sm ${colours}`}>
      {children}
    </p>
  );
}
