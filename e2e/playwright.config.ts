import { defineConfig } from '@playwright/test';

// Tests run against the whole system behind the nginx edge (scripts/test.sh starts it).
export default defineConfig({
  testDir: './tests',
  workers: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: process.env.ASTRO_EDGE_URL ?? 'http://127.0.0.1:8080',
    launchOptions: {
      // Debian's Chromium; Playwright's own browser download is not used.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
