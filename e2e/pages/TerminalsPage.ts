// Page object for the terminals view: tabs, the active terminal's text (read from xterm's DOM
// renderer rows), typing commands, the status bar, and closing tabs.
import { expect, type Locator, type Page } from '@playwright/test';

export class TerminalsPage {
  readonly page: Page;
  readonly tabs: Locator;
  readonly status: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tabs = page.getByTestId('terminal-tab');
    this.status = page.getByTestId('terminal-status');
  }

  tab(index: number): Locator {
    return this.tabs.nth(index);
  }

  async tabKey(index: number): Promise<string> {
    const key = await this.tab(index).getAttribute('data-tab-key');
    if (!key) throw new Error(`tab ${index} has no key`);
    return key;
  }

  pane(tabKey: string): Locator {
    return this.page.locator(`[data-testid="terminal-pane"][data-tab-key="${tabKey}"]`);
  }

  async activate(index: number): Promise<void> {
    await this.tab(index).getByRole('tab').click();
    await expect(this.tab(index).getByRole('tab')).toHaveAttribute('aria-selected', 'true');
  }

  /** The lines on screen in a tab's terminal (xterm's DOM renderer writes one div per row). */
  async screenLines(tabKey: string): Promise<string[]> {
    const rows = await this.pane(tabKey).locator('.xterm-rows > div').allTextContents();
    return rows.map((row) => row.replace(/\u00a0/g, ' ').trimEnd());
  }

  async screenText(tabKey: string): Promise<string> {
    return (await this.screenLines(tabKey)).join('\n');
  }

  async waitForText(tabKey: string, pattern: RegExp | string, timeout = 15_000): Promise<void> {
    await expect
      .poll(async () => this.screenText(tabKey), {
        timeout,
        message: `terminal ${tabKey} shows ${String(pattern)}`,
      })
      .toMatch(typeof pattern === 'string' ? new RegExp(escapeRegExp(pattern)) : pattern);
  }

  async waitUntilOpen(): Promise<void> {
    await expect(this.status).toContainText('Connected', { timeout: 20_000 });
  }

  /** Types a command line into the active terminal and presses Enter. */
  async run(tabKey: string, command: string): Promise<void> {
    await this.pane(tabKey).click();
    await this.page.keyboard.type(command);
    await this.page.keyboard.press('Enter');
  }

  /** The size the status bar shows for the active terminal, e.g. { cols: 120, rows: 40 }. */
  async statusSize(): Promise<{ cols: number; rows: number }> {
    const text = await this.status.locator('.statusbar__size').textContent();
    const match = text?.match(/(\d+)×(\d+)/);
    if (!match) throw new Error(`no size in the status bar: ${text ?? ''}`);
    return { cols: Number(match[1]), rows: Number(match[2]) };
  }

  async closeTab(index: number): Promise<void> {
    await this.tab(index)
      .getByRole('button', { name: /^Close / })
      .click();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
