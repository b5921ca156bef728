import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export interface ScratchDb {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A throw-away database on the server at `baseUrl`, dropped (with force) by `drop()`. */
export async function createScratchDb(baseUrl: string, label: string): Promise<ScratchDb> {
  const name = `candlebase_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    name,
    url: u.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
    },
  };
}
