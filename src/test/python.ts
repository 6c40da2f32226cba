import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's python3-torch, when this machine has it (CI need not). */
export const PYTHON = '/usr/bin/python3';
export const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy']).status === 0;
// CI installs python3-torch (.ci/run): there a missing torch is a failure, not a skip.
if (process.env.CI && !hasTorch) {
  throw new Error('CI: /usr/bin/python3 cannot import torch; .ci/run installs python3-torch');
}
// Elsewhere a skip says so, and why, instead of passing in silence.
if (!hasTorch) {
  console.warn(
    'SKIPPED: the PyTorch cross-checks (the exported script, the seed models on other shapes) need ' +
      '/usr/bin/python3 with torch and numpy: apt-get install python3-torch python3-numpy',
  );
}

/** Writes files into a fresh temp folder and runs `main` there with python; returns stdout. */
export function runPython(files: Record<string, string>, main: string, args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lstm-lab-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return execFileSync(PYTHON, [join(dir, main), ...args], { encoding: 'utf8', cwd: dir });
}
