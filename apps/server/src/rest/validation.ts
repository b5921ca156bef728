import type { ValidationErrorBody } from '@candlebase/contracts';
import type { ZodError } from 'zod';

/** A zod error as the classic 422 body: `{ detail: [{ loc, msg, type }] }`. */
export function toValidationError(err: ZodError, where: 'query' | 'body' | 'path'): ValidationErrorBody {
  return {
    detail: err.issues.map((i) => ({
      loc: [where, ...i.path.map(String)],
      msg: i.message,
      type: i.code === 'custom' ? 'value_error' : i.code,
    })),
  };
}

/** Query values as lists: `symbols=A&symbols=B` and `symbols=A,B` both work. */
export function listParam(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const items = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(','));
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function textParam(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? String(v[v.length - 1] ?? '') : String(v);
}
