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

export function httpStatusOf(err: unknown): number {
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof UnauthorizedError) return 401;
  if (err instanceof TooManyRequestsError) return 429;
  if (err instanceof InputError) return 422;
  return 500;
}
