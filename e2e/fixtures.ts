import { test as base, expect } from '@playwright/test';
import { AppShell } from './pages/AppShell';

/**
 * Every test gets the app shell page object and fails if the page logged a console error or
 * threw an uncaught exception, so a broken screen can't pass silently.
 */
export const test = base.extend<{ shell: AppShell; consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
    await use(errors);
    expect(errors, 'console errors during the test').toEqual([]);
  },
  shell: async ({ page, consoleErrors }, use) => {
    void consoleErrors;
    await use(new AppShell(page));
  },
});

export { expect };
