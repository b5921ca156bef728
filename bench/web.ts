import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { SYMBOL_COUNT_TEXT } from './api';
import { ROOT } from './lib/child';
import { fmt, median, percentile, type Report } from './lib/report';

export interface WebBuild {
  dir: string;
  /** gzip bytes of every JS chunk the build emitted, lazy ones included. */
  allJsGzip: number;
  cleanup(): void;
}

/** Builds apps/web into a folder of our own (never the app's dist, which others may be using). */
export async function buildWeb(): Promise<WebBuild | { error: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'candlebase-bench-web-'));
  const build = startChildPlain([
    'apps/web/node_modules/vite/bin/vite.js',
    'build',
    'apps/web',
    '--outDir',
    dir,
    '--emptyOutDir',
  ]);
  const code = await build;
  if (code.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { error: `apps/web does not build: ${code.output.trim().split('\n').slice(-5).join(' / ')}` };
  }
  let allJsGzip = 0;
  for (const f of readdirSync(join(dir, 'assets'))) {
    if (f.endsWith('.js')) allJsGzip += gzipSync(readFileSync(join(dir, 'assets', f))).length;
  }
  return { dir, allJsGzip, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function startChildPlain(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    p.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    p.on('close', (code) => resolve({ code, output }));
  });
}

const LAUNCH = chromiumLaunchOptions;

/**
 * Records, in the page, when the symbol table first shows a data row, and keystroke-to-table
 * latencies: from a keydown in the search box to the frame after the table's next change. Plain
 * JavaScript text: a function would arrive with tsx's name helpers, which the page lacks.
 */
const PROBE = `(() => {
  window.__lat = [];
  const hasRow = () => document.querySelector('table tbody tr td button') !== null;
  const mo = new MutationObserver(() => {
    if (window.__firstRow === undefined && hasRow()) {
      mo.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__firstRow = performance.now(); }, 0));
    }
  });
  mo.observe(document, { childList: true, subtree: true });
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (!target || !target.getAttribute || target.getAttribute('placeholder') !== 'Search symbols...') return;
    const table = document.querySelector('table');
    if (!table) return;
    const start = performance.now();
    const watch = new MutationObserver(() => {
      watch.disconnect();
      requestAnimationFrame(() => setTimeout(() => window.__lat.push(performance.now() - start), 0));
    });
    watch.observe(table, { childList: true, subtree: true, characterData: true, attributes: true });
    setTimeout(() => watch.disconnect(), 3000);
  }, true);
})();`;

async function coldLoad(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript({ content: PROBE });
  const scripts: { url: string; at: number; bytes: Promise<number> }[] = [];
  const t0 = Date.now();
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    scripts.push({
      url: r.url(),
      at: Date.now() - t0,
      bytes: r.body().then(
        (b) => gzipSync(b).length,
        () => 0,
      ),
    });
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __firstRow?: number }).__firstRow !== undefined, null, {
    timeout: 60_000,
  });
  const firstRow = await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow);
  const shell = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav?.domContentLoadedEventEnd ?? Number.NaN;
  });
  const firstPaintScripts = scripts.filter((s) => s.at <= Date.now() - t0);
  const jsGzip = (await Promise.all(firstPaintScripts.map((s) => s.bytes))).reduce((a, b) => a + b, 0);
  return { page, context, firstRow, shell, jsGzip, scripts: firstPaintScripts.map((s) => s.url) };
}

async function keystrokes(page: Page, rounds: number): Promise<{ samples: number[]; missed: number }> {
  const box = page.getByPlaceholder('Search symbols...');
  await box.click();
  await box.fill('');
  let missed = 0;
  const press = async (key: string) => {
    const before = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat.length);
    await page.keyboard.press(key);
    try {
      await page.waitForFunction((n) => (window as unknown as { __lat: number[] }).__lat.length > n, before, {
        timeout: 3000,
      });
    } catch {
      missed++;
    }
  };
  for (let r = 0; r < rounds; r++) {
    for (const d of ['1', '2', '3', '4', '5', '6', '7', '8', '9']) {
      await press(d);
      await press('Backspace');
    }
  }
  const samples = await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat);
  return { samples: samples.slice(4), missed }; // the first few warm the JIT
}

/** The floor: the same keystroke probe on a bare page whose 30-row table follows the input synchronously. */
async function keystrokeFloor(browser: Browser): Promise<number[]> {
  const page = await browser.newPage();
  await page.setContent(`<script>${PROBE}</script><input placeholder="Search symbols..."><table><tbody></tbody></table>
    <script>
      const input = document.querySelector('input'), body = document.querySelector('tbody');
      const all = Array.from({ length: 10000 }, (_, i) => 'S' + String(i).padStart(5, '0'));
      const draw = () => { const q = input.value; body.innerHTML = all.filter((s) => s.includes(q)).slice(0, 30).map((s) => '<tr><td><button>' + s + '</button></td></tr>').join(''); };
      input.addEventListener('input', draw); draw();
    </script>`);
  const { samples } = await keystrokes(page, 1);
  await page.close();
  return samples;
}

/** Figure 5: the dashboard in Chromium against a server holding 10,000 symbols. */
export async function benchWeb(url: string, report: Report, build: WebBuild): Promise<void> {
  const browser = await chromium.launch(LAUNCH);
  try {
    const loads: Awaited<ReturnType<typeof coldLoad>>[] = [];
    for (let i = 0; i < 3; i++) {
      const load = await coldLoad(browser, url);
      loads.push(load);
      if (i < 2) await load.context.close();
    }
    const last = loads[loads.length - 1];
    if (!last) throw new Error('no page load');
    const paint = median(loads.map((l) => l.firstRow));
    const shell = median(loads.map((l) => l.shell));
    report.add({
      name: 'web_first_table_paint_ms',
      value: paint,
      unit: 'ms',
      baseline: `HTML shell DOMContentLoaded ${fmt(shell)} ms`,
      target: '< 1500',
      ok: paint < 1500,
      note: `navigation to the first symbol row painted, ${SYMBOL_COUNT_TEXT} symbols, cold context; median of ${loads.length}, worst ${fmt(Math.max(...loads.map((l) => l.firstRow)))} ms`,
    });
    const jsKb = last.jsGzip / 1024;
    report.add({
      name: 'web_first_load_js_kb_gzip',
      value: jsKb,
      unit: 'KB',
      baseline: `all JS the build emits ${fmt(build.allJsGzip / 1024)} KB gzip`,
      target: '< 300',
      ok: jsKb < 300,
      note: `${last.scripts.length} script(s) loaded by the first table paint`,
    });
    const keys = await keystrokes(last.page, 2);
    const floor = await keystrokeFloor(browser);
    const p95 = percentile(keys.samples, 95);
    report.add({
      name: 'web_search_keystroke_p95_ms',
      value: p95,
      unit: 'ms',
      baseline: `bare page (30-row table redrawn on input) p95 ${fmt(percentile(floor, 95))} ms`,
      target: '< 50',
      ok: p95 < 50 && keys.missed === 0,
      note: `keydown in "Search symbols..." to the frame after the table changed, ${keys.samples.length} keystrokes, median ${fmt(median(keys.samples))} ms${keys.missed ? `, ${keys.missed} never changed the table` : ''}`,
    });
    await last.context.close();
  } finally {
    await browser.close();
  }
}
