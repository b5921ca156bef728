/**
 * libfaketime (Debian's `faketime` package) shifts a whole process's clock: Node's Date, timers'
 * wall time and an embedded PGlite all read it, so a server started under it lives at the shifted
 * instant end to end. Used by the clock guard (scripts/clock-guard.ts) and the e2e server.
 */
import { existsSync } from 'node:fs';
import { arch } from 'node:os';

const MULTIARCH: Record<string, string> = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' };

/** The path of libfaketime, or an error that says how to get it. */
export function libfaketimePath(): string {
  const candidates = [
    process.env.FAKETIME_LIB,
    `/usr/lib/${MULTIARCH[arch()] ?? `${arch()}-linux-gnu`}/faketime/libfaketime.so.1`,
    '/usr/lib/faketime/libfaketime.so.1',
    '/usr/local/lib/faketime/libfaketime.so.1',
  ].filter((p): p is string => p !== undefined && p !== '');
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `libfaketime is not installed (looked in ${candidates.join(', ')}): run "apt-get install faketime", or set FAKETIME_LIB`,
    );
  }
  return found;
}

/**
 * Environment that runs a process `offsetSeconds` away from the real clock. A relative offset
 * (not a start instant) keeps every process launched with it on one shared clock. Monotonic clocks
 * stay real, so timeouts and durations are unaffected.
 */
export function faketimeEnv(offsetSeconds: number): Record<string, string> {
  const offset = Math.round(offsetSeconds);
  return {
    LD_PRELOAD: libfaketimePath(),
    FAKETIME: offset >= 0 ? `+${offset}` : String(offset),
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    FAKETIME_DONT_RESET: '1',
  };
}
