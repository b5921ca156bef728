import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { friendlyMessage } from './errors';

function answered(message: string, httpStatus: number) {
  return new TRPCClientError(message, {
    result: { error: { message, code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus } } },
  } as never);
}

describe('friendly messages', () => {
  it("a 429 keeps the server's sentence, which says how long to wait", () => {
    const msg = 'Too many backfill requests: at most 3 per 60 s; try again in 58 s';
    expect(friendlyMessage(answered(msg, 429))).toBe(msg);
  });

  it('a 500 hides the server internals', () => {
    expect(friendlyMessage(answered('relation "x" does not exist', 500))).toMatch(/The server had a problem/);
  });
});
