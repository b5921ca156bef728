import { type CalendarName, calendarFor } from '@candlebase/calendar';
import { isFiatPair, parsePair } from './pairs';

/**
 * The calendar a file's bars are checked against when nothing says otherwise, from the asset
 * class the server would guess for the symbol: a pair of two fiat currencies (EUR-USD) is FX,
 * another pair (BTC-USD) crypto, anything else an equity. A file's sidecar can say otherwise
 * (see csv-sidecar.ts), for EURUSD or BTCUSDT, say.
 */
export function calendarForSymbol(symbol: string): CalendarName {
  const pair = parsePair(symbol);
  if (pair === undefined) return calendarFor('equity');
  return calendarFor(isFiatPair(pair) ? 'fx' : 'crypto');
}
