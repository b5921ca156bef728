import type { ServerResponse } from 'node:http';

const PATH = /^\/v3\/reference\/tickers\/([^/]+)$/;

export interface FakeTickersOptions {
  apiKey: string;
  /** Tickers Polygon has never listed: answered 404 "Ticker not found.". Every other one is listed. */
  unlisted?: readonly string[] | undefined;
}

/**
 * Answers `/v3/reference/tickers/{ticker}` as Polygon does, when `url` asks it (else returns
 * false): 200 `{ results: { ticker, name, market, active, ... }, status: "OK", request_id }`,
 * 404 `{ status: "NOT_FOUND", message: "Ticker not found." }` for an unlisted one, 401 without the key.
 */
export function answerTickerDetails(url: URL, res: ServerResponse, options: FakeTickersOptions): boolean {
  const match = PATH.exec(url.pathname);
  if (!match) return false;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const ticker = decodeURIComponent(match[1] ?? '');
  if (url.searchParams.get('apiKey') !== options.apiKey) {
    send(401, { status: 'ERROR', request_id: 'r', error: 'Unknown API Key' });
  } else if (options.unlisted?.includes(ticker)) {
    send(404, { status: 'NOT_FOUND', request_id: 'r', message: 'Ticker not found.' });
  } else {
    const crypto = ticker.startsWith('X:');
    send(200, {
      request_id: 'r',
      status: 'OK',
      results: {
        ticker,
        name: `${ticker} Fake ${crypto ? 'Coin' : 'Inc.'}`,
        market: crypto ? 'crypto' : 'stocks',
        locale: crypto ? 'global' : 'us',
        active: true,
        currency_name: 'usd',
        ...(!crypto && { primary_exchange: 'XNAS', type: 'CS' }),
      },
    });
  }
  return true;
}
