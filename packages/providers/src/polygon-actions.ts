import { isRecord, MalformedResponseError } from './http';
import { parseEnvelope } from './polygon-wire';
import type { ProviderAction } from './types';

/** One page of a `/v3/reference/...` list: its results and the keyless `next_url`, if more follow. */
export interface ReferencePage {
  actions: ProviderAction[];
  nextUrl: string | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `/v3/reference/splits`: `{ execution_date, split_from, split_to, ticker }` per split; a 4:1
 * split is from 1 to 4, a 1:10 reverse split from 10 to 1, so the ratio is split_to / split_from.
 */
export function parseSplits(body: unknown): ReferencePage {
  const { results, nextUrl } = parseEnvelope(body);
  const actions = results.map((raw, i): ProviderAction => {
    if (!isRecord(raw)) throw new MalformedResponseError(`split ${i} is not an object`);
    const { execution_date: exDate, split_from: from, split_to: to } = raw;
    if (typeof exDate !== 'string' || !DATE.test(exDate)) {
      throw new MalformedResponseError(`split ${i} has no execution_date`);
    }
    if (typeof from !== 'number' || typeof to !== 'number' || !(from > 0) || !(to > 0)) {
      throw new MalformedResponseError(`split ${i} has no positive split_from and split_to`);
    }
    return { exDate, kind: 'split', ratio: to / from };
  });
  return { actions, nextUrl };
}

/**
 * `/v3/reference/dividends`: `{ ex_dividend_date, cash_amount, currency, dividend_type, ... }`.
 * Every type is cash (CD regular, SC special, LT / ST capital gains), so each lowers the price on
 * its ex-date; one without an amount or ex-date (announced, not yet set) is left out.
 */
export function parseDividends(body: unknown): ReferencePage {
  const { results, nextUrl } = parseEnvelope(body);
  const actions: ProviderAction[] = [];
  results.forEach((raw, i) => {
    if (!isRecord(raw)) throw new MalformedResponseError(`dividend ${i} is not an object`);
    const { ex_dividend_date: exDate, cash_amount: amount } = raw;
    if (typeof exDate !== 'string' || !DATE.test(exDate)) return;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return;
    actions.push({ exDate, kind: 'dividend', amount });
  });
  return { actions, nextUrl };
}
