import { TRPCClientError } from '@trpc/client';
import { useSyncExternalStore } from 'react';
import { requestApiToken } from './api-token';

export interface ApiErrorNotice {
  id: number;
  message: string;
  status: number | null;
  at: number;
}

/** The HTTP status of a tRPC error, or null when the request never got an answer. */
export function httpStatusOf(err: unknown): number | null {
  if (err instanceof TRPCClientError) {
    const data: unknown = err.data;
    if (data && typeof data === 'object' && 'httpStatus' in data && typeof data.httpStatus === 'number') {
      return data.httpStatus;
    }
  }
  return null;
}

/** A sentence for a person: the server's own message when it has one, else what went wrong in plain words. */
export function friendlyMessage(err: unknown): string {
  const status = httpStatusOf(err);
  if (err instanceof TRPCClientError && status === null) {
    return 'Cannot reach the Candlebase server. Check that it is running; the dashboard will retry.';
  }
  if (status !== null && status >= 500)
    return 'The server had a problem answering. It has been logged; try again shortly.';
  // The server says how long to wait ("try again in 58 s"): its sentence beats a vague one.
  if (status === 429)
    return err instanceof Error && err.message
      ? err.message
      : 'Too many requests right now; wait a moment and try again.';
  if (status === 401) return 'This action needs the API token.';
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong.';
}

type Listener = () => void;
let notices: ApiErrorNotice[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const emit = () => {
  for (const l of listeners) l();
};

/** Repeats of the same message within a few seconds collapse into one banner. */
export function reportApiError(err: unknown): void {
  const message = friendlyMessage(err);
  const status = httpStatusOf(err);
  if (status === 401) requestApiToken();
  const now = Date.now();
  if (notices.some((n) => n.message === message && n.status === status && now - n.at < 5000)) return;
  notices = [...notices.slice(-2), { id: nextId++, message, status, at: now }];
  emit();
}

export function dismissApiError(id: number): void {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

function subscribe(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useApiErrors(): ApiErrorNotice[] {
  return useSyncExternalStore(subscribe, () => notices);
}
