import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadCreated, UploadPreview, UploadSettings } from '@candlebase/contracts';
import { InputError, NotFoundError, TooLargeError } from '@candlebase/contracts';
import { inspectCsvFile, isTimeZone, ProviderError } from '@candlebase/providers';
import type { Config } from '../config';
import { uploadSeriesDir } from '../providers/from-config';

const SAMPLE_ROWS = 20;
const LISTED_ERRORS = 50;

/** A file name fit to show and to keep: its base name, printable, at most 120 characters. */
function cleanName(name: string | undefined): string {
  const base = basename(String(name ?? '').replace(/\\/g, '/'))
    .replace(/[^\w.\- ()]/g, '_')
    .slice(0, 120);
  return base === '' || base === '.' || base === '..' ? 'upload.csv' : base;
}

/** `<UPLOAD_DIR>/<id>/<file>` for one staged upload; an id that is not ours is "not found". */
async function stagedFile(config: Config, id: string): Promise<{ path: string; filename: string }> {
  const dir = join(config.UPLOAD_DIR, id);
  const names = await readdir(dir).catch(() => []);
  const filename = names.find((n) => n.endsWith('.upload'));
  if (!filename) throw new NotFoundError(`Upload ${id} was not found (it may have been imported already)`);
  return { path: join(dir, filename), filename: filename.slice(0, -'.upload'.length) };
}

/**
 * Streams a request body to `<UPLOAD_DIR>/<id>/`, counting bytes as they pass: past the cap the
 * write stops, the partial file goes, and the caller answers 413. Nothing is held in memory.
 */
export async function saveUpload(
  config: Config,
  body: NodeJS.ReadableStream,
  filename: string | undefined,
): Promise<UploadCreated> {
  const id = randomUUID();
  const dir = join(config.UPLOAD_DIR, id);
  const name = cleanName(filename);
  const cap = config.UPLOAD_MAX_MB * 1024 * 1024;
  await mkdir(dir, { recursive: true });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > cap) done(new TooLargeError(tooLarge(config)));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(join(dir, `${name}.upload`)));
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  if (bytes === 0) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError('The file is empty', 'file');
  }
  return { upload_id: id, filename: name, bytes };
}

export function tooLarge(config: Config): string {
  return `The file is larger than ${config.UPLOAD_MAX_MB} MB, the most this server accepts (UPLOAD_MAX_MB); split it and upload the parts`;
}

function checkZone(settings: UploadSettings): void {
  if (settings.timezone !== undefined && !isTimeZone(settings.timezone)) {
    throw new InputError(
      `"${settings.timezone}" is not a time zone: use an IANA name such as America/New_York or Europe/Berlin`,
      'timezone',
    );
  }
}

/** The file read as the import would read it: the first bars, the count and range, every refused row's line. */
export async function previewUpload(config: Config, id: string, settings: UploadSettings): Promise<UploadPreview> {
  checkZone(settings);
  const { path, filename } = await stagedFile(config, id);
  try {
    const { report, sample } = await inspectCsvFile(path, {
      symbol: settings.symbol,
      timeframe: settings.timeframe,
      zone: settings.timezone ?? config.CSV_TIMEZONE,
      label: filename,
      zoneHint: 'choose the time zone its times are written in',
      calendarHint: 'check the symbol: a crypto pair such as BTC-USD trades around the clock',
      maxErrors: LISTED_ERRORS,
      sampleSize: SAMPLE_ROWS,
    });
    return {
      upload_id: id,
      filename,
      symbol: settings.symbol,
      timeframe: settings.timeframe,
      layout: report.layout,
      timezone: report.zone,
      calendar: report.calendar,
      rows: report.rows,
      first: report.first,
      last: report.last,
      skipped: report.skipped.count,
      errors: report.errors.slice(0, LISTED_ERRORS),
      error_count: report.errorCount,
      notes: report.notes,
      sample: sample.map((c) => ({
        ts: new Date(c.ts).toISOString(),
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
      })),
    };
  } catch (err) {
    // The file's own problem (no header we know, no zone): the reader's words, as a 422.
    if (err instanceof ProviderError) throw new InputError(err.message, 'file');
    throw err;
  }
}

/**
 * Moves a clean upload to where the `upload` provider reads it (`series/SYMBOL_tf.csv`, its zone
 * beside it). A file with refused rows is not moved: importing it would store half of it.
 */
export async function stageForImport(
  config: Config,
  id: string,
  settings: UploadSettings,
): Promise<{ preview: UploadPreview; restore: () => Promise<void> }> {
  const preview = await previewUpload(config, id, settings);
  if (preview.error_count > 0) {
    const first = preview.errors[0];
    throw new InputError(
      `${preview.filename} has ${preview.error_count} refused row${preview.error_count === 1 ? '' : 's'}${first ? ` (line ${first.line}: ${first.reason})` : ''}; nothing was imported. Fix the file and upload it again`,
      'file',
    );
  }
  if (preview.rows === 0) throw new InputError(`${preview.filename} holds no bars; nothing was imported`, 'file');
  const { path } = await stagedFile(config, id);
  const seriesDir = uploadSeriesDir(config);
  await mkdir(seriesDir, { recursive: true });
  const base = join(seriesDir, `${settings.symbol.replace(/[/:]/g, '_')}_${settings.timeframe}`);
  await writeFile(`${base}.json`, JSON.stringify(preview.timezone ? { timezone: preview.timezone } : {}));
  await rename(path, `${base}.csv`);
  // A job refused after the move (a rate or range limit) hands the file back, so the upload can be tried again.
  const restore = () => rename(`${base}.csv`, path);
  return { preview, restore };
}

/** After the job is queued: the staging folder goes. */
export async function dropStaging(config: Config, id: string): Promise<void> {
  await rm(join(config.UPLOAD_DIR, id), { recursive: true, force: true });
}
