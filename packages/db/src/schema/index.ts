export * from './backfill';
export * from './candles';
export * from './symbols';
