/** NOTIFY channels: job events (payload: job id) and new work for workers. */
export const EVENTS_CHANNEL = 'candlebase_job_events';
export const WORK_CHANNEL = 'candlebase_work';
/** A symbol added or removed: readers of the symbol list in every process read it again. */
export const SYMBOLS_CHANNEL = 'candlebase_symbols';
