import { afterEach, describe, expect, it } from 'vitest';
import { parseActionsCsv } from './csv-actions';
import { createPolygonProvider } from './polygon';
import { type FakeCompany, startFakePolygonCompany } from './testing/fake-polygon-company';
import type { ProviderCandle } from './types';

const DAYS = ['2020-08-27', '2020-08-28', '2020-08-31', '2020-09-01'];
let fake: FakeCompany | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function provider(f: FakeCompany) {
  return createPolygonProvider({
    apiKey: f.apiKey,
    baseUrl: f.baseUrl,
    requestsPerMinute: 1000,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
}

describe('Polygon splits and dividends', () => {
  it('reads both lists through next_url with the key re-attached, ratio = split_to / split_from', async () => {
    fake = await startFakePolygonCompany({
      ticker: 'AAPL',
      days: DAYS,
      referencePageSize: 1,
      splits: [
        { execution_date: '2014-06-09', split_from: 1, split_to: 7 },
        { execution_date: '2020-08-31', split_from: 1, split_to: 4 },
        { execution_date: '2023-01-03', split_from: 10, split_to: 1 },
      ],
      dividends: [
        { ex_dividend_date: '2020-08-07', cash_amount: 0.82 },
        { ex_dividend_date: '2020-11-06', cash_amount: 0.205 },
      ],
    });
    fake.setToday('2024-01-01');
    const actions = await provider(fake).fetchActions?.({
      symbol: 'aapl',
      from: new Date('2015-01-01T00:00:00Z'),
      to: new Date('2024-01-01T00:00:00Z'),
    });
    expect(actions).toEqual([
      { exDate: '2020-08-31', kind: 'split', ratio: 4 },
      { exDate: '2023-01-03', kind: 'split', ratio: 0.1 },
      { exDate: '2020-08-07', kind: 'dividend', amount: 0.82 },
      { exDate: '2020-11-06', kind: 'dividend', amount: 0.205 },
    ]);
    const paths = fake.requests.map((r) => r.url.pathname);
    // One result per page: two pages of splits, two of dividends, and the last page of each says no more.
    expect(paths).toEqual([
      '/v3/reference/splits',
      '/v3/reference/splits',
      '/v3/reference/dividends',
      '/v3/reference/dividends',
    ]);
    for (const r of fake.requests) expect(r.url.searchParams.get('apiKey')).toBe(fake.apiKey);
    expect(fake.requests[0]?.url.searchParams.get('execution_date.gte')).toBe('2015-01-01');
    expect(fake.requests[2]?.url.searchParams.get('ex_dividend_date.lte')).toBe('2024-01-01');
    expect(fake.requests[1]?.url.searchParams.get('cursor')).toBeTruthy();
  });

  it('asks aggregates unadjusted, so a bar fetched before a split keeps its traded price', async () => {
    fake = await startFakePolygonCompany({
      ticker: 'AAPL',
      days: DAYS,
      splits: [{ execution_date: '2020-08-31', split_from: 1, split_to: 4 }],
    });
    const bars: ProviderCandle[] = [];
    for await (const page of provider(fake).fetchCandles({
      symbol: 'AAPL',
      timeframe: '1d',
      from: new Date('2020-08-27T00:00:00Z'),
      to: new Date('2020-09-02T00:00:00Z'),
    })) {
      bars.push(...page);
    }
    expect(fake.requests.map((r) => r.url.searchParams.get('adjusted'))).toEqual(['false']);
    expect(bars.map((b) => b.close)).toEqual(DAYS.map((d) => fake?.rawBar(d).c));
    // The raw series steps down 4x at the split; Polygon's adjusted one would not.
    const [, before, after] = bars;
    expect(before && after && before.close / after.close).toBeGreaterThan(3.9);
  });

  it('spends no request on crypto or currency pairs, which have no splits', async () => {
    fake = await startFakePolygonCompany({ ticker: 'AAPL', days: DAYS });
    const p = provider(fake);
    const range = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2021-01-01T00:00:00Z') };
    expect(await p.fetchActions?.({ symbol: 'BTC-USD', ...range })).toEqual([]);
    expect(await p.fetchActions?.({ symbol: 'EUR-USD', ...range })).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a refused key in words', async () => {
    fake = await startFakePolygonCompany({ ticker: 'AAPL', days: DAYS, apiKey: 'other' });
    const p = createPolygonProvider({
      apiKey: 'wrong',
      baseUrl: fake.baseUrl,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    await expect(
      p.fetchActions?.({
        symbol: 'AAPL',
        from: new Date('2020-01-01T00:00:00Z'),
        to: new Date('2021-01-01T00:00:00Z'),
      }),
    ).rejects.toThrow(/Polygon rejected the API key \(401\)/);
  });
});

describe('the CSV actions sidecar', () => {
  it('reads splits as ratios or new:old and dividends as cash', () => {
    const text =
      'ex_date,kind,value\n2014-06-09,split,7:1\n2020-08-31,split,4\n2023-01-03,split,1:10\n\n2024-05-10,dividend,0.25\n';
    expect(parseActionsCsv(text, 'AAPL_actions.csv')).toEqual([
      { exDate: '2014-06-09', kind: 'split', ratio: 7 },
      { exDate: '2020-08-31', kind: 'split', ratio: 4 },
      { exDate: '2023-01-03', kind: 'split', ratio: 0.1 },
      { exDate: '2024-05-10', kind: 'dividend', amount: 0.25 },
    ]);
  });

  it('refuses a bad line with the file and line number', () => {
    expect(() => parseActionsCsv('ex_date,kind,value\n2020-08-31,spilt,4\n', 'AAPL_actions.csv')).toThrow(
      'AAPL_actions.csv:2: kind "spilt" is neither split nor dividend',
    );
    expect(() => parseActionsCsv('ex_date,kind,value\n2020-02-30,split,4\n', 'A.csv')).toThrow(
      'A.csv:2: ex_date "2020-02-30" is not a YYYY-MM-DD date',
    );
    expect(() => parseActionsCsv('date,kind\n', 'A.csv')).toThrow('A.csv:1: the header must be ex_date,kind,value');
  });
});
