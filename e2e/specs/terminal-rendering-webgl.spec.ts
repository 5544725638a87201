// Underscores show in the terminal at 100 % scale with the WebGL renderer, in a Chromium that keeps
// the WebGL the rest of the suite turns off; skipped, saying why, where there is no WebGL 2.
import { test } from '../fixtures/airlock';
import { underscoreTests } from '../pages/underscores';
import config from '../playwright.config';

const launchOptions = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...launchOptions,
    args: (launchOptions.args ?? []).filter((arg) => arg !== '--disable-webgl'),
  },
});

test.beforeEach(async ({ app }) => {
  const hasWebgl = await app.evaluate<boolean>(
    "document.createElement('canvas').getContext('webgl2') !== null",
  );
  test.skip(!hasWebgl, 'this Chromium has no WebGL 2');
});

underscoreTests('webgl');
