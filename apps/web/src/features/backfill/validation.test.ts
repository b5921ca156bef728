import { BACKFILL_MESSAGES } from '@candlebase/contracts';
import { describe, expect, it } from 'vitest';
import { type BackfillFormValues, toRequest, validate } from './validation';

const GOOD: BackfillFormValues = {
  chips: ['AAPL'],
  text: '',
  start_date: '2024-01-02',
  end_date: '2024-01-31',
  timeframes: ['1d'],
};

describe('the backfill form', () => {
  it('sends the chips and the text not yet turned into chips, normalised and de-duplicated', () => {
    expect(toRequest({ ...GOOD, chips: ['AAPL', 'msft'], text: ' aapl, btc-usd ;eurusd' }).symbols).toEqual([
      'AAPL',
      'MSFT',
      'BTC-USD',
      'EURUSD',
    ]);
  });

  it('a good request has no problems', () => {
    expect(validate(GOOD)).toEqual([]);
  });

  it('shows every problem at once, in the contracts words', () => {
    const problems = validate({
      chips: [],
      text: '',
      start_date: '2024-02-01',
      end_date: '2024-01-01',
      timeframes: [],
    });
    expect(problems).toEqual([
      BACKFILL_MESSAGES.noSymbols,
      BACKFILL_MESSAGES.startAfterEnd,
      BACKFILL_MESSAGES.noTimeframes,
    ]);
  });

  it('refuses empty and malformed dates', () => {
    expect(validate({ ...GOOD, start_date: '', end_date: '2024-13-01' })).toEqual([
      BACKFILL_MESSAGES.startRequired,
      'End date must be a date in the form YYYY-MM-DD',
    ]);
  });
});
