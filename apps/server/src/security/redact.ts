/**
 * Secrets never reach a stored or logged message. Providers' error bodies may echo the request
 * (Polygon's 400 repeats the query, `apiKey` included), drivers may print connection strings and
 * file errors absolute paths. Every message that is stored (a unit's error, a job's error, an
 * event) or logged passes through `redactSecrets`.
 */

interface Known {
  value: string;
  label: string;
}

const known: Known[] = [];

/**
 * Registers a configured value to be replaced wherever it appears: a key or token by `***`, a
 * path by its setting's name. Called once at start with the process's configuration.
 */
export function registerSecret(value: string | undefined, label = '***'): void {
  if (!value || value.length < 4 || known.some((k) => k.value === value)) return;
  known.push({ value, label });
  // Longest first, so a value that contains another is replaced whole.
  known.sort((a, b) => b.value.length - a.value.length);
}

const SECRET_NAMES = 'api[-_]?key|apikey|access[-_]?token|token|secret|password|passwd|signature|(?<=[?&])key';
/** `apiKey=…`, `token: …` and the JSON `"apiKey":"…"`, in a query string, a body or a header. */
const PARAM = new RegExp(`\\b(${SECRET_NAMES})(["']?\\s*[=:]\\s*["']?)([^\\s&"',;}<>]+)`, 'gi');
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
/** Basic credentials are base64 of user:password; ordinary words after "Basic" are not that long and plain. */
const BASIC = /\b(Basic)\s+[A-Za-z0-9+/]{12,}={0,2}/g;
/** The password of a `scheme://user:password@host` URL. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@\s]+@/gi;

export function redactSecrets(text: string): string {
  let out = text;
  for (const k of known) out = out.split(k.value).join(k.label);
  return out
    .replace(PARAM, (_m, name: string, sep: string) => `${name}${sep}***`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} ***`)
    .replace(BASIC, (_m, scheme: string) => `${scheme} ***`)
    .replace(URL_PASSWORD, '$1:***@');
}

/** The same for every string inside a JSON-like value (an event's data). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}
