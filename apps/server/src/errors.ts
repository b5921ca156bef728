/** Domain errors: thrown by services and queries, mapped to tRPC codes and HTTP statuses in one place. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** Input that passed the schema but breaks a server-side limit; answered 422 / BAD_REQUEST. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends Error {
  override name = 'UnauthorizedError';
}

export class TooManyRequestsError extends Error {
  override name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export function jobNotFound(jobId: string): NotFoundError {
  return new NotFoundError(`Backfill job ${jobId} was not found`);
}

export type DomainCode = 'NOT_FOUND' | 'CONFLICT' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS' | 'BAD_REQUEST';

/**
 * What a domain error means on the wire, for REST and tRPC alike: the HTTP status, the tRPC code
 * and the headers that go with it (Retry-After on a 429). null: not a domain error (a 500).
 */
export function wireOf(err: unknown): { status: number; code: DomainCode; headers: Record<string, string> } | null {
  if (err instanceof NotFoundError) return { status: 404, code: 'NOT_FOUND', headers: {} };
  if (err instanceof ConflictError) return { status: 409, code: 'CONFLICT', headers: {} };
  if (err instanceof UnauthorizedError) return { status: 401, code: 'UNAUTHORIZED', headers: {} };
  if (err instanceof TooManyRequestsError) {
    return { status: 429, code: 'TOO_MANY_REQUESTS', headers: { 'retry-after': String(err.retryAfterSeconds) } };
  }
  if (err instanceof InputError) return { status: 422, code: 'BAD_REQUEST', headers: {} };
  return null;
}

export function httpStatusOf(err: unknown): number {
  return wireOf(err)?.status ?? 500;
}
