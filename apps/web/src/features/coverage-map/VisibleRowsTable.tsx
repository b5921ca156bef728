import { memo } from 'react';
import { cellFigures, type MapRow } from './draw';

/** The canvas's text alternative: the rows on screen (at most 40) as a table, for screen readers and tests. */
export const VisibleRowsTable = memo(function VisibleRowsTable({
  columns,
  rowAt,
  first,
  last,
  c0,
  c1,
}: {
  columns: readonly { title: string }[];
  rowAt: (i: number) => MapRow;
  first: number;
  last: number;
  c0: number;
  c1: number;
}) {
  const rows: number[] = [];
  for (let r = first; r <= last; r++) rows.push(r);
  const cols: number[] = [];
  for (let c = c0; c <= c1; c++) cols.push(c);
  return (
    <table className="sr-only" aria-label="Coverage of the visible rows">
      <thead>
        <tr>
          <th scope="col">Symbol</th>
          {cols.map((c) => (
            <th key={c} scope="col">
              {columns[c]?.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const row = rowAt(r);
          return (
            <tr key={r}>
              <th scope="row">{row?.symbol ?? 'Loading'}</th>
              {cols.map((c) => {
                const f = cellFigures(row, c);
                return <td key={c}>{`${f.label} ${f.stored}/${f.expected}`}</td>;
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
