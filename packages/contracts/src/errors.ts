/**
 * The domain's one error type: thrown by services and queries, it carries what it means on the
 * wire (HTTP status, tRPC code, headers such as Retry-After), so the tRPC middleware and the REST
 * replies read it the same way and cannot disagree.
 */
export type DomainCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: DomainCode,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message, 404, 'NOT_FOUND');
  }
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
  constructor(message: string) {
    super(message, 409, 'CONFLICT');
  }
}

/** Input that passed the schema but breaks a server-side limit; answered 422 / BAD_REQUEST. */
export class InputError extends DomainError {
  override name = 'InputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message, 422, 'BAD_REQUEST');
  }
}

export class UnauthorizedError extends DomainError {
  override name = 'UnauthorizedError';
  constructor(message: string) {
    super(message, 401, 'UNAUTHORIZED');
  }
}

export class TooManyRequestsError extends DomainError {
  override name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429, 'TOO_MANY_REQUESTS', { 'retry-after': String(retryAfterSeconds) });
  }
}

/** A body past the server's cap: the connection closes, so the rest of an upload is not read. */
export class TooLargeError extends DomainError {
  override name = 'TooLargeError';
  constructor(message: string) {
    super(message, 413, 'PAYLOAD_TOO_LARGE', { connection: 'close' });
  }
}

export function jobNotFound(jobId: string): NotFoundError {
  return new NotFoundError(`Backfill job ${jobId} was not found`);
}

/** The domain error behind `err`, or null: not a domain error (a 500). */
export function wireOf(err: unknown): DomainError | null {
  return err instanceof DomainError ? err : null;
}

export function httpStatusOf(err: unknown): number {
  return wireOf(err)?.status ?? 500;
}

/** A domain error as a REST reply: 422 `{ detail: [...] }` for bad input, `{ detail: sentence }` otherwise. */
export function restReplyOf(
  err: unknown,
): { status: number; headers: Readonly<Record<string, string>>; body: { detail: unknown } } | null {
  const wire = wireOf(err);
  if (!wire) return null;
  const detail =
    wire instanceof InputError
      ? [{ loc: ['query', wire.field], msg: wire.message, type: 'value_error' }]
      : (wire.message as unknown);
  return { status: wire.status, headers: wire.headers, body: { detail } };
}
