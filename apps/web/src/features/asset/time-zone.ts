import type { AssetClass } from '@candlebase/contracts';

/** The zones the chart can show times in: the exchange's (New York) or UTC. */
export type ChartZone = 'UTC' | 'America/New_York';

/** Equities trade on New York's clock; crypto never closes and FX is quoted round the clock: UTC. */
export function defaultZone(assetClass: AssetClass): ChartZone {
  return assetClass === 'crypto' || assetClass === 'fx' ? 'UTC' : 'America/New_York';
}

/** "2024-06-10 09:30" in `zone`; `time` false gives the date alone. */
export function formatInZone(ms: number, zone: ChartZone, time = true): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(time ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = `${get('year')}-${get('month')}-${get('day')}`;
  return time ? `${day} ${get('hour')}:${get('minute')}` : day;
}

/** The zone times are shown in: daily bars are dated by their UTC day, whatever zone is picked. */
export function shownZone(zone: ChartZone, intraday: boolean): ChartZone {
  return intraday ? zone : 'UTC';
}

/** How the zone is named beside a time: "UTC" or "New York time". */
export function zoneName(zone: ChartZone): string {
  return zone === 'UTC' ? 'UTC' : 'New York time';
}
