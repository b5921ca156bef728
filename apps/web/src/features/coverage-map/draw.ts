import { COVERAGE_MAP_STATES, type CoverageMapState } from '@candlebase/contracts';
import { type CellRect, isSelected } from './selection';

export const ROW_H = 16;
export const HEADER_H = 22;
export const LABEL_W = 112;

export const STATE_COLORS: Record<CoverageMapState, string> = {
  none: '#18181b',
  complete: '#10b981',
  partial: '#f59e0b',
  missing: '#e11d48',
  quiet: '#64748b',
  failed: '#a21caf',
  in_progress: '#38bdf8',
};

export const STATE_LABELS: Record<CoverageMapState, string> = {
  none: 'nothing expected',
  complete: 'complete',
  partial: 'partial',
  missing: 'missing',
  quiet: 'quiet',
  failed: 'failed',
  in_progress: 'in progress',
};

export type MapRow = { symbol: string; cells: readonly number[] } | undefined;

/** A cell's figures for the hover, the live line and the text alternative. */
export function cellFigures(row: MapRow, col: number) {
  const cells = row?.cells ?? [];
  const stored = cells[col * 3] ?? 0;
  const expected = cells[col * 3 + 1] ?? 0;
  const state = COVERAGE_MAP_STATES[cells[col * 3 + 2] ?? 0] ?? 'none';
  return { stored, expected, missing: Math.max(0, expected - stored), state, label: STATE_LABELS[state] };
}

const FILLS = COVERAGE_MAP_STATES.map((s) => STATE_COLORS[s]);

export interface MapView {
  width: number;
  height: number;
  scrollLeft: number;
  scrollTop: number;
  colW: number;
  columns: readonly { label: string }[];
  /** Row i's symbol and cells (stored, expected, state per column), or undefined while its page loads. */
  rowAt: (i: number) => { symbol: string; cells: readonly number[] } | undefined;
  total: number;
  selection: readonly CellRect[];
  focus: { row: number; col: number } | null;
}

/** The rows and columns at least partly inside the viewport. */
export function visibleRange(
  v: Pick<MapView, 'width' | 'height' | 'scrollLeft' | 'scrollTop' | 'colW' | 'total'>,
  ncols: number,
) {
  const r0 = Math.max(0, Math.floor(v.scrollTop / ROW_H));
  const r1 = Math.min(v.total - 1, Math.floor((v.scrollTop + v.height - HEADER_H) / ROW_H));
  const c0 = Math.max(0, Math.floor(v.scrollLeft / v.colW));
  const c1 = Math.min(ncols - 1, Math.floor((v.scrollLeft + v.width - LABEL_W) / v.colW));
  return { r0, r1, c0, c1 };
}

/**
 * Paints the viewport only: visible rows x visible columns, then the sticky column header and row
 * labels. Cost is proportional to what is on screen, never to the catalog's size.
 */
export function drawMap(ctx: CanvasRenderingContext2D, v: MapView): void {
  const { r0, r1, c0, c1 } = visibleRange(v, v.columns.length);
  ctx.fillStyle = '#09090b';
  ctx.fillRect(0, 0, v.width, v.height);
  const gap = v.colW > 6 ? 1 : 0;
  for (let r = r0; r <= r1; r++) {
    const y = HEADER_H + r * ROW_H - v.scrollTop;
    const row = v.rowAt(r);
    for (let c = c0; c <= c1; c++) {
      const x = LABEL_W + c * v.colW - v.scrollLeft;
      ctx.fillStyle = row ? (FILLS[row.cells[c * 3 + 2] ?? 0] ?? '#18181b') : '#27272a';
      ctx.fillRect(x, y, v.colW - gap, ROW_H - 1);
    }
  }
  // Selection outlines over the cells.
  ctx.strokeStyle = '#f4f4f5';
  ctx.lineWidth = 1;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      if (!isSelected(v.selection, r, c)) continue;
      ctx.strokeRect(
        LABEL_W + c * v.colW - v.scrollLeft + 0.5,
        HEADER_H + r * ROW_H - v.scrollTop + 0.5,
        v.colW - 2,
        ROW_H - 2,
      );
    }
  }
  if (v.focus) {
    ctx.strokeStyle = '#38bdf8';
    ctx.lineWidth = 2;
    ctx.strokeRect(
      LABEL_W + v.focus.col * v.colW - v.scrollLeft,
      HEADER_H + v.focus.row * ROW_H - v.scrollTop,
      v.colW,
      ROW_H,
    );
  }
  // Row labels.
  ctx.fillStyle = '#09090b';
  ctx.fillRect(0, HEADER_H, LABEL_W, v.height);
  ctx.font = '11px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  for (let r = r0; r <= r1; r++) {
    const row = v.rowAt(r);
    ctx.fillStyle = v.selection.some((s) => r >= s.r0 && r <= s.r1) ? '#f4f4f5' : '#a1a1aa';
    ctx.fillText(row?.symbol ?? '…', 6, HEADER_H + r * ROW_H - v.scrollTop + ROW_H / 2);
  }
  // Column header.
  ctx.fillStyle = '#09090b';
  ctx.fillRect(0, 0, v.width, HEADER_H);
  ctx.fillStyle = '#a1a1aa';
  const every = Math.max(1, Math.ceil(44 / v.colW));
  for (let c = c0; c <= c1; c++) {
    if (c % every !== 0) continue;
    ctx.fillText(v.columns[c]?.label ?? '', LABEL_W + c * v.colW - v.scrollLeft + 2, HEADER_H / 2);
  }
}

/** The cell, row label or column label under a point of the canvas. */
export function hitTest(
  v: Pick<MapView, 'scrollLeft' | 'scrollTop' | 'colW' | 'total'>,
  ncols: number,
  x: number,
  y: number,
): { row: number; col: number } | null {
  const row = y < HEADER_H ? -1 : Math.floor((y - HEADER_H + v.scrollTop) / ROW_H);
  const col = x < LABEL_W ? -1 : Math.floor((x - LABEL_W + v.scrollLeft) / v.colW);
  if (row >= v.total || col >= ncols || (row < 0 && col < 0)) return null;
  return { row, col };
}
