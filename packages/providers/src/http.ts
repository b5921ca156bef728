import { STATUS_CODES } from 'node:http';
import type { RequestBudget } from './budget';
import { backoffDelay, parseRetryAfter, type RetryOptions, resolveRetryOptions } from './retry';
import { sleep } from './sleep';
import { ProviderError, type RetryInfo } from './types';

/** Thrown by a response parser when valid JSON has the wrong shape; handled like unparseable JSON. */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

/** A non-2xx answer, for a provider to explain in its own terms. */
export interface ErrorResponse {
  status: number;
  statusText: string;
  headers: Headers;
  /** Parsed JSON, or undefined when the body was not JSON. */
  body: unknown;
  text: string;
}

export interface JsonClientOptions {
  /** The provider's name as people know it ("Polygon"); used in every message. */
  provider: string;
  timeoutMs?: number;
  /** Largest body read before giving up on the answer (default 64 MB). */
  maxBodyBytes?: number;
  retry?: RetryOptions;
  /** Spent before every attempt (retries too: the provider counts them); paused on a 429. */
  budget?: RequestBudget;
  /** Reads the provider's own count of the window's use from a response (Binance's weight header). */
  usedFromHeaders?: (headers: Headers) => number | undefined;
  /** Sent with every request (e.g. a User-Agent some services insist on). */
  headers?: Record<string, string>;
}

export interface GetJsonRequest<T> {
  url: URL;
  parse: (body: unknown) => T;
  signal?: AbortSignal | undefined;
  /** Called before each wait; `attempt` counts the attempts that failed so far (1 before the first retry). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
  /** Provider-specific reading of a non-2xx answer; undefined falls back to the generic rules. */
  explainError?: ((response: ErrorResponse) => ProviderError | undefined) | undefined;
  /** Overrides the client's setting, e.g. 1 for a reachability check. */
  maxAttempts?: number;
  /** Added to the client's headers for this request (a cookie, say). */
  headers?: Record<string, string> | undefined;
  /** Hand `parse` the body as text instead of JSON (for the few endpoints that answer plain text). */
  text?: boolean;
  /** Sees the headers of every answer, 2xx or not (to keep a cookie the service sets). */
  onHeaders?: ((headers: Headers) => void) | undefined;
  /** What this request costs against the budget: 1 request, or its weight. */
  cost?: number;
}

