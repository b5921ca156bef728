import type { CalendarName } from '@candlebase/calendar';
import { parsePair } from './pairs';

/**
 * The calendar a file's bars are checked against when nothing says otherwise: a currency pair
 * (BTC-USD, EUR/USD) trades around the clock, anything else on the NYSE, as the server guesses an
 * unknown symbol's asset class. A file's sidecar can say otherwise (see csv-sidecar.ts).
 */
export function calendarForSymbol(symbol: string): CalendarName {
  return parsePair(symbol) === undefined ? 'nyse' : '24x7';
}
