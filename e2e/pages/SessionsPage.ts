// Page object for the sessions view: showing it, finding a session's row by its AWS id, Terminate
// (and the confirmation it asks for).
import { expect, type Locator, type Page } from '@playwright/test';

export class SessionsPage {
  readonly page: Page;
  readonly count: Locator;

  constructor(page: Page) {
    this.page = page;
    this.count = page.getByTestId('sessions-count');
  }

  async show(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: /Sessions/ })
      .click();
    await expect(this.count).toBeVisible();
  }

  async refresh(): Promise<void> {
    await this.page.getByRole('button', { name: 'Refresh' }).click();
  }

  row(awsSessionId: string): Locator {
    return this.page.locator(`[data-testid="session-row"][data-session-id="${awsSessionId}"]`);
  }

  /** Terminates one of the user's own sessions, answering the question it always asks. */
  async terminate(awsSessionId: string): Promise<void> {
    await this.row(awsSessionId)
      .getByRole('button', { name: /^Terminate session / })
      .click();
    const question = this.page.getByRole('alertdialog', { name: /^Terminate your session on / });
    await expect(question).toContainText(awsSessionId);
    await question.getByRole('button', { name: 'Terminate session', exact: true }).click();
    await expect(question).toHaveCount(0);
  }
}
