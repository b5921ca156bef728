import { describe, expect, it } from 'vitest';
import { SharedAnswer } from './shared-answer';

describe('SharedAnswer', () => {
  it('runs once for callers that overlap, serves the answer for its ttl, then runs again', async () => {
    let runs = 0;
    let release: (() => void) | undefined;
    let clock = 1000;
    const shared = new SharedAnswer(
      async () => {
        runs++;
        await new Promise<void>((r) => {
          release = r;
        });
        return runs;
      },
      10_000,
      () => clock,
    );
    const waiting = Array.from({ length: 50 }, () => shared.get());
    release?.();
    expect(await Promise.all(waiting)).toEqual(waiting.map(() => 1));
    clock += 9_999;
    expect(await shared.get()).toBe(1);
    clock += 1;
    const next = shared.get();
    release?.();
    expect(await next).toBe(2);
    expect(runs).toBe(2);
  });

  it('does not keep a failure: the next caller runs it again', async () => {
    let runs = 0;
    const shared = new SharedAnswer(async () => {
      runs++;
      if (runs === 1) throw new Error('database away');
      return 'ok';
    }, 10_000);
    await expect(shared.get()).rejects.toThrow('database away');
    expect(await shared.get()).toBe('ok');
  });
});
