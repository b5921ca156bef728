export * from './backfill';
export * from './candles';
export * from './dates';
export * from './enrichment';
export * from './rest';
export * from './symbols';
export * from './system';
export * from './timeframes';
