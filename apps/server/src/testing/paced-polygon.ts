import type { BackfillRequest } from '@candlebase/contracts';
import { type CandleDigest, uninterruptedRun } from './backfill-checks';
import { type FakePolygon, startFakePolygon } from './fake-polygon';

/** Bars per answer of the paced fake: a 45- to 90-day 5m unit is 3 to 6 pages. */
const PAGE = 5000;

/**
 * For tests that must break a job midway on any machine: a fake Polygon that answers each
 * 5,000-bar page `latencyMs` late, a floor under how long the job takes however fast the machine,
 * and the candles an uninterrupted run of `request` leaves with the same bars served at once
 * (the fake's bars are a pure function of ticker and time). Point servers and workers at it
 * with `polygon.serverEnv()`; close it when done.
 */
export async function pacedPolygon(
  request: BackfillRequest,
  latencyMs: number,
): Promise<{ polygon: FakePolygon; reference: CandleDigest }> {
  const direct = await startFakePolygon({ pageSize: PAGE });
  const reference = await uninterruptedRun('postgres', request, direct.provider()).finally(() => direct.close());
  const polygon = await startFakePolygon({ pageSize: PAGE, latencyMs });
  return { polygon, reference };
}
