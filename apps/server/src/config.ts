import { TIMEFRAME_LIST, type Timeframe } from '@candlebase/contracts';
import {
  ccxtExchangeId,
  ccxtExchangeProblem,
  DEFAULT_YAHOO_BASE_URL,
  isTimeZone,
  PROVIDER_NAMES,
  type ProviderName,
  parseBinanceAliases,
} from '@candlebase/providers';
import { z } from 'zod';

/** Days one backfill may span per timeframe, unless MAX_RANGE_DAYS says otherwise. */
export const DEFAULT_MAX_RANGE_DAYS: Record<Timeframe, number> = { '5m': 731, '15m': 1827, '1h': 3653, '1d': 36525 };

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false (got "${v}")` });
      return z.NEVER;
    });

const int = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const databaseUrl = (name: string, example: string) =>
  optionalText.refine((v) => {
    if (v === undefined) return true;
    try {
      const u = new URL(v);
      return (
        (u.protocol === 'postgres:' || u.protocol === 'postgresql:') &&
        (u.hostname !== '' || u.search.includes('host='))
      );
    } catch {
      return false;
    }
  }, `${name} must be a postgres:// URL such as ${example}`);

const httpUrl = (name: string) =>
  optionalText.refine(
    (v) => v === undefined || /^https?:\/\/\S+$/.test(v),
    `${name} must be an http:// or https:// URL`,
  );

const list = optionalText.transform((v) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [],
);

const CCXT_ID = /^[a-z0-9_]+$/;

