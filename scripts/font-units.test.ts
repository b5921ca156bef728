import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../apps/web/src');

/** Text sizes fixed in pixels: Tailwind's `text-[11px]` and `leading-[14px]`, inline `fontSize: 11` or '11px', and CSS. */
const FIXED = [
  /\b(?:text|leading)-\[\d+(?:\.\d+)?px\]/g,
  /fontSize:\s*(?:\d|['"]\d+(?:\.\d+)?px)/g,
  /(?:font-size|line-height):\s*\d+(?:\.\d+)?px/g,
];

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (/\.(tsx?|css)$/.test(entry.name) && !entry.name.includes('.test.')) out.push(path);
  }
  return out;
}

/** Every fixed text size in the web app's sources, as file:line and what was written. */
function fixedSizes(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const pattern of FIXED) {
      for (const m of line.matchAll(pattern)) found.push(`${file}:${i + 1}: ${m[0]}`);
    }
  });
  return found;
}

describe('text sizes', () => {
  it('finds a size in px, and passes one in rem', () => {
    expect(fixedSizes('a.tsx', '<p className="mt-1 text-[11px] leading-[14px]">')).toEqual([
      'a.tsx:1: text-[11px]',
      'a.tsx:1: leading-[14px]',
    ]);
    expect(fixedSizes('a.tsx', "x\nstyle={{ fontSize: '12px' }}")).toEqual(["a.tsx:2: fontSize: '12px"]);
    expect(fixedSizes('a.css', 'body { font-size: 13px; line-height: 1.4; }')).toEqual(['a.css:1: font-size: 13px']);
    expect(fixedSizes('a.tsx', '<p className="text-[0.6875rem] text-xs" style={{ fontSize: "1rem" }}>')).toEqual([]);
  });

  it('are in rem everywhere in the web app, so 200% text in the browser doubles them (WCAG 1.4.4)', async () => {
    const files = await sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      found.push(...fixedSizes(relative(SRC, file), await readFile(file, 'utf8')));
    }
    expect(found).toEqual([]);
  });
});
