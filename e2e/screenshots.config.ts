// Playwright configuration for the README screenshots (`npm run screenshots`): the e2e settings,
// run over e2e/screenshots instead of the specs.
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({ ...base, testDir: './screenshots' });
