// Page object for the forwards view: showing it, the create dialog, a forward's row and its stats,
// deleting it (with the confirmation it asks for).
import { expect, type Locator, type Page } from '@playwright/test';

export class ForwardsPage {
  readonly page: Page;
  readonly count: Locator;
  readonly dialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.count = page.getByTestId('forwards-count');
    this.dialog = page.getByRole('dialog');
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Forwards/ })
      .click();
    await expect(this.count).toBeVisible();
  }

  /**
   * Creates a forward to a port on the instance (automatic local port, 127.0.0.1), picking the
   * instance by searching for `instanceSearch`; creating also starts it.
   */
  async create(options: {
    name?: string;
    group?: string;
    instanceKey: string;
    instanceSearch?: string;
    remotePort: number;
    startOnLaunch?: boolean;
  }): Promise<void> {
    await this.page.getByRole('button', { name: 'New forward' }).click();
    await expect(this.dialog).toBeVisible();
    if (options.name !== undefined) {
      await this.dialog.getByLabel('Name (optional)', { exact: true }).fill(options.name);
    }
    if (options.group !== undefined) {
      await this.dialog.getByLabel('Group (optional)').fill(options.group);
    }
    await this.pickInstance(options.instanceKey, options.instanceSearch ?? '');
    await this.dialog.getByLabel('Remote port').fill(String(options.remotePort));
    await expect(this.dialog.getByLabel('Bind address')).toHaveValue('127.0.0.1');
    if (options.startOnLaunch === true) {
      await this.dialog.getByLabel('Start this forward whenever Airlock starts').check();
    }
    await this.dialog.getByRole('button', { name: 'Create and start' }).click();
    await expect(this.dialog).toHaveCount(0);
  }

  /** Creates (and so starts) a "SOCKS5 proxy through an instance" forward on an automatic port. */
  async createSocks(options: { name: string; instanceKey: string }): Promise<void> {
    await this.page.getByRole('button', { name: 'New forward' }).click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel('Name (optional)', { exact: true }).fill(options.name);
    await this.pickInstance(options.instanceKey, '');
    await this.dialog.getByLabel('SOCKS5 proxy through an instance').check();
    await expect(this.dialog.getByLabel('Remote port')).toHaveCount(0);
    await this.dialog.getByRole('button', { name: 'Create and start' }).click();
    await expect(this.dialog).toHaveCount(0);
  }

  /** The destinations table of a SOCKS forward. */
  destinations(name: string): Locator {
    return this.page.getByRole('region', { name: `Destinations of ${name}` });
  }

  /** Types into the instance picker and picks the match with this inventory key. */
  async pickInstance(key: string, search: string): Promise<void> {
    const picker = this.dialog.getByRole('combobox', { name: 'Instance' });
    await picker.click();
    await picker.fill(search);
    const option = this.dialog.locator(`[role="option"][data-instance-key="${key}"]`);
    await option.click();
    await expect(this.dialog.getByRole('listbox')).toHaveCount(0);
  }

  /** Deletes a forward, answering the question it asks; resolves once its row is gone. */
  async delete(name: string): Promise<void> {
    await this.row(name)
      .getByRole('button', { name: `Delete ${name}`, exact: true })
      .click();
    const question = this.page.getByRole('alertdialog', { name: `Delete the forward ${name}?` });
    await question.getByRole('button', { name: 'Delete forward', exact: true }).click();
    await expect(question).toHaveCount(0);
    await expect(this.row(name)).toHaveCount(0);
  }

  row(name: string): Locator {
    return this.page.getByTestId('forward-row').filter({ hasText: name });
  }

  /** The port of "localhost:PORT" shown while the forward listens. */
  async boundPort(name: string): Promise<number> {
    const address = this.row(name).getByTestId('forward-address');
    await expect(address).toHaveText(/^localhost:\d+$/);
    const text = (await address.textContent()) ?? '';
    return Number(text.split(':')[1]);
  }
}
