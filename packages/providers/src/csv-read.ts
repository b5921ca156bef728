import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { CsvSyntaxError } from './csv-errors';

/**
 * Records of a CSV file, streamed through csv-parse (quoted fields with newlines, doubled quotes,
 * a byte-order mark, CRLF, LF or CR endings, csv-parse taking the first it meets for the whole file),
 * each with the line it starts on. The delimiter is
 * chosen from the first line: a tab if it has one, else a semicolon if it has one, else a comma. A
 * header-less `;` file with decimal commas (`2024-01-02;187,15;...`) has both, which is why
 * the semicolon and tab win over the comma rather than the most frequent character.
 */
export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  fields: string[];
  line: number;
}

/** The first line's delimiter, counting only characters outside quotes. */
export async function sniffDelimiter(path: string): Promise<Delimiter> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    let quoted = false;
    const seen = { ',': 0, ';': 0, '\t': 0 };
    for (const ch of text) {
      if (ch === '"') quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) seen[ch]++;
    }
    if (seen['\t'] > 0) return '\t';
    if (seen[';'] > 0) return ';';
    return ',';
  } finally {
    await handle.close();
  }
}

function newlines(fields: readonly string[]): number {
  let n = 0;
  for (const f of fields) {
    if (!f.includes('\n') && !f.includes('\r')) continue;
    n += f.split(/\r\n|\r|\n/).length - 1;
  }
  return n;
}

/**
 * The file's records in batches (one per stream chunk's worth), in constant memory. Blank lines
 * are dropped. Column counts are left to the caller, so a short row is refused with its line.
 */
export async function* readRecords(
  path: string,
  delimiter: Delimiter,
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord[]> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    // A quote inside an unquoted field (`Apple "Inc"`) is kept as text rather than failing the file.
    relax_quotes: true,
  });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);
  let batch: CsvRecord[] = [];
  // Lines are counted here rather than with csv-parse's `info`, which built two objects per
  // record and took a third of the time: each record starts on the line after the one before
  // ends, blank lines included (they come through as one empty field, and are dropped here).
  let line = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const at = line;
      line += 1 + newlines(fields);
      if (fields.length === 1 && (fields[0] ?? '').trim() === '') continue;
      batch.push({ fields, line: at });
      if (batch.length === 4096) {
        signal?.throwIfAborted();
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const reason =
      err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field that starts on this line is never closed' : err.message;
    throw new CsvSyntaxError(reason, line);
  } finally {
    stream.destroy();
    parser.destroy();
  }
}
