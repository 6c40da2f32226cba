import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v
    .replace(/^v/, '')
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);
  return [a, b, c];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether a version satisfies an npm `engines` range (||, spaces as AND, >= > <= < = ^ ~ x). */
export function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alt) =>
    alt
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((part) => {
        const m = /^(>=|<=|>|<|=|\^|~)?\s*v?([\d.x*]+)$/.exec(part);
        if (!m) return part === '*';
        const op = m[1] ?? '=';
        const digits = m[2].split('.').filter((d) => d !== 'x' && d !== '*');
        const w = parse(digits.join('.'));
        const c = cmp(v, w);
        if (op === '>=') return c >= 0;
        if (op === '>') return c > 0;
        if (op === '<=') return c <= 0;
        if (op === '<') return c < 0;
        if (op === '^') return c >= 0 && v[0] === w[0] && (w[0] !== 0 || v[1] === w[1]);
        if (op === '~') return c >= 0 && v[0] === w[0] && v[1] === w[1];
        // '=' with fewer parts means "any version in that family" (20 = 20.x.x).
        return digits.every((d, k) => v[k] === Number(d));
      }),
  );
}

describe('npm install on the Node the README names prints no engine warning', () => {
  const oldest = /^>=\s*([\d.]+)$/.exec(pkg.engines.node)?.[1];

  it('package.json names its oldest Node as ">=X.Y"', () => expect(oldest).toBeTruthy());

  it('every installed package accepts that Node (no EBADENGINE)', () => {
    const refused = Object.entries(
      lock.packages as Record<
        string,
        { engines?: Record<string, string> | string[]; optional?: boolean }
      >,
    )
      .filter(([name, p]) => name && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !satisfies(oldest!, (p.engines as Record<string, string>).node))
      .map(
        ([name, p]) =>
          `${name.replace(/^.*node_modules\//, '')} wants node ${(p.engines as Record<string, string>).node}`,
      );
    expect(refused).toEqual([]);
  });

  it('reads engine ranges as npm does', () => {
    expect(satisfies('20.19.0', '>=22.12.0')).toBe(false);
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.19.0', '^12.22.0 || ^14.17.0 || >=16.0.0')).toBe(true);
    expect(satisfies('20.19.0', '>=18 <21')).toBe(true);
    expect(satisfies('20.19.0', '20.x')).toBe(true);
    expect(satisfies('20.19.0', '~20.18.0')).toBe(false);
  });
});
