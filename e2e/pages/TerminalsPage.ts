// Page object for the terminals view: tabs, the active terminal's text (read from xterm's DOM
// renderer rows), typing commands, the status bar, renaming, ending sessions and closing tabs.
import { randomBytes } from 'node:crypto';
import { expect, type Locator, type Page } from '@playwright/test';
import type { InventoryPage } from './InventoryPage';

/** A fresh word to echo, so a test finds its own output and nothing older. */
export function marker(): string {
  return randomBytes(4).toString('hex');
}

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

  /** On a page with no tab yet: opens a shell on `instanceId` from the inventory; its tab's key. */
  async openFirstShell(inventory: InventoryPage, instanceId: string): Promise<string> {
    await inventory.waitForRows();
    await inventory.openByDoubleClick(instanceId);
    await this.waitUntilOpen();
    return this.tabKey(0);
  }

  /** Splits the tab shown (`tabKey`'s) with Ctrl+Shift+5; the new pane's key, once it is open. */
  async split(tabKey: string): Promise<string> {
    await this.pane(tabKey).click();
    await this.page.keyboard.press('Control+Shift+5');
    const panes = this.page.getByTestId('pane');
    await expect(panes).toHaveCount(2);
    const second = (await panes.nth(1).getAttribute('data-tab-key')) ?? '';
    await this.waitUntilOpen();
    return second;
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

  /** The confirmation Airlock shows before ending something live. */
  get confirmation(): Locator {
    return this.page.getByRole('alertdialog');
  }

  /** Clicks the tab's close button (a live session then asks first). */
  async requestClose(index: number): Promise<void> {
    // Hidden from the accessibility tree (a tab list holds only tabs), so found by test id.
    await this.tab(index).getByTestId('tab-close').click();
  }

  /** Closes a tab whose session is live: the close button, then the confirmation. */
  async closeTab(index: number): Promise<void> {
    await this.requestClose(index);
    await this.confirmation.getByRole('button', { name: 'Close tab and end session' }).click();
  }

  /** Ends the active tab's session through the status bar and its confirmation. */
  async endSession(): Promise<void> {
    await this.status.getByRole('button', { name: 'End session' }).click();
    await this.confirmation.getByRole('button', { name: 'End session' }).click();
  }

  /** Renames a tab from the keyboard: F2 on the tab, the new name, Enter. */
  async renameWithKeyboard(index: number, name: string): Promise<void> {
    await this.tab(index).getByRole('tab').focus();
    await this.page.keyboard.press('F2');
    const box = this.tab(index).getByRole('textbox', { name: 'Tab name' });
    await expect(box).toBeFocused();
    await box.fill(name);
    await this.page.keyboard.press('Enter');
    await expect(box).toHaveCount(0);
  }

  /** The frame around the active terminal. */
  get frame(): Locator {
    return this.page.getByTestId('terminal-frame');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
