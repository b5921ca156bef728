export * from './client';
export * from './copy';
export * from './migrate';
export * as schema from './schema/index';
