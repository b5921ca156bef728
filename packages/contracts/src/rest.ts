import { z } from 'zod';

/** A 422 answer of the REST API: each bad field and what is wrong with it, in words. */
export const validationErrorSchema = z.object({
  detail: z.array(z.object({ loc: z.array(z.string()), msg: z.string(), type: z.string() })),
});
export type ValidationErrorBody = z.infer<typeof validationErrorSchema>;

/** Any other 4xx of the REST API. */
export const errorSchema = z.object({ detail: z.string() });
