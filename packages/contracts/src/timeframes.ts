import { z } from 'zod';

/** The one definition of the timeframes Candlebase stores. Adding 1m or 1w is one line here. */
export const TIMEFRAMES = {
  '5m': { ms: 5 * 60_000, label: '5 minutes' },
  '15m': { ms: 15 * 60_000, label: '15 minutes' },
  '1h': { ms: 60 * 60_000, label: '1 hour' },
  '1d': { ms: 24 * 60 * 60_000, label: '1 day' },
} as const;

export type Timeframe = keyof typeof TIMEFRAMES;
export const TIMEFRAME_LIST = Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]];

export const timeframeSchema = z.enum(TIMEFRAME_LIST, {
  error: (issue) => `Unknown timeframe ${JSON.stringify(issue.input)}: use one of ${TIMEFRAME_LIST.join(', ')}`,
});

export function timeframeMs(tf: Timeframe): number {
  return TIMEFRAMES[tf].ms;
}

export function isIntraday(tf: Timeframe): boolean {
  return TIMEFRAMES[tf].ms < TIMEFRAMES['1d'].ms;
}
