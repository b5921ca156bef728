export * from './alerts';
export * from './backfill';
export * from './candles';
export * from './corporate-actions';
export * from './quota';
export * from './scheduler';
export * from './symbols';
export * from './watchlists';
