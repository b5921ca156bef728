/**
 * Pixels of `rem` root ems at the user's text size. For the few places that must be handed
 * pixels (the chart library's font, the virtualized row height), so they grow with 200% text too.
 */
export function remToPx(rem: number): number {
  const root = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
  return rem * (Number.isFinite(root) && root > 0 ? root : 16);
}
