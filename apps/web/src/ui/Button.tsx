import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';
type Size = 'sm' | 'md';

const VARIANTS: Record<Variant, string> = {
  // Disabled, a primary button stops looking like the thing to press (Fill gaps with no gaps).
  primary:
    'bg-sky-700 text-white hover:bg-sky-600 border-sky-500/60 shadow-sm shadow-sky-950/40 disabled:bg-zinc-800 disabled:hover:bg-zinc-800 disabled:border-zinc-700 disabled:text-zinc-300 disabled:shadow-none',
  secondary: 'bg-zinc-800/80 text-zinc-100 hover:bg-zinc-700/80 border-zinc-700',
  ghost: 'bg-transparent text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 border-transparent',
  danger: 'bg-rose-500/10 text-rose-200 hover:bg-rose-500/25 border-rose-500/50',
};

const SIZES: Record<Size, string> = {
  sm: 'h-7 px-2.5 text-xs gap-1.5',
  md: 'h-8 px-3 text-sm gap-2',
};

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
}

export function Button({ variant = 'secondary', size = 'md', className = '', type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex shrink-0 items-center justify-center whitespace-nowrap rounded-md border font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-400 disabled:cursor-not-allowed disabled:opacity-40 ${VARIANTS[variant]} ${SIZES[size]} ${className}`}
      {...rest}
    />
  );
}
