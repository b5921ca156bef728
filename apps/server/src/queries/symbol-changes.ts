import type { SymbolListChange } from '@candlebase/contracts';
import { tracked } from '@trpc/server';
import { Waker } from '../waker';
import type { FeedEntry, SymbolListFeed } from './symbol-feed';

/** Past this many rows in one change, the snapshot (about 95 bytes a symbol) is the cheaper way to catch up. */
const MAX_ROWS_PER_CHANGE = 1000;

function messageOf(entry: FeedEntry): SymbolListChange {
  const c = entry.change;
  if (c.kind === 'status') return { type: 'status', changes: c.changes };
  if (c.symbols.length > MAX_ROWS_PER_CHANGE) return { type: 'reload', reason: 'Many symbols changed at once' };
  return { type: 'changed', symbols: c.symbols, removed: c.removed };
}

/**
 * `symbols.onChanged`: listen first, then every change after `lastEventId` from the feed's log,
 * then the live tail, each tracked by its position. A position from another process, an earlier
 * start, or older than the log keeps gets one `reload` and the stream ends.
 */
export async function* symbolChanges(
  feed: SymbolListFeed,
  lastEventId: string | null | undefined,
  signal: AbortSignal,
  keep = 1000,
) {
  const queue: FeedEntry[] = [];
  const waker = new Waker();
  const off = feed.onChange((entry) => {
    queue.push(entry);
    waker.notify();
  });
  const reload = (reason: string) =>
    tracked(feed.position(), { type: 'reload', reason } satisfies SymbolListChange as SymbolListChange);
  try {
    let after: number;
    if (!lastEventId) {
      after = (await feed.current()).seq;
    } else {
      const [id, n] = lastEventId.split(':');
      const missed = id === feed.id ? feed.since(Number(n)) : null;
      if (!missed) {
        yield reload(
          id === feed.id
            ? 'The symbol list moved on too far since this position'
            : 'This position is from another server or an earlier start',
        );
        return;
      }
      after = Number(n);
      for (const e of missed) {
        const message = messageOf(e);
        yield tracked(feed.position(e.seq), message);
        if (message.type === 'reload') return;
        after = e.seq;
      }
    }
    while (!signal.aborted) {
      if (queue.length > keep) {
        yield reload('This client fell too far behind');
        return;
      }
      let entry = queue.shift();
      while (entry) {
        if (entry.seq > after) {
          const message = messageOf(entry);
          yield tracked(feed.position(entry.seq), message);
          after = entry.seq;
          if (message.type === 'reload') return;
        }
        entry = queue.shift();
      }
      await waker.wait(60_000, signal);
    }
  } finally {
    off();
  }
}
