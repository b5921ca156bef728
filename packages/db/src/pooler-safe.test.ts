import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The one module that may take session state: it puts it on the direct connection (DATABASE_LISTEN_URL). */
const ALLOWED = 'packages/db/src/client.ts';

/**
 * What does not survive PgBouncer in transaction mode, where each transaction may run on another
 * server connection: session advisory locks, LISTEN, session-level settings, prepared statements
 * by name, and holding one connection across transactions.
 */
const SESSION_STATE: [string, RegExp][] = [
  ['a session advisory lock', /pg_(try_)?advisory_lock(_shared)?\s*\(/i],
  ['LISTEN', statement(String.raw`(un)?listen\s+\w`)],
  ['a session setting', /set_config\s*\([^)]*,\s*false\s*\)/i],
  ['a session setting', statement(String.raw`set\s+(session\s+)?(?!local\b)\w+\s*(=|to\b)`)],
  ['a named prepared statement', statement(String.raw`(prepare|deallocate)\s+\w`)],
  ['a reserved connection', /\.reserve\s*\(\s*\)/],
  ['LISTEN', /\.listen\s*\(\s*(channel|['"`])/],
];

/** SQL that starts a tagged template (sql`...`, client`...`) or an unsafe('...') call. */
function statement(body: string): RegExp {
  return new RegExp(String.raw`(\w\s*\`|unsafe\(\s*['"\`])\s*` + body, 'i');
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('nothing but the direct connection keeps session state (PgBouncer, transaction mode)', () => {
  it('finds no session lock, LISTEN, session SET, named statement or reserved connection elsewhere', () => {
    const files = ['apps', 'packages'].flatMap((d) => sources(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const name = relative(ROOT, file);
      if (name === ALLOWED) continue;
      const text = readFileSync(file, 'utf8');
      for (const [what, pattern] of SESSION_STATE) if (pattern.test(text)) found.push(`${name}: ${what}`);
    }
    expect(found).toEqual([]);
    // The patterns do catch what they are for.
    const allowed = readFileSync(join(ROOT, ALLOWED), 'utf8');
    expect(SESSION_STATE.filter(([, p]) => p.test(allowed)).map(([what]) => what)).toEqual([
      'a session advisory lock',
      'a reserved connection',
      'LISTEN',
    ]);
    const setting = SESSION_STATE[3]?.[1] ?? /^$/;
    expect(setting.test("sql`set statement_timeout = '5s'`")).toBe(true);
    expect(setting.test("db.unsafe('SET search_path TO x')")).toBe(true);
    expect(setting.test("sql`set local statement_timeout = '5s'`")).toBe(false);
    expect(setting.test("'set CSV_DIR to a folder'")).toBe(false);
  });
});
