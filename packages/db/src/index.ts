export * from './candle-days';
export * from './channels';
export * from './client';
export * from './copy';
export * from './migrate';
export * as schema from './schema/index';
export * from './split-suspects';
