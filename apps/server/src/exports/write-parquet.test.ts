import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { ExportRow } from './read-candles';
import { parquetChunks } from './write-parquet';

const rows: ExportRow[] = Array.from({ length: 2345 }, (_, i) => ({
  symbol: i < 1000 ? 'AAPL' : 'BRK.B',
  timeframe: '1h',
  ts: Date.UTC(2024, 0, 2, 14, 30) + i * 3_600_000 + (i % 7),
  open: 100 + i / 3,
  high: 101 + i / 3,
  low: 99 + i / 3,
  close: 100.5 + i / 7,
  volume: 1e9 + i * 0.1,
  vwap: i % 5 === 0 ? null : 100.25 + i / 11,
  trades: i % 4 === 0 ? null : 2 ** 40 + i,
  source: i % 2 ? 'polygon' : 'yahoo',
}));

async function* pagesOf(all: ExportRow[], size: number) {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size).map((r) => ({ ...r }));
}

describe('parquetChunks', () => {
  it('writes one chunk per row group, then the footer; the file reads back with every value', async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of parquetChunks(pagesOf(rows, 300), 500)) chunks.push(c);
    // ceil(2345 / 500) groups, each its own chunk, and the footer last.
    expect(chunks.length).toBe(5 + 1);
    const file = Buffer.concat(chunks);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    const meta = parquetMetadata(buffer);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([500, 500, 500, 500, 345]);
    const back = await parquetReadObjects({ file: buffer });
    expect(
      back.map((r) => ({ ...r, ts: (r.ts as Date).getTime(), trades: r.trades === null ? null : Number(r.trades) })),
    ).toEqual(rows);
  });

  it('an empty export is still a valid file with the schema and no rows', async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of parquetChunks(pagesOf([], 10))) chunks.push(c);
    const file = Buffer.concat(chunks);
    const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
    expect(Number(parquetMetadata(buffer).num_rows)).toBe(0);
    expect(await parquetReadObjects({ file: buffer })).toEqual([]);
  });
});
