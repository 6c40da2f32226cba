import { startTransition, useEffect, useState } from 'react';

/**
 * KaTeX, loaded on first use and not with the first view's code: the page paints and the Cell
 * explorer answers before the typesetter (about 260 KB of script) has arrived. Until then math
 * is shown as its source, set in the same place.
 */
type Katex = typeof import('katex').default;

let katex: Katex | null = null;
let loading: Promise<Katex> | null = null;

function load(): Promise<Katex> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => {
    katex = m.default;
    return katex;
  });
  return loading;
}

/**
 * KaTeX once it has loaded (null before). Its arrival re-renders the formulas as a transition,
 * one component at a time with the browser free in between (typesetting them all in one task
 * took 100–120 ms on a phone-class CPU).
 */
export function useKatex(): Katex | null {
  const [k, setK] = useState<Katex | null>(katex);
  useEffect(() => {
    if (k) return;
    let live = true;
    void load().then((m) => live && startTransition(() => setK(m)));
    return () => {
      live = false;
    };
  }, [k]);
  return k;
}

/** Math as KaTeX HTML, or null while KaTeX is still on its way. */
export function renderTex(k: Katex | null, tex: string): string | null {
  return k ? k.renderToString(tex, { throwOnError: false, output: 'htmlAndMathml' }) : null;
}
