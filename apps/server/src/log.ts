import pino, { type DestinationStream, type Logger } from 'pino';
import { redactDeep, redactSecrets } from './security/redact';

/**
 * The process's logger. Every line passes through `redactSecrets` (its message) and `redactDeep`
 * (its fields), so a provider's error that echoes a key, or a token in a URL, never reaches a log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    formatters: { log: (fields) => redactDeep(fields) },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a: unknown) => (typeof a === 'string' ? redactSecrets(a) : a)) as typeof args;
        return method.apply(this, clean);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
