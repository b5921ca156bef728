import {
  type BackfillRequestInput,
  backfillRequestSchema,
  normalizeSymbols,
  splitSymbols,
} from '@candlebase/contracts';

export interface BackfillFormValues {
  chips: string[];
  text: string;
  start_date: string;
  end_date: string;
  timeframes: string[];
}

/** The request the form would send: chips plus any text not yet turned into chips. */
export function toRequest(v: BackfillFormValues): BackfillRequestInput {
  return {
    symbols: normalizeSymbols([...v.chips, ...splitSymbols(v.text)]),
    start_date: v.start_date,
    end_date: v.end_date,
    timeframes: v.timeframes,
  };
}

/** Every problem at once, in the contracts' exact words; empty when the request is good. */
export function validate(v: BackfillFormValues): string[] {
  const result = backfillRequestSchema.safeParse(toRequest(v));
  if (result.success) return [];
  return [...new Set(result.error.issues.map((i) => i.message))];
}
