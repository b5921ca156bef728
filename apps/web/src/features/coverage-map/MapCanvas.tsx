import { type KeyboardEvent, type MouseEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatInt } from '../../lib/format';
import {
  cellFigures,
  drawMap,
  HEADER_H,
  hitTest,
  LABEL_W,
  type MapRow,
  type MapView,
  ROW_H,
  visibleRange,
} from './draw';
import { type CellRect, normalise } from './selection';
import { VisibleRowsTable } from './VisibleRowsTable';

export interface MapCell {
  row: number;
  col: number;
}

export interface MapCanvasProps {
  columns: readonly { label: string; title: string }[];
  total: number;
  rowAt: (i: number) => MapRow;
  selection: CellRect[];
  onSelection: (next: CellRect[]) => void;
  onOpenCell: (cell: MapCell) => void;
  onVisibleRows: (first: number, last: number) => void;
}

/**
 * The grid on a <canvas> inside a scroller whose spacer has the full grid's size: the browser
 * scrolls natively and each frame paints only the visible cells. Mouse: click a cell (opens its
 * gaps), shift-click or drag to extend, ctrl/cmd-click to add; click a row or column label to select it.
 * Keyboard: arrows move, shift+arrows extend, Space selects, Enter opens the cell's gaps.
 */
export function MapCanvas({
  columns,
  total,
  rowAt,
  selection,
  onSelection,
  onOpenCell,
  onVisibleRows,
}: MapCanvasProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const [scroll, setScroll] = useState({ left: 0, top: 0 });
  const [hover, setHover] = useState<{ cell: MapCell; x: number; y: number } | null>(null);
  const [focus, setFocus] = useState<MapCell | null>(null);
  const anchor = useRef<MapCell | null>(null);
  const dragging = useRef(false);
  const colW = Math.max(6, Math.floor((size.width - LABEL_W) / Math.max(1, columns.length)));
  // Scrolling paints straight from this ref in the next animation frame, without a React render;
  // the text alternative follows once scrolling pauses (`scroll` state).
  const live = useRef({ left: 0, top: 0 });
  const view: MapView = {
    width: size.width,
    height: size.height,
    scrollLeft: live.current.left,
    scrollTop: live.current.top,
    colW,
    columns,
    rowAt,
    total,
    selection,
    focus,
  };
  const latest = useRef(view);
  latest.current = view;
  const visible = visibleRange({ ...view, scrollLeft: scroll.left, scrollTop: scroll.top }, columns.length);
  const frame = useRef(0);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const paint = () => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const v = { ...latest.current, scrollLeft: live.current.left, scrollTop: live.current.top };
    const dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(v.width * dpr)) c.width = Math.round(v.width * dpr);
    if (c.height !== Math.round(v.height * dpr)) c.height = Math.round(v.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawMap(ctx, v);
  };

  const onScroll = (el: HTMLDivElement) => {
    live.current = { left: el.scrollLeft, top: el.scrollTop };
    if (!frame.current) {
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        paint();
        const r = visibleRange(
          { ...latest.current, scrollLeft: live.current.left, scrollTop: live.current.top },
          columns.length,
        );
        onVisibleRows(r.r0, r.r1);
      });
    }
    clearTimeout(settle.current);
    settle.current = setTimeout(() => setScroll({ ...live.current }), 300);
  };
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(settle.current);
    },
    [],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => paint());

  const at = (e: MouseEvent) => {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const v = { ...view, scrollLeft: live.current.left, scrollTop: live.current.top };
    return hitTest(v, columns.length, e.clientX - rect.left, e.clientY - rect.top);
  };
  const rectFor = (a: MapCell, b: MapCell): CellRect => {
    // A label (-1) stands for its whole row or column.
    const r = normalise({ row: Math.max(0, a.row), col: Math.max(0, a.col) }, { row: b.row, col: b.col });
    return {
      r0: a.row < 0 || b.row < 0 ? 0 : r.r0,
      r1: a.row < 0 || b.row < 0 ? total - 1 : r.r1,
      c0: a.col < 0 || b.col < 0 ? 0 : r.c0,
      c1: a.col < 0 || b.col < 0 ? columns.length - 1 : r.c1,
    };
  };
  const select = (cell: MapCell, extend: boolean, add: boolean) => {
    if (extend && anchor.current) {
      onSelection([...selection.slice(0, -1), rectFor(anchor.current, cell)]);
      return;
    }
    anchor.current = cell;
    const next = rectFor(cell, cell);
    onSelection(add ? [...selection, next] : [next]);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const cur = focus ?? { row: visible.r0, col: visible.c0 };
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageUp: [-20, 0],
      PageDown: [20, 0],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      const next = {
        row: Math.min(total - 1, Math.max(0, cur.row + move[0])),
        col: Math.min(columns.length - 1, Math.max(0, cur.col + move[1])),
      };
      setFocus(next);
      if (e.shiftKey) select(next, true, false);
      const el = scroller.current;
      if (el) {
        const y = next.row * ROW_H;
        if (y < el.scrollTop) el.scrollTop = y;
        if (y + ROW_H > el.scrollTop + el.clientHeight - HEADER_H)
          el.scrollTop = y + ROW_H - el.clientHeight + HEADER_H;
      }
    } else if (e.key === ' ' && focus) {
      e.preventDefault();
      select(focus, e.shiftKey, e.ctrlKey || e.metaKey);
    } else if (e.key === 'Enter' && focus) {
      e.preventDefault();
      onOpenCell(focus);
    }
  };

  const focused = focus ? rowAt(focus.row) : undefined;
  const focusedFigures = focus ? cellFigures(focused, focus.col) : null;
  const tip = hover ? cellFigures(rowAt(hover.cell.row), hover.cell.col) : null;

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        role="application"
        aria-label={`Coverage grid: ${formatInt(total)} symbols by ${columns.length} columns; arrows move, Space selects, Enter opens gaps`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the grid takes arrows, Space and Enter; the table below is its text
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => onScroll(e.currentTarget)}
        className="absolute inset-0 overflow-auto rounded-md border border-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-500"
      >
        <div style={{ width: LABEL_W + columns.length * colW, height: HEADER_H + total * ROW_H, position: 'relative' }}>
          <canvas
            ref={canvas}
            data-testid="coverage-canvas"
            style={{ position: 'sticky', left: 0, top: 0, width: size.width, height: size.height, display: 'block' }}
            onMouseDown={(e) => {
              const cell = at(e);
              if (!cell) return;
              dragging.current = true;
              select(cell, e.shiftKey, e.ctrlKey || e.metaKey);
              if (cell.row >= 0 && cell.col >= 0) setFocus(cell);
            }}
            onMouseMove={(e) => {
              const cell = at(e);
              if (dragging.current && cell && cell.row >= 0 && cell.col >= 0) select(cell, true, false);
              const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
              setHover(
                cell && cell.row >= 0 && cell.col >= 0 ? { cell, x: e.clientX - r.left, y: e.clientY - r.top } : null,
              );
            }}
            onMouseUp={(e) => {
              const wasDrag = dragging.current;
              dragging.current = false;
              const cell = at(e);
              const a = anchor.current;
              // A plain click (no drag) on a cell opens its gaps.
              if (
                wasDrag &&
                cell &&
                a &&
                cell.row === a.row &&
                cell.col === a.col &&
                cell.row >= 0 &&
                cell.col >= 0 &&
                !e.shiftKey
              )
                onOpenCell(cell);
            }}
            onMouseLeave={() => {
              dragging.current = false;
              setHover(null);
            }}
          />
        </div>
      </div>
      {hover && tip && (
        <div
          role="tooltip"
          className="pointer-events-none absolute z-10 rounded-md border border-zinc-700 bg-zinc-950/95 px-2 py-1 text-xs text-zinc-200 shadow-lg"
          style={{ left: Math.min(hover.x + 14, size.width - 180), top: hover.y + 14 }}
        >
          <div className="font-medium">
            {rowAt(hover.cell.row)?.symbol ?? '…'} · {columns[hover.cell.col]?.title}
          </div>
          <div>
            {tip.label}: {formatInt(tip.stored)} of {formatInt(tip.expected)} bars stored, {formatInt(tip.missing)}{' '}
            missing
          </div>
        </div>
      )}
      <p aria-live="polite" className="sr-only">
        {focus && focusedFigures
          ? `${focused?.symbol ?? 'Loading'} ${columns[focus.col]?.title}: ${focusedFigures.label}, ${focusedFigures.stored} of ${focusedFigures.expected} bars stored, ${focusedFigures.missing} missing`
          : ''}
      </p>
      <VisibleRowsTable
        columns={columns}
        rowAt={rowAt}
        first={visible.r0}
        last={Math.min(visible.r1, visible.r0 + 39)}
        c0={visible.c0}
        c1={visible.c1}
      />
    </div>
  );
}
