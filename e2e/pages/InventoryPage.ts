// Page object for the inventory view: search, rows, sorting, details, and opening terminals.
import { expect, type Locator, type Page } from '@playwright/test';

export class InventoryPage {
  readonly page: Page;
  readonly search: Locator;
  readonly count: Locator;
  readonly rows: Locator;
  readonly details: Locator;
  readonly backendLabel: Locator;
  /** The "cached 5 min ago" marks of rows shown from the last run's listing. */
  readonly cachedBadges: Locator;
  readonly grid: Locator;

  constructor(page: Page) {
    this.page = page;
    this.search = page.getByRole('searchbox', { name: 'Search instances' });
    this.count = page.getByTestId('inventory-count');
    this.rows = page.locator('.table__spacer [role="row"]');
    this.details = page.getByTestId('instance-details');
    this.backendLabel = page.getByTestId('backend-label');
    this.cachedBadges = page.getByTestId('cached-badge');
    this.grid = page.locator('.table__body').first();
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Inventory/ })
      .click();
    await expect(this.search).toBeVisible();
  }

  row(instanceId: string): Locator {
    return this.page.locator(`[role="row"][data-instance-id="${instanceId}"]`);
  }

  /** The names of the rows on screen, in display order (without the production label). */
  async visibleNames(): Promise<string[]> {
    const names = await this.rows.locator('.cell--name .cell__text').allTextContents();
    return names.map((name) => name.trim());
  }

  async filter(query: string): Promise<void> {
    await this.search.fill(query);
  }

  async waitForRows(minimum = 1): Promise<void> {
    await expect.poll(() => this.rows.count()).toBeGreaterThanOrEqual(minimum);
  }

  async openByDoubleClick(instanceId: string): Promise<void> {
    await this.row(instanceId).dblclick();
  }

  async select(instanceId: string): Promise<void> {
    await this.row(instanceId).click();
    await expect(this.row(instanceId)).toHaveAttribute('aria-selected', 'true');
  }

  /** Scrolls the rows down by `pixels`, as the mouse wheel would. */
  async scrollRowsBy(pixels: number): Promise<void> {
    await this.grid.evaluate((element, by) => element.scrollBy(0, by), pixels);
  }

  async scrollTop(): Promise<number> {
    return this.grid.evaluate((element) => element.scrollTop);
  }

  async sortBy(column: string): Promise<void> {
    await this.page.getByRole('columnheader', { name: column }).getByRole('button').click();
  }
}
