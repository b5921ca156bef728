import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ProviderAction, ProviderError } from './types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The sidecar files a symbol's actions may be in, the flat name first: AAPL_actions.csv, AAPL/actions.csv. */
export function actionsFiles(dir: string, fileSymbol: string): { path: string; label: string }[] {
  return [
    { path: join(dir, `${fileSymbol}_actions.csv`), label: `${fileSymbol}_actions.csv` },
    { path: join(dir, fileSymbol, 'actions.csv'), label: `${fileSymbol}/actions.csv` },
  ];
}

/** `4`, `0.1`, or new:old as `4:1` / `1:10`. */
function parseRatio(text: string): number {
  const pair = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  const ratio = pair ? Number(pair[1]) / Number(pair[2]) : Number(text);
  return Number.isFinite(ratio) && ratio > 0 ? ratio : Number.NaN;
}

/**
 * Parses a sidecar: a header `ex_date,kind,value`, then one action per line: a split's value is
 * new shares per old (`4` or `4:1`; `1:10` for a reverse split), a dividend's the cash per share.
 * Any bad line refuses the whole file, naming it and the line.
 */
export function parseActionsCsv(text: string, label: string): ProviderAction[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const out: ProviderAction[] = [];
  let header = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const fail = (why: string) => new ProviderError(`${label}:${i + 1}: ${why}`, { retryable: false });
    if (header) {
      header = false;
      if (cells.map((c) => c.toLowerCase()).join(',') !== 'ex_date,kind,value') {
        throw fail('the header must be ex_date,kind,value');
      }
      return;
    }
    const [exDate = '', kind = '', value = ''] = cells;
    if (cells.length !== 3) throw fail(`expected 3 fields (ex_date,kind,value), found ${cells.length}`);
    const parsed = Date.parse(`${exDate}T00:00:00Z`);
    // Date.parse rolls 2020-02-30 over to March: a real date reads back as itself.
    if (!DATE.test(exDate) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== exDate) {
      throw fail(`ex_date "${exDate}" is not a YYYY-MM-DD date`);
    }
    if (kind.toLowerCase() === 'split') {
      const ratio = parseRatio(value);
      if (Number.isNaN(ratio)) throw fail(`split value "${value}" is not a positive ratio such as 4 or 4:1`);
      out.push({ exDate, kind: 'split', ratio });
    } else if (kind.toLowerCase() === 'dividend') {
      const amount = Number(value);
      if (value === '' || !Number.isFinite(amount) || amount < 0) {
        throw fail(`dividend value "${value}" is not a cash amount`);
      }
      out.push({ exDate, kind: 'dividend', amount });
    } else {
      throw fail(`kind "${kind}" is neither split nor dividend`);
    }
  });
  return out;
}

/** A symbol's actions from its sidecar, those with ex-dates in [from, to]; none when there is no sidecar. */
export async function readActionsCsv(dir: string, fileSymbol: string, from: Date, to: Date): Promise<ProviderAction[]> {
  for (const file of actionsFiles(dir, fileSymbol)) {
    const text = await readFile(file.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw new ProviderError(`Could not read ${file.label}: ${err.message}`, { retryable: false });
    });
    if (text === null) continue;
    const first = from.toISOString().slice(0, 10);
    const last = to.toISOString().slice(0, 10);
    return parseActionsCsv(text, file.label).filter((a) => a.exDate >= first && a.exDate <= last);
  }
  return [];
}
