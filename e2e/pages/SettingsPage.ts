// Page object for the settings view: the theme, and the terminal's font, size and line height.
import { expect, type Locator, type Page } from '@playwright/test';

export type ThemeChoice = 'System' | 'Light' | 'Dark';

export class SettingsPage {
  readonly page: Page;
  readonly fontFamily: Locator;
  readonly lineHeight: Locator;

  constructor(page: Page) {
    this.page = page;
    this.fontFamily = page.getByLabel('Terminal font', { exact: true });
    this.lineHeight = page.getByLabel('Terminal line height');
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Settings/ })
      .click();
    await expect(this.page.getByRole('radiogroup', { name: 'Theme' })).toBeVisible();
  }

  /** Picks a theme and waits until the page wears it ('System' is light in headless Chromium). */
  async chooseTheme(theme: ThemeChoice): Promise<void> {
    // The radio itself is hidden behind its label, which is what a user clicks.
    const group = this.page.getByRole('radiogroup', { name: 'Theme' });
    await group.locator('label', { hasText: theme }).click();
    await expect(group.getByRole('radio', { name: theme })).toBeChecked();
    if (theme !== 'System') {
      await expect(this.page.locator('html')).toHaveAttribute('data-theme', theme.toLowerCase());
    }
  }

  async setLineHeight(value: number): Promise<void> {
    await this.lineHeight.fill(String(value));
    await this.lineHeight.press('Enter');
    await expect(this.lineHeight).toHaveAttribute('aria-invalid', 'false');
  }
}
