import type { BackfillCreated, UploadCreated, UploadPreview } from '@candlebase/contracts';
import { currentToken, requestApiToken } from '../../lib/api-token';

/** The server's sentence from a REST error body: `{ detail: "..." }` or `{ detail: [{ msg }] }`. */
function detailOf(body: unknown): string | null {
  if (!body || typeof body !== 'object' || !('detail' in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((d) => (d && typeof d === 'object' && 'msg' in d ? String(d.msg) : String(d))).join('; ');
  }
  return null;
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const token = currentToken();
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch {
    throw new Error('Cannot reach the Candlebase server. Check that it is running and try again.');
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401) requestApiToken();
    throw new Error(detailOf(body) ?? `The server answered ${res.status}`);
  }
  return body as T;
}

export interface UploadSettingsForm {
  symbol: string;
  timeframe: string;
  timezone: string;
}

const query = (s: UploadSettingsForm) =>
  new URLSearchParams({ symbol: s.symbol.trim(), timeframe: s.timeframe, timezone: s.timezone.trim() }).toString();

/** Streams the file as the request body: the browser reads it from disk as it sends. */
export function uploadFile(file: File): Promise<UploadCreated> {
  return call<UploadCreated>(`/api/v1/uploads?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: file,
  });
}

export function previewUpload(id: string, s: UploadSettingsForm): Promise<UploadPreview> {
  return call<UploadPreview>(`/api/v1/uploads/${id}/preview?${query(s)}`);
}

export function importUpload(id: string, s: UploadSettingsForm): Promise<BackfillCreated> {
  return call<BackfillCreated>(`/api/v1/uploads/${id}/import?${query(s)}`, { method: 'POST' });
}

/** `AAPL_1h.csv` or `BTC-USD 5m.csv`: what a file's name says of its series, as the CSV folder names them. */
export function settingsFromName(name: string): Partial<UploadSettingsForm> {
  const m = /^([A-Za-z0-9.-]+)[_ ](5m|15m|1h|1d)\.(csv|txt)$/i.exec(name);
  if (m) return { symbol: (m[1] ?? '').toUpperCase(), timeframe: (m[2] ?? '').toLowerCase() };
  const symbol = /^([A-Za-z0-9.-]{1,20})\.(csv|txt)$/i.exec(name)?.[1];
  return symbol ? { symbol: symbol.toUpperCase() } : {};
}
