// Page object for the Recordings view and its player, and the recording switch in Settings.
import { expect, type Locator, type Page } from '@playwright/test';

export class RecordingsPage {
  readonly page: Page;
  readonly rows: Locator;
  readonly screen: Locator;
  /** The player: its controls and screen. */
  readonly player: Locator;

  constructor(page: Page) {
    this.page = page;
    this.rows = page.getByTestId('recording-row');
    this.screen = page.getByTestId('player-screen');
    this.player = page.getByTestId('player');
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Recordings/ })
      .click();
    await expect(this.page.getByRole('list', { name: 'Recordings' })).toBeAttached();
  }

  /** Turns "Record every terminal session" on or off in Settings. */
  async setRecordEverySession(on: boolean): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Settings/ })
      .click();
    const box = this.page.getByLabel('Record every terminal session');
    // The box shows the saved setting, so it changes once main has answered: click, then wait.
    if ((await box.isChecked()) !== on) await box.click();
    await expect(box).toBeChecked({ checked: on });
  }

  /** The player's screen text (xterm's DOM renderer writes one div per row). */
  async screenText(): Promise<string> {
    const rows = await this.screen.locator('.xterm-rows > div').allTextContents();
    return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
  }
}
