export * from './backfill';
export * from './candles';
export * from './scheduler';
export * from './symbols';
