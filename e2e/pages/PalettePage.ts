// Page object for the command palette: opening it by key, its search box and its result rows.
import { expect, type Locator, type Page } from '@playwright/test';

export class PalettePage {
  readonly page: Page;
  readonly dialog: Locator;
  readonly input: Locator;
  readonly options: Locator;

  constructor(page: Page) {
    this.page = page;
    this.dialog = page.getByRole('dialog', { name: 'Go to…' });
    this.input = this.dialog.getByRole('combobox');
    this.options = this.dialog.getByRole('option');
  }

  /** Ctrl+Shift+P (Cmd on macOS is the same binding): opens from anywhere. */
  async openWithShortcut(key: 'Control+Shift+P' | 'Control+K' = 'Control+Shift+P'): Promise<void> {
    await this.page.keyboard.press(key);
    await expect(this.input).toBeFocused();
  }

  /** The highlighted row, which Enter runs. */
  get current(): Locator {
    return this.dialog.locator('[role="option"][aria-selected="true"]');
  }
}
