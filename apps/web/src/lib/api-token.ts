import { useSyncExternalStore } from 'react';

const KEY = 'candlebase:api-token';

/**
 * The API token, when the server asks for one: kept for this browser session only
 * (sessionStorage), sent as a Bearer header on requests and as a connection parameter on SSE.
 */
export function getApiToken(): string | null {
  try {
    return window.sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

let needed = false;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function setApiToken(token: string): void {
  try {
    window.sessionStorage.setItem(KEY, token);
  } catch {
    // Storage refused: the token lasts until the page reloads.
  }
  memoryToken = token;
  needed = false;
  emit();
}

let memoryToken: string | null = null;

export function currentToken(): string | null {
  return getApiToken() ?? memoryToken;
}

/** Called on a 401: the dashboard asks the person for the token once. */
export function requestApiToken(): void {
  if (needed) return;
  needed = true;
  emit();
}

export function dismissTokenRequest(): void {
  needed = false;
  emit();
}

export function useTokenRequested(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => needed,
  );
}
