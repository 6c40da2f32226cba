#!/usr/bin/env node
// Runs the end-to-end suite: checks for Debian's Chromium, builds the app, runs Playwright.
// Never downloads a browser: where Chromium is missing it says how to get it and stops.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chrome = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(chrome)) {
  console.error(
    `e2e: Chromium not found at ${chrome}.\n` +
      "  Install Debian's build:  apt-get install -y chromium\n" +
      '  or point CHROME_PATH at a Chromium/Chrome binary:  CHROME_PATH=/path/to/chrome npm test',
  );
  process.exit(1);
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: { ...process.env, CHROME_PATH: chrome },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!process.argv.includes('--no-build')) run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['playwright', 'test', ...process.argv.slice(2).filter((a) => a !== '--no-build')]);
