import { testEngines } from '@candlebase/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakePolygon } from '../testing/fake-polygon';
import { type Harness, startHarness } from '../testing/harness';

describe.each(testEngines())('provider budgets in system.health on %s', (engine) => {
  let h: Harness | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it("lists Polygon's shared budget, and the reachability check spends from it", async () => {
    const polygon = await startFakePolygon();
    closers.push(() => polygon.close());
    h = await startHarness(engine, {
      env: { ...polygon.serverEnv(), POLYGON_REQUESTS_PER_MINUTE: '5', POLYGON_QUOTA_WINDOW_MS: '60000' },
    });
    const before = await h.caller.system.health();
    expect(before.providers).toEqual([
      {
        name: 'polygon',
        unit: 'requests',
        budget_per_minute: 5,
        used_last_minute: 0,
        window_ms: 60_000,
        paused_until: null,
        shared: true,
      },
    ]);
    const checks = await h.caller.system.checks();
    expect(checks.checks.find((c) => c.name === 'Provider reachable')).toMatchObject({ ok: true });
    expect(polygon.pings).toHaveLength(1);
    const after = await h.caller.system.health();
    expect(after.providers[0]).toMatchObject({ used_last_minute: 1, budget_per_minute: 5 });
  });

  it('lists nothing for the synthetic provider, which spends no quota', async () => {
    h = await startHarness(engine);
    expect((await h.caller.system.health()).providers).toEqual([]);
  });
});
