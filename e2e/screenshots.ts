// Takes screenshots of every view (1280×800 and 1920×1080, light and dark) into e2e/.tmp/
// so a developer can look at what users see: `npx tsx e2e/screenshots.ts` after `vite build`.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROME_ARGS, CHROME_PATH } from './browser';

const PORT = 4179;
const out = new URL('./.tmp/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const server = spawn(
  'npx',
  ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
  {
    stdio: 'ignore',
  },
);
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROME_ARGS });
const views = (process.env.VIEWS || 'explorer,stock,digits,why').split(',');
const sizes = (process.env.SIZES || '1280x800').split(',');
const schemes = (process.env.SCHEMES || 'light,dark').split(',');
const lang = process.env.LANG_CODE || 'en';
try {
  for (const size of sizes) {
    const [width, height] = size.split('x').map(Number);
    for (const colorScheme of schemes) {
      const page = await browser.newPage({
        viewport: { width, height },
        colorScheme: colorScheme as 'light' | 'dark',
      });
      for (const view of views) {
        await page.goto(`http://127.0.0.1:${PORT}/?lang=${lang}#/${view}`);
        await page.waitForTimeout(Number(process.env.WAIT_MS || 600));
        const file = `${out}${view}-${size}-${colorScheme}-${lang}.png`;
        await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
        console.log(file);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.kill();
}
