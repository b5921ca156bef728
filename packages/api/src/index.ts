export { type AppRouter, appRouter } from './root';
export type { ApiServices } from './services';
export { createCallerFactory, errorHeaders, MAX_BATCH_SIZE, type RequestContext } from './trpc';
