import { describe, expect, it } from 'vitest';
import en from './en.json';
import glossary from './glossary.json';
import ko from './ko.json';

/** Every string in a translation file, with its key path. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((v, k) => strings(v, `${path}[${k}]`));
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

describe('one term per concept (glossary.json)', () => {
  const check = (file: unknown, field: 'avoidEn' | 'avoidKo') => {
    const found: string[] = [];
    for (const term of glossary.terms as Record<string, unknown>[]) {
      for (const avoid of (term[field] as string[] | undefined) ?? []) {
        for (const [key, text] of strings(file)) {
          if (text.includes(avoid))
            found.push(`${key}: “${avoid}” (say “${term[field === 'avoidEn' ? 'en' : 'ko']}”)`);
        }
      }
    }
    return found;
  };
  it('ko.json uses the glossary’s Korean terms', () => expect(check(ko, 'avoidKo')).toEqual([]));
  it('en.json uses the glossary’s English terms', () => expect(check(en, 'avoidEn')).toEqual([]));
  it('every term has both languages and a definition in each', () => {
    for (const term of glossary.terms) {
      expect(term.en && term.ko && term.defEn && term.defKo, term.id).toBeTruthy();
    }
  });
});
