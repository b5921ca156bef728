import { expect, test } from './fixtures';
import { openDashboard } from './helpers';

test('the recent jobs section folds away and stays folded across a reload', async ({ page }) => {
  await openDashboard(page);
  const toggle = page.getByRole('button', { name: 'Recent jobs' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('list', { name: 'Recent jobs' })).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('button', { name: 'Recent jobs' })).toHaveAttribute('aria-expanded', 'false');
  await page.getByRole('button', { name: 'Recent jobs' }).click();
  await expect(page.getByRole('button', { name: 'Recent jobs' })).toHaveAttribute('aria-expanded', 'true');
});
