import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ExportRow } from './read-candles';

/** The writer's own schema type (it pins its own hyparquet for the types). */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/**
 * The export's Parquet schema: timestamps as TIMESTAMP(MILLIS, adjusted to UTC), which pandas
 * reads as datetime64[ms, UTC] and DuckDB as TIMESTAMP WITH TIME ZONE; prices as DOUBLE; vwap and
 * trades nullable, as stored.
 */
const text = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  logical_type: { type: 'STRING' },
  repetition_type: 'REQUIRED',
});
const double = (name: string, optional = false): SchemaElement => ({
  name,
  type: 'DOUBLE',
  repetition_type: optional ? 'OPTIONAL' : 'REQUIRED',
});

export const EXPORT_PARQUET_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 11 },
  text('symbol'),
  text('timeframe'),
  {
    name: 'ts',
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    repetition_type: 'REQUIRED',
  },
  double('open'),
  double('high'),
  double('low'),
  double('close'),
  double('volume'),
  double('vwap', true),
  { name: 'trades', type: 'INT64', repetition_type: 'OPTIONAL' },
  text('source'),
];

/** Rows per row group: big enough for good compression and few footer entries, small enough to hold. */
export const ROW_GROUP_ROWS = 50_000;

function columnsOf(rows: readonly ExportRow[]) {
  const pick = <T>(f: (r: ExportRow) => T) => rows.map(f);
  return [
    { name: 'symbol', data: pick((r) => r.symbol) },
    { name: 'timeframe', data: pick((r) => r.timeframe) },
    { name: 'ts', data: pick((r) => r.ts) },
    { name: 'open', data: Float64Array.from(rows, (r) => r.open) },
    { name: 'high', data: Float64Array.from(rows, (r) => r.high) },
    { name: 'low', data: Float64Array.from(rows, (r) => r.low) },
    { name: 'close', data: Float64Array.from(rows, (r) => r.close) },
    { name: 'volume', data: Float64Array.from(rows, (r) => r.volume) },
    { name: 'vwap', data: pick((r) => r.vwap) },
    { name: 'trades', data: pick((r) => (r.trades === null ? null : BigInt(r.trades))) },
    { name: 'source', data: pick((r) => r.source) },
  ];
}

/**
 * A Parquet file, row group by row group: each group is encoded into the writer's buffer, handed
 * on as one chunk and the buffer reset, so memory holds one group whatever the file's size. The
 * footer (schema and each group's offsets) is written last, as the format wants.
 */
export async function* parquetChunks(
  pages: AsyncIterable<ExportRow[]>,
  groupRows = ROW_GROUP_ROWS,
): AsyncGenerator<Uint8Array> {
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({ writer, schema: EXPORT_PARQUET_SCHEMA, createdBy: 'candlebase' });
  const drain = () => {
    const chunk = writer.getBytes().slice();
    writer.index = 0;
    return chunk;
  };
  let group: ExportRow[] = [];
  const flush = () => {
    // offsetIndex is off: its entries would stay in memory until the footer, one per page.
    parquet.write({
      columnData: columnsOf(group).map((c) => ({ ...c, offsetIndex: false })),
      rowGroupSize: group.length,
    });
    group = [];
    return drain();
  };
  for await (const page of pages) {
    for (const row of page) {
      group.push(row);
      if (group.length >= groupRows) yield flush();
    }
  }
  if (group.length > 0) yield flush();
  await parquet.finish();
  yield drain();
}
