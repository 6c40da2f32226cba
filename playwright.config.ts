import { defineConfig } from '@playwright/test';

import { CHROME_ARGS, CHROME_PATH } from './e2e/browser';

// Debian's Chromium, never a downloaded one (see README); e2e/run.mjs checks it exists.
const PORT = Number(process.env.E2E_PORT || 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: { executablePath: CHROME_PATH, args: CHROME_ARGS },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