/** A provider name as the settings take it; unset or empty is undefined. */
const providerName = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx): ProviderName | undefined => {
      const value = v?.trim();
      if (!value) return undefined;
      if ((PROVIDER_NAMES as readonly string[]).includes(value)) return value as ProviderName;
      const id = ccxtExchangeId(value);
      if (id !== undefined && CCXT_ID.test(id)) return value as ProviderName;
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be one of ${PROVIDER_NAMES.join(', ')} or ccxt:<exchange id> such as ccxt:kraken (got "${v}")`,
      });
      return z.NEVER;
    });

export const configSchema = z.object({
  DATABASE_URL: databaseUrl('DATABASE_URL', 'postgres://user:password@127.0.0.1:5432/candlebase'),
  /** A streaming replica: the read-only procedures read there (a job's progress, and a client's reads right after its own writes, stay on the primary). */
  DATABASE_READ_URL: databaseUrl('DATABASE_READ_URL', 'postgres://user:password@replica.internal:5432/candlebase'),
  /**
   * A direct connection to the primary, for LISTEN and session advisory locks, when DATABASE_URL
   * goes through PgBouncer in transaction mode; setting it also stops statements being prepared.
   */
  DATABASE_LISTEN_URL: databaseUrl('DATABASE_LISTEN_URL', 'postgres://user:password@primary.internal:5432/candlebase'),
  PGLITE_DIR: z.string().default('./.data/pglite'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int('PORT', 3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MARKET_DATA_PROVIDER: providerName('MARKET_DATA_PROVIDER').transform((v): ProviderName => v ?? 'synthetic'),
  /** The provider of new crypto symbols, instead of MARKET_DATA_PROVIDER. */
  CRYPTO_PROVIDER: providerName('CRYPTO_PROVIDER'),
  /** The provider of new equity, ETF and index symbols, instead of MARKET_DATA_PROVIDER. */
  EQUITY_PROVIDER: providerName('EQUITY_PROVIDER'),
  /** The provider of new FX pairs, instead of MARKET_DATA_PROVIDER. */
  FX_PROVIDER: providerName('FX_PROVIDER'),
  /** More ccxt exchanges to offer per symbol, beyond those the settings above name: "kraken,coinbase". */
  CCXT_EXCHANGES: optionalText.transform((v, ctx) => {
    const ids = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !CCXT_ID.test(id));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `CCXT_EXCHANGES must list ccxt exchange ids separated by commas, such as kraken,coinbase (got "${bad}")`,
      });
      return z.NEVER;
    }
    return ids;
  }),
  POLYGON_API_KEY: optionalText,
  POLYGON_BASE_URL: httpUrl('POLYGON_BASE_URL'),
  POLYGON_REQUESTS_PER_MINUTE: int('POLYGON_REQUESTS_PER_MINUTE', 5, 1, 100_000),
  /**
   * The window POLYGON_REQUESTS_PER_MINUTE is counted over, in ms: a minute. Shorter for tests;
   * an enterprise agreement that counts per second or per hour can say so here.
   */
  POLYGON_QUOTA_WINDOW_MS: int('POLYGON_QUOTA_WINDOW_MS', 60_000, 100, 86_400_000),
  /** Minutes after a bar's close before Polygon's values are final (late prints); until then it is not stored. */
  POLYGON_SETTLE_MINUTES: int('POLYGON_SETTLE_MINUTES', 15, 0, 1440),
  BINANCE_BASE_URL: httpUrl('BINANCE_BASE_URL'),
  YAHOO_BASE_URL: httpUrl('YAHOO_BASE_URL').transform((v) => v ?? DEFAULT_YAHOO_BASE_URL),
  /** Stored symbols kept under another Binance market, "BTC-USD=BTCUSDT,ETH-USD=ETHUSDT"; none by default. */
  BINANCE_SYMBOL_ALIASES: optionalText.transform((v, ctx) => {
    try {
      return parseBinanceAliases(v ?? '');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `BINANCE_SYMBOL_ALIASES: ${(error as Error).message}` });
      return z.NEVER;
    }
  }),
  CSV_DIR: optionalText,
  /** The IANA zone of CSV times written without one (MetaTrader, Stooq, zone-less ISO); never assumed UTC. */
  CSV_TIMEZONE: optionalText.refine(
    (v) => v === undefined || isTimeZone(v),
    'CSV_TIMEZONE must be an IANA time zone such as America/New_York or Europe/Berlin',
  ),
  /** Where CSV files uploaded in the dashboard are kept: `<dir>/<upload id>/` while staged, `<dir>/series/` once imported. */
  UPLOAD_DIR: z.string().default('./.data/uploads'),
  /** The largest CSV file the dashboard accepts, in MB. */
  UPLOAD_MAX_MB: int('UPLOAD_MAX_MB', 200, 1, 10_000),
  WORKER_ENABLED: bool('WORKER_ENABLED', true),
  WORKER_CONCURRENCY: int('WORKER_CONCURRENCY', 2, 1, 64),
  /** Seconds a claimed unit stays ours without a renewal. */
  WORKER_LEASE_SECONDS: int('WORKER_LEASE_SECONDS', 30, 2, 3600),
  API_TOKEN: optionalText,
  /** With API_TOKEN: whether reads need the token too (mutations and subscriptions always do). */
  AUTH_READS: bool('AUTH_READS', false),
  /** Origins other than the server's own that may call the API from a browser (comma-separated). */
  CORS_ORIGINS: list,
  /**
   * Host names (a bare name: any port; `name:port`: that port) the server answers to besides the
   * loopback names, comma-separated: anything else is refused, which defeats DNS rebinding.
   */
  ALLOWED_HOSTS: list.refine(
    (hosts) => hosts.every((h) => /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/@]+)(:\d{1,5})?$/.test(h)),
    'ALLOWED_HOSTS must list host names such as candlebase.example.com or 10.0.0.5:3000, comma-separated',
  ),
  /** Seconds a client has to send a whole request (headers within at most 10 s of them). */
  HTTP_REQUEST_TIMEOUT_SECONDS: int('HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
  /** Open HTTP connections at most (SSE subscribers included); more are closed at once. */
  HTTP_MAX_CONNECTIONS: int('HTTP_MAX_CONNECTIONS', 4096, 16, 1_000_000),
  BACKFILL_RATE_PER_MINUTE: int('BACKFILL_RATE_PER_MINUTE', 30, 1, 100_000),
  MAX_ACTIVE_JOBS: int('MAX_ACTIVE_JOBS', 50, 1, 100_000),
  /** Longest range one backfill may ask for, per timeframe: "5m=730,15m=1830,1h=3660,1d=36600" (days). */
  MAX_RANGE_DAYS: optionalText.transform((v, ctx) => {
    const limits: Record<string, number> = { ...DEFAULT_MAX_RANGE_DAYS };
    for (const part of (v ?? '').split(',').filter(Boolean)) {
      const [tf, days] = part.split('=').map((x) => x.trim());
      if (!tf || !(TIMEFRAME_LIST as readonly string[]).includes(tf) || !days || !/^\d+$/.test(days)) {
        ctx.addIssue({ code: 'custom', message: `MAX_RANGE_DAYS must look like "5m=730,1h=3660" (got "${v}")` });
        return z.NEVER;
      }
      limits[tf] = Number(days);
    }
    return limits as Record<Timeframe, number>;
  }),
  SEED_DEMO: bool('SEED_DEMO', true),
  SCHEDULER_ENABLED: bool('SCHEDULER_ENABLED', true),
  /** Minutes between refreshes of intraday series (5m, 15m, 1h); ticks align to the clock. */
  REFRESH_INTRADAY_MINUTES: int('REFRESH_INTRADAY_MINUTES', 15, 1, 1440),
  /** Hour (UTC) of the daily refresh of 1d series: 1 is after the NYSE close and crypto's UTC midnight. */
  REFRESH_DAILY_HOUR_UTC: int('REFRESH_DAILY_HOUR_UTC', 1, 0, 23),
  /** How far back a refresh re-reads intraday bars it already has, to catch the provider's late revisions. */
  REFRESH_REREAD_MINUTES: int('REFRESH_REREAD_MINUTES', 60, 0, 1440),
  /** How many of the latest daily bars a refresh re-reads (corrections after the close). */
  REFRESH_REREAD_SESSIONS: int('REFRESH_REREAD_SESSIONS', 2, 0, 30),
  WEB_DIST: optionalText,
  /** Where alerts (a failed job, a failed check, a stale series) are POSTed as signed JSON; none by default. */
  ALERT_WEBHOOK_URL: httpUrl('ALERT_WEBHOOK_URL'),
  /** The shared secret of the HMAC-SHA256 signature in X-Candlebase-Signature; required with the URL. */
  ALERT_WEBHOOK_SECRET: optionalText.refine(
    (v) => v === undefined || v.length >= 16,
    'ALERT_WEBHOOK_SECRET must be at least 16 characters (a long random string)',
  ),
  /** Attempts per alert before it is marked failed (retries back off exponentially, with jitter). */
  ALERT_WEBHOOK_MAX_ATTEMPTS: int('ALERT_WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
  /** Minutes a series must have been stale before it raises an alert; 0 turns stale-series alerts off. */
  ALERT_STALE_AFTER_MINUTES: int('ALERT_STALE_AFTER_MINUTES', 60, 0, 43_200),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; every other module takes the result, none reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return i.message.includes(key) ? i.message : `${key}: ${i.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const config = result.data;
  for (const setting of ['DATABASE_READ_URL', 'DATABASE_LISTEN_URL'] as const) {
    if (config[setting] && !config.DATABASE_URL) {
      throw new ConfigError(
        `Invalid configuration: ${setting} needs DATABASE_URL (the primary) beside it; the embedded PGlite database has no replicas or pooler`,
      );
    }
  }
  if (config.ALERT_WEBHOOK_URL && !config.ALERT_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration: ALERT_WEBHOOK_URL needs ALERT_WEBHOOK_SECRET (a long random string the receiver shares) to sign each alert',
    );
  }
  for (const setting of PROVIDER_SETTINGS) {
    const name = config[setting];
    if (name === undefined) continue;
    if (name === 'polygon' && !config.POLYGON_API_KEY) {
      throw new ConfigError(`Invalid configuration: ${setting}=polygon needs POLYGON_API_KEY`);
    }
    if (name === 'csv' && !config.CSV_DIR) {
      throw new ConfigError(`Invalid configuration: ${setting}=csv needs CSV_DIR (a folder of CSV files)`);
    }
  }
  // Loads ccxt (a second or two), which only a ccxt provider needs.
  for (const [setting, id] of ccxtSettings(config)) {
    const problem = ccxtExchangeProblem(id);
    if (problem) throw new ConfigError(`Invalid configuration: ${setting}: ${problem}`);
  }
  return config;
}

/** The settings that name a provider, in the order their errors are reported. */
export const PROVIDER_SETTINGS = ['MARKET_DATA_PROVIDER', 'CRYPTO_PROVIDER', 'EQUITY_PROVIDER', 'FX_PROVIDER'] as const;

/** Every ccxt exchange id the configuration names, with the setting that names it (first one wins). */
export function ccxtSettings(config: Config): [string, string][] {
  const seen = new Map<string, string>();
  for (const setting of PROVIDER_SETTINGS) {
    const id = ccxtExchangeId(config[setting] ?? '');
    if (id !== undefined && !seen.has(id)) seen.set(id, `${setting}=ccxt:${id}`);
  }
  for (const id of config.CCXT_EXCHANGES) if (!seen.has(id)) seen.set(id, `CCXT_EXCHANGES=${id}`);
  return [...seen].map(([id, setting]) => [setting, id]);
}
