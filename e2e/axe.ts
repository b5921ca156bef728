import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * axe-core over the whole page in each view. Serious and critical violations fail the test, and
 * so do the landmark rules (moderate in axe, but a second banner whenever a modal opens confuses
 * screen-reader navigation); the message lists each rule with the first nodes it hit.
 */
export async function expectNoSeriousViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical' || v.id.startsWith('landmark') || v.id === 'region',
  );
  const report = serious.map(
    (v) =>
      `${v.id} (${v.nodes.length}): ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')} ${v.nodes[0]?.failureSummary ?? ''}`,
  );
  expect(report, report.join('\n')).toEqual([]);
}
