import type { ReactNode } from 'react';

export type Tone = 'neutral' | 'green' | 'amber' | 'sky' | 'red' | 'violet';

const TONES: Record<Tone, string> = {
  neutral: 'bg-zinc-800 text-zinc-300 ring-zinc-700',
  green: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30',
  amber: 'bg-amber-500/10 text-amber-300 ring-amber-500/30',
  sky: 'bg-sky-500/10 text-sky-300 ring-sky-500/30',
  red: 'bg-rose-500/10 text-rose-300 ring-rose-500/30',
  violet: 'bg-violet-500/10 text-violet-300 ring-violet-500/30',
};

const DOTS: Record<Tone, string> = {
  neutral: 'bg-zinc-500',
  green: 'bg-emerald-400',
  amber: 'bg-amber-400',
  sky: 'bg-sky-400 animate-pulse',
  red: 'bg-rose-400',
  violet: 'bg-violet-400',
};

export function Badge({ tone, children, dot = true }: { tone: Tone; children: ReactNode; dot?: boolean }) {
  return (
    <span
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-[0.6875rem] font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {dot && <span aria-hidden="true" className={`size-1.5 rounded-full ${DOTS[tone]}`} />}
      {children}
    </span>
  );
}
