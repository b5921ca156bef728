import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';

const PREFIX = 'candlebase:';

/** Reads a stored value; anything missing, unreadable or rejected by `accept` yields the fallback. */
export function readStored<T>(key: string, fallback: T, accept: (v: unknown) => v is T): T {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    if (raw === null) return fallback;
    const parsed: unknown = JSON.parse(raw);
    return accept(parsed) ? parsed : fallback;
  } catch {
    return fallback;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Private mode or a full quota: the setting just does not survive a reload.
  }
}

/** `useState` that survives reloads (localStorage, validated on the way in). */
export function usePersistentState<T>(
  key: string,
  fallback: T,
  accept: (v: unknown) => v is T,
): [T, Dispatch<SetStateAction<T>>] {
  const [value, setValue] = useState<T>(() => readStored(key, fallback, accept));
  useEffect(() => writeStored(key, value), [key, value]);
  const set = useCallback<Dispatch<SetStateAction<T>>>((next) => setValue(next), []);
  return [value, set];
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
