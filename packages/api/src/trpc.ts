import { wireOf } from '@candlebase/contracts';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { ApiServices } from './services';

export interface RequestContext {
  services: ApiServices;
  /** AUTH_READS: reads need the API token too. */
  authReads: boolean;
  /** True when no API token is configured or the request carries the right one. */
  authorized: boolean;
  /** Who is asking, for rate limits: the client address. */
  client: string;
}

function friendlyZod(err: ZodError): string {
  return err.issues.map((i) => i.message).join('; ');
}

const t = initTRPC.context<RequestContext>().create({
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      // Never show a client the inside of an unexpected failure (drizzle's messages carry SQL).
      message: zod
        ? friendlyZod(zod)
        : error.code === 'INTERNAL_SERVER_ERROR'
          ? 'Something went wrong on the server; it has been logged'
          : shape.message === 'Batch call exceeds maximum size'
            ? `A batch may hold at most ${MAX_BATCH_SIZE} calls; split it`
            : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        issues: zod ? zod.issues.map((i) => ({ path: i.path.map(String), message: i.message })) : undefined,
      },
    };
  },
});

/** Calls one tRPC batch may carry (the dashboard's batch link sends at most this many). */
export const MAX_BATCH_SIZE = 20;

/** The headers a domain error asks for (Retry-After on a 429), for the adapter's responseMeta. */
export function errorHeaders(errors: readonly TRPCError[]): Record<string, string> {
  return Object.assign({}, ...errors.map((e) => wireOf(e.cause)?.headers ?? {}));
}

/** Domain errors become precise tRPC codes here, and only here. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    const wire = wireOf(cause);
    if (wire) throw new TRPCError({ code: wire.code, message: wire.message, cause: wire });
  }
  return result;
});

const requireToken = t.middleware(({ ctx, next }) => {
  if (!ctx.authorized) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This action needs the API token (Authorization: Bearer …)' });
  }
  return next();
});

/** Reads are open unless AUTH_READS asks for the token on them too. */
const readAccess = t.middleware(({ ctx, next }) => {
  if (ctx.authReads && !ctx.authorized) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'This server needs the API token for reads too (Authorization: Bearer …)',
    });
  }
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors).use(readAccess);
/** Changes something: needs the API token when one is configured. */
export const mutationProcedure = publicProcedure.use(requireToken);
