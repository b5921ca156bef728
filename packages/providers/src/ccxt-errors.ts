import type * as Ccxt from 'ccxt';
import { parseRetryAfter } from './retry';
import { ProviderError } from './types';

type CcxtModule = typeof Ccxt;

/** Whether waiting can help: ccxt files rate limits, timeouts, outages and maintenance under NetworkError. */
export function isTransient(ccxt: CcxtModule, error: unknown): boolean {
  return error instanceof ccxt.NetworkError;
}

/** The Retry-After of the answer that failed, if the exchange sent one. */
export function retryAfterOf(exchange: Ccxt.Exchange): number | undefined {
  const headers = (exchange.last_response_headers ?? {}) as Record<string, unknown>;
  const value = headers['Retry-After'] ?? headers['retry-after'];
  return typeof value === 'string' ? parseRetryAfter(value) : undefined;
}

/**
 * ccxt's message reads "<exchange id> <the exchange's body>"; people want the exchange's own words,
 * so a JSON body's "message" (or "error") is pulled out and the rest quoted as is.
 */
export function exchangeWords(exchange: Ccxt.Exchange, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const body = raw.startsWith(`${exchange.id} `) ? raw.slice(exchange.id.length + 1) : raw;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      for (const key of ['message', 'error', 'msg']) {
        const value = record[key];
        if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
        if (Array.isArray(value) && value.length > 0) return value.join('; ').slice(0, 300);
      }
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  return body.trim().slice(0, 300);
}

/** A ccxt failure in our terms: a symbol the exchange does not list, or its own words, never a stack. */
export function toProviderError(
  ccxt: CcxtModule,
  exchange: Ccxt.Exchange,
  error: unknown,
  context: { symbol: string; market: string },
): ProviderError {
  const name = exchange.name ?? exchange.id;
  if (error instanceof ccxt.BadSymbol) {
    const asked = context.market === context.symbol ? '' : ` (asked for ${context.symbol})`;
    return new ProviderError(`${name} does not list ${context.market}${asked}`, { retryable: false, cause: error });
  }
  if (isTransient(ccxt, error)) {
    return new ProviderError(
      `${name} did not answer in time or is limiting requests (${exchangeWords(exchange, error)}); try again later`,
      {
        retryable: true,
        retryAfterMs: retryAfterOf(exchange),
        cause: error,
      },
    );
  }
  if (error instanceof ccxt.BaseError) {
    return new ProviderError(`${name} refused the request: ${exchangeWords(exchange, error)}`, {
      retryable: false,
      cause: error,
    });
  }
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(`${name} answered in a way ccxt could not read: ${message.slice(0, 200)}`, {
    retryable: false,
    cause: error,
  });
}
