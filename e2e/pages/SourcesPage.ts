// Page object for the sources view: one table row per AWS profile with its checkbox (listed or not),
// status, regions and actions, the region picker dialog and the MFA dialog. Everything is found by
// the accessible names the UI contract fixes ("Profile NAME", "Regions for NAME", …).
import { expect, type Locator, type Page } from '@playwright/test';

export class SourcesPage {
  readonly page: Page;
  readonly view: Locator;
  readonly heading: Locator;
  readonly reloadButton: Locator;

  constructor(page: Page) {
    this.page = page;
    this.view = page.getByRole('region', { name: 'Sources' });
    this.heading = this.view.getByRole('heading', { name: 'Sources' });
    this.reloadButton = this.view.getByRole('button', { name: 'Reload files' });
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Sources/ })
      .click();
    await expect(this.heading).toBeVisible();
  }

  /** The row of one profile in the profiles table. */
  profile(name: string): Locator {
    return this.view.getByRole('row', { name: `Profile ${name}`, exact: true });
  }

  /** The status line: "Not checked yet", "Ready" (until HH:MM) or what went wrong. */
  status(name: string): Locator {
    return this.profile(name).getByTestId('source-status');
  }

  /** Ticked when the inventory lists the profile. */
  checkbox(name: string): Locator {
    return this.profile(name).getByRole('checkbox', { name, exact: true });
  }

  /**
   * Lists (or stops listing) a profile and waits until main has confirmed it: the checkbox follows
   * main's state, not the click.
   */
  async choose(name: string, selected = true): Promise<void> {
    const checkbox = this.checkbox(name);
    await expect(checkbox).toBeEnabled();
    if ((await checkbox.isChecked()) !== selected) await checkbox.click();
    await expect(checkbox).toBeChecked({ checked: selected });
    await expect(checkbox).toBeEnabled();
  }

  regionsButton(name: string): Locator {
    return this.profile(name).getByRole('button', { name: `Regions for ${name}`, exact: true });
  }

  regionsDialog(name: string): Locator {
    return this.page.getByRole('dialog', { name: `Regions for ${name}`, exact: true });
  }

  /**
   * Opens the region picker of a profile, ticks exactly `regions` (waiting for the account's list
   * to arrive for regions not shown yet) and applies; resolves once the dialog has closed.
   */
  async setRegions(name: string, regions: readonly string[]): Promise<void> {
    await this.regionsButton(name).click();
    const dialog = this.regionsDialog(name);
    await expect(dialog).toBeVisible();
    for (const region of regions) {
      await dialog.getByRole('checkbox', { name: region, exact: true }).check();
    }
    // Untick whatever else is ticked (the profile's earlier regions), found by name each time.
    const shown = (
      await dialog.locator('label', { has: this.page.getByRole('checkbox') }).allInnerTexts()
    ).map((text) => text.trim());
    for (const region of shown) {
      if (region !== '' && !regions.includes(region)) {
        await dialog.getByRole('checkbox', { name: region, exact: true }).uncheck();
      }
    }
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(dialog).toBeHidden();
  }

  mfaButton(name: string): Locator {
    return this.profile(name).getByRole('button', {
      name: `Enter MFA code for ${name}`,
      exact: true,
    });
  }

  checkButton(name: string): Locator {
    return this.profile(name).getByRole('button', { name: `Check ${name}`, exact: true });
  }

  mfaDialog(name: string): Locator {
    return this.page.getByRole('dialog', { name: `MFA code for ${name}`, exact: true });
  }

  /** Types a code into the open MFA dialog and confirms it; resolves once the dialog has closed. */
  async answerMfa(name: string, code: string): Promise<void> {
    await this.typeMfa(name, code);
    await expect(this.mfaDialog(name)).toBeHidden();
  }

  /** Types a code into the open MFA dialog and confirms it, leaving the dialog's fate to the caller. */
  async typeMfa(name: string, code: string): Promise<void> {
    const dialog = this.mfaDialog(name);
    await expect(dialog).toBeVisible();
    await dialog.getByRole('textbox', { name: 'MFA code', exact: true }).fill(code);
    await dialog.getByRole('button', { name: 'Confirm', exact: true }).click();
  }
}
