import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measured figure: its value, and what it is compared against in the same run. */
export interface Figure {
  name: string;
  value: number | null;
  unit: string;
  /** The same-run reference, in words: "copy baseline 250000/s, ratio 0.60". */
  baseline?: string;
  /** The goal, in words: ">= 0.6". */
  target?: string;
  /** Whether the target holds; undefined when there is none. */
  ok?: boolean;
  note?: string;
  /** Extra numbers that go into the JSON only. */
  detail?: Record<string, unknown>;
}

export class Report {
  readonly figures: Figure[] = [];

  add(f: Figure): Figure {
    this.figures.push(f);
    console.log(formatFigure(f));
    return f;
  }

  /** A figure that could not be measured, with the reason. */
  skip(name: string, reason: string): void {
    this.add({ name, value: null, unit: '', note: reason });
  }

  write(path: string, meta: Record<string, unknown>): void {
    mkdirSync(dirname(path), { recursive: true });
    const figures = Object.fromEntries(this.figures.map((f) => [f.name, f]));
    writeFileSync(path, `${JSON.stringify({ ...meta, figures }, null, 2)}\n`);
  }
}

export function formatFigure(f: Figure): string {
  const value = f.value === null ? 'not measured' : `${fmt(f.value)}${f.unit ? ` ${f.unit}` : ''}`;
  const parts = [
    f.baseline,
    f.target ? `target ${f.target}${f.ok === undefined ? '' : f.ok ? ' ok' : ' MISSED'}` : '',
    f.note,
  ]
    .filter(Boolean)
    .join('; ');
  return `${f.name}: ${value}${parts ? ` (${parts})` : ''}`;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return String(Math.round(n));
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