export interface JsonClient {
  getJson<T>(request: GetJsonRequest<T>): Promise<T>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Far above any page a provider sends (Polygon's largest, 50,000 bars, is about 5 MB). */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The body grew past the cap: reading stopped and the connection was closed. */
class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

/**
 * Reads a body as text, at most `cap` bytes: an endless or huge answer (a broken provider, a
 * proxy streaming garbage) is cut off rather than buffered until memory runs out.
 */
async function readCapped(response: Response, cap: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > cap) {
    await response.body?.cancel();
    throw new BodyTooLargeError();
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

type Failure =
  | { kind: 'transient'; reason: string; status?: number; retryAfterMs?: number; cause?: unknown }
  | { kind: 'malformed'; reason: string }
  | { kind: 'fatal'; error: ProviderError };

type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

const NOT_JSON = Symbol('not JSON');

/**
 * JSON over HTTP GET with the fault handling every provider needs: a per-attempt timeout, retries
 * with full-jitter backoff for network errors, timeouts, 408, 429 and 5xx (honouring Retry-After),
 * a bounded tolerance for malformed bodies, and plain-language errors for the rest. URLs never
 * appear in messages because some carry an API key.
 */
export function createJsonClient(options: JsonClientOptions): JsonClient {
  const { provider, budget, usedFromHeaders } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const retry = resolveRetryOptions(options.retry);

  async function attempt<T>(request: GetJsonRequest<T>): Promise<Outcome<T>> {
    const { signal } = request;
    const spend = await budget?.take(request.cost ?? 1, signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(request.url, {
        signal: combined,
        headers: { accept: request.text ? 'text/plain' : 'application/json', ...options.headers, ...request.headers },
      });
      await spend?.settle().catch(() => undefined);
      const reported = usedFromHeaders?.(response.headers);
      if (reported !== undefined) await budget?.reportUsed(reported).catch(() => undefined);
      request.onHeaders?.(response.headers);
      text = await readCapped(response, maxBodyBytes);
    } catch (cause) {
      // The request may have reached the provider before it failed: it counts from now too.
      await spend?.settle().catch(() => undefined);
      if (signal?.aborted) throw signal.reason;
      if (cause instanceof BodyTooLargeError) {
        // Not retried: the same answer would be read again, as far as the cap, every time.
        const error = new ProviderError(
          `${provider} sent an answer larger than ${megabytes(maxBodyBytes)}; stopped reading it (a proxy may be in the way)`,
          { retryable: false },
        );
        return { ok: false, failure: { kind: 'fatal', error } };
      }
      if (timeout.aborted) return transient(`no answer within ${timeoutMs} ms`, { cause });
      return transient(`network error (${describeNetworkError(cause)})`, { cause });
    }

    const body = parseJson(text);
    if (!response.ok) return { ok: false, failure: classifyErrorResponse(response, body, text, request) };
    if (body === NOT_JSON && !request.text) return malformed(`not JSON: ${quote(text)}`);
    try {
      return { ok: true, value: request.parse(request.text ? text : body) };
    } catch (error) {
      if (error instanceof MalformedResponseError) return malformed(error.message);
      throw error;
    }
  }

  function classifyErrorResponse(
    response: Response,
    body: unknown,
    text: string,
    request: GetJsonRequest<unknown>,
  ): Failure {
    const { status, statusText, headers } = response;
    const explained = request.explainError?.({
      status,
      statusText,
      headers,
      body: body === NOT_JSON ? undefined : body,
      text,
    });
    if (explained && !explained.retryable) return { kind: 'fatal', error: explained };
    // Node's own reason phrases: HTTP/2 answers carry none, and messages should read the same either way.
    const phrase = STATUS_CODES[status] ?? statusText;
    const label = `HTTP ${status}${phrase ? ` ${phrase}` : ''}`;
    if (explained || isRetryableStatus(status)) {
      const retryAfterMs = explained?.retryAfterMs ?? parseRetryAfter(headers.get('retry-after'));
      return {
        kind: 'transient',
        reason: explained?.message ?? label,
        status,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
      };
    }
    const says = serverMessage(body === NOT_JSON ? undefined : body, text);
    return {
      kind: 'fatal',
      error: new ProviderError(`${provider} refused the request (${label})${says ? `: ${says}` : ''}`, {
        retryable: false,
        status,
      }),
    };
  }

  return {
    async getJson<T>(request: GetJsonRequest<T>): Promise<T> {
      const maxAttempts = request.maxAttempts ?? retry.maxAttempts;
      let malformedCount = 0;
      for (let attemptNo = 1; ; attemptNo++) {
        request.signal?.throwIfAborted();
        const outcome = await attempt(request);
        if (outcome.ok) return outcome.value;
        const { failure } = outcome;
        if (failure.kind === 'fatal') {
          // A ban (Binance's 418) names how long it lasts: nobody on this key or IP may try before.
          if (failure.error.retryAfterMs !== undefined)
            await budget?.pause(failure.error.retryAfterMs, failure.error.message);
          throw failure.error;
        }
        if (failure.kind === 'malformed') {
          malformedCount++;
          if (malformedCount >= retry.maxMalformedAttempts || attemptNo >= maxAttempts) {
            // Not retryable: the same broken answer is what a later retry would most likely get.
            throw new ProviderError(
              `Got a malformed response from ${provider} ${times(malformedCount)} (${failure.reason}); ` +
                'a proxy may be in the way, or the API has changed',
              { retryable: false },
            );
          }
        }
        const status = failure.kind === 'transient' ? failure.status : undefined;
        const retryAfterMs = failure.kind === 'transient' ? failure.retryAfterMs : undefined;
        // Everyone on this key waits out a 429, not just this request: every next take waits for the pause.
        const delayMs = retryAfterMs ?? backoffDelay(attemptNo, retry);
        if (status === 429 || retryAfterMs !== undefined) await budget?.pause(delayMs, failure.reason);
        if (attemptNo >= maxAttempts) {
          throw new ProviderError(
            `${provider} still failed after ${attemptNo === 1 ? '1 attempt' : `${attemptNo} attempts`} (last: ${failure.reason}); try again later`,
            { retryable: true, status, retryAfterMs, cause: failure.kind === 'transient' ? failure.cause : undefined },
          );
        }
        if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) {
          throw new ProviderError(
            `${provider} asked us to wait ${Math.ceil(retryAfterMs / 1000)} s before trying again (${failure.reason})`,
            { retryable: true, status, retryAfterMs },
          );
        }
        request.onRetry?.({ attempt: attemptNo, delayMs, reason: failure.reason });
        await sleep(delayMs, request.signal);
      }
    },
  };
}

function transient(reason: string, extra: { cause?: unknown }): Outcome<never> {
  return { ok: false, failure: { kind: 'transient', reason, ...extra } };
}

function malformed(reason: string): Outcome<never> {
  return { ok: false, failure: { kind: 'malformed', reason } };
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

/** The first 120 characters of a body, for messages; enough to recognise an HTML error page. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'an empty body';
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

/** What an error body says in words, whichever field the provider uses for it. */
export function serverMessage(body: unknown, text: string): string | undefined {
  if (isRecord(body)) {
    for (const key of ['message', 'error', 'msg']) {
      const value = body[key];
      if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 300);
    }
  }
  return text.trim() === '' ? undefined : quote(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** undici hides the useful part ("ECONNRESET", "other side closed") in `cause`. */
function describeNetworkError(error: unknown): string {
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (inner instanceof Error) {
    const code = (inner as { code?: unknown }).code;
    return typeof code === 'string' && !inner.message.includes(code) ? `${code}: ${inner.message}` : inner.message;
  }
  return String(inner);
}
