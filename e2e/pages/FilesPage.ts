// Page object for file transfers: dropping files from "the desktop" (a DataTransfer built in the
// page) on an element, the upload confirm dialog, and the transfers in the corner stack.
import type { Locator, Page } from '@playwright/test';

export interface DroppedFile {
  name: string;
  bytes: Buffer;
}

export class FilesPage {
  readonly page: Page;
  readonly transfers: Locator;

  constructor(page: Page) {
    this.page = page;
    this.transfers = page.getByTestId('transfer');
  }

  /** Drags `files` over `target` and drops them there, as a file manager would. */
  async drop(target: Locator, files: DroppedFile[]): Promise<void> {
    const payload = files.map((file) => ({
      name: file.name,
      base64: file.bytes.toString('base64'),
    }));
    // In the page (a string: this project has no DOM types): a DataTransfer holding the files.
    // Built in the page from a string (this project has no DOM types), the files inlined as base64.
    const dataTransfer = await this.page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      for (const file of ${JSON.stringify(payload)}) {
        const binary = atob(file.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        transfer.items.add(new File([bytes], file.name));
      }
      return transfer;
    })()`);
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
  }

  get uploadDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Upload to / });
  }

  /** Every progress text shown from now on, read back with `seenProgress`. */
  async recordProgress(): Promise<void> {
    await this.page.evaluate(`(() => {
      const seen = [];
      window.seenProgress = seen;
      new MutationObserver(() => {
        for (const element of document.querySelectorAll('[data-testid="transfer-progress"]')) {
          const text = element.textContent ?? '';
          if (seen.at(-1) !== text) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
  }

  async seenProgress(): Promise<string[]> {
    return this.page.evaluate<string[]>('window.seenProgress');
  }
}
