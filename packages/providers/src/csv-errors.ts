/**
 * A problem with one row (or the header), carrying only the reason; the reader prefixes the file
 * and line, so every message reads `AAPL_1h.csv:17: high 101.2 is below low 103.5`.
 */
export class CsvRowError extends Error {
  override readonly name = 'CsvRowError';
}

/** csv-parse could not go on (a quote never closed): the line the unfinished record starts on. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}
