/**
 * A provider's request budget: what one API key (or one IP) may spend per window, shared by
 * everything that spends it. Providers only see this interface; where the count lives (this
 * process's memory, or a database row every process shares) is the caller's choice.
 */
export interface BudgetSpec {
  /** The provider's name, as `system.health` lists it: "polygon", "binance". */
  provider: string;
  /**
   * What the provider counts the quota against: the API key, or for keyless APIs the host.
   * Shared budgets store a hash of it, never the text.
   */
  key: string;
  /** Units allowed per window (requests, or Binance's request weight). */
  limit: number;
  windowMs: number;
  /**
   * `sliding`: at most `limit` in any window of `windowMs` (Polygon: the safe reading when a
   * provider does not say how it measures). `clock`: per clock-aligned window, reset at each
   * boundary (Binance counts weight per calendar minute).
   */
  window: 'sliding' | 'clock';
  unit: 'requests' | 'weight';
  /**
   * The share of `limit` we let ourselves spend; the rest is left for the provider's own
   * rounding and, for per-IP limits, for anything else on the machine. 1 unless said.
   */
  usable?: number;
  /**
   * Added to the window before a spent unit expires: the provider measures when a request
   * arrives, not when we took the budget for it, and the two differ by the network's delay.
   */
  marginMs?: number;
}

export interface BudgetUsage {
  provider: string;
  unit: BudgetSpec['unit'];
  limit: number;
  windowMs: number;
  /** Spent in the window that holds `now` (sliding: the last `windowMs`). */
  used: number;
  /** Epoch ms until which nobody may send, after the provider said 429; null when not paused. */
  pausedUntil: number | null;
  /** Whether every process on the database shares this count, or only this one. */
  shared: boolean;
}

/** One spend, taken before a request went out. */
export interface Spend {
  /**
   * The request has its answer (or failed): the spend now counts from this moment. The provider
   * counted the request when it arrived, somewhere between the take and the answer; counting from
   * the answer is the one instant certain not to be early, however slow the trip was.
   */
  settle(): Promise<void>;
}

export interface RequestBudget {
  readonly spec: BudgetSpec;
  /** Waits until `cost` units may be spent, then spends them. Rejects with the signal's reason on abort. */
  take(cost: number, signal?: AbortSignal): Promise<Spend>;
  /** The provider said "too many requests": nobody sharing this budget sends for `ms`. */
  pause(ms: number, reason: string): Promise<void>;
  /** The provider's own count of what the current window has used (Binance's X-MBX-USED-WEIGHT-1M). */
  reportUsed(used: number): Promise<void>;
  usage(): Promise<BudgetUsage>;
}

export type BudgetFactory = (spec: BudgetSpec) => RequestBudget;

/** The spends still inside a window, oldest first, and a pause. The same shape in memory and in a row. */
export interface BudgetState {
  sentAt: number[];
  sentCost: number[];
  pausedUntil: number | null;
}

export type Decision = { ok: true; state: BudgetState } | { ok: false; waitMs: number; state: BudgetState };

export const emptyState = (): BudgetState => ({ sentAt: [], sentCost: [], pausedUntil: null });

function windowIndex(spec: BudgetSpec, t: number): number {
  return Math.floor(t / spec.windowMs);
}

/** Drops the spends that no longer count at `now`, and a pause that has ended. */
export function prune(spec: BudgetSpec, state: BudgetState, now: number): BudgetState {
  const span = spec.windowMs + (spec.marginMs ?? 0);
  const sentAt: number[] = [];
  const sentCost: number[] = [];
  state.sentAt.forEach((t, i) => {
    const live = spec.window === 'sliding' ? t > now - span : windowIndex(spec, t) === windowIndex(spec, now);
    if (live) {
      sentAt.push(t);
      sentCost.push(state.sentCost[i] ?? 0);
    }
  });
  const pausedUntil = state.pausedUntil !== null && state.pausedUntil > now ? state.pausedUntil : null;
  return { sentAt, sentCost, pausedUntil };
}

export function usableLimit(spec: BudgetSpec): number {
  return Math.max(1, Math.floor(spec.limit * (spec.usable ?? 1)));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Whether `cost` may be spent at `now`, and the state after it; or how long to wait before asking
 * again. A pure function so the in-memory and the shared budget decide exactly alike.
 */
export function decide(spec: BudgetSpec, stored: BudgetState, now: number, cost: number): Decision {
  const state = prune(spec, stored, now);
  if (state.pausedUntil !== null) return { ok: false, waitMs: state.pausedUntil - now, state };
  const limit = usableLimit(spec);
  // A request dearer than the whole budget could never go; it goes alone in an empty window instead.
  const need = Math.min(cost, limit);
  let used = sum(state.sentCost);
  if (used + need <= limit) {
    return {
      ok: true,
      state: { ...state, sentAt: [...state.sentAt, now], sentCost: [...state.sentCost, cost] },
    };
  }
  if (spec.window === 'clock') {
    const next = (windowIndex(spec, now) + 1) * spec.windowMs;
    return { ok: false, waitMs: next + (spec.marginMs ?? 0) - now, state };
  }
  // Sliding: wait until enough of the oldest spends have left the window.
  const span = spec.windowMs + (spec.marginMs ?? 0);
  for (let i = 0; i < state.sentAt.length; i++) {
    used -= state.sentCost[i] ?? 0;
    if (used + need <= limit) return { ok: false, waitMs: (state.sentAt[i] ?? now) + span - now, state };
  }
  return { ok: false, waitMs: 1, state };
}

/** What the state says was spent in the window at `now`. */
export function usedAt(spec: BudgetSpec, state: BudgetState, now: number): number {
  return sum(prune(spec, state, now).sentCost);
}

/**
 * The provider reports its own count (which includes other users of a per-IP limit): when it is
 * above ours, the difference is booked as spent now, so the next takes see the provider's figure.
 */
export function bookReported(spec: BudgetSpec, stored: BudgetState, now: number, reported: number): BudgetState {
  const state = prune(spec, stored, now);
  const ours = sum(state.sentCost);
  if (!Number.isFinite(reported) || reported <= ours) return state;
  return { ...state, sentAt: [...state.sentAt, now], sentCost: [...state.sentCost, reported - ours] };
}

/** A later pause wins; an earlier one never shortens a pause already in force. */
export function bookPause(spec: BudgetSpec, stored: BudgetState, now: number, untilMs: number): BudgetState {
  const state = prune(spec, stored, now);
  if (untilMs <= now || (state.pausedUntil !== null && state.pausedUntil >= untilMs)) return state;
  return { ...state, pausedUntil: untilMs };
}

/**
 * Moves the spend taken at `takenAt` to `doneAt` (see `Spend.settle`). One already gone from the
 * window (the request outlasted it) is booked again at `doneAt`.
 */
export function bookSettled(
  spec: BudgetSpec,
  stored: BudgetState,
  now: number,
  takenAt: number,
  cost: number,
): BudgetState {
  const state = prune(spec, stored, now);
  const at = state.sentAt.findIndex((t, i) => t === takenAt && state.sentCost[i] === cost);
  const pairs = state.sentAt.map((t, i) => [t, state.sentCost[i] ?? 0] as const).filter((_, i) => i !== at);
  pairs.push([Math.max(now, takenAt), cost]);
  pairs.sort((x, y) => x[0] - y[0]);
  return { ...state, sentAt: pairs.map((p) => p[0]), sentCost: pairs.map((p) => p[1]) };
}
