import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect } from 'vitest';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../cli/bin.mjs');

const tempDirs: string[] = [];
/** A fresh temporary folder, removed after the suite (the big-file test writes 60 MB). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-lab-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the `lstm-lab` command line as a user would; never throws. */
export async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 1 << 28 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** The command's JSON, after checking it exited 0 and wrote nothing to stderr. */
export async function cliJson(...args: string[]) {
  const r = await cli(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}
