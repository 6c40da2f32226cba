import { startTransition, useEffect, useState } from 'react';

/**
 * KaTeX, loaded on first use and not with the first view's code: the page paints and the Cell
 * explorer answers before the typesetter (about 260 KB of script) has arrived. Until then math
 * is shown as its source, set in the same place.
 */
type Katex = typeof import('katex').default;

let katex: Katex | null = null;
let loading: Promise<Katex> | null = null;

/**
 * The two faces our formulas are set in. KaTeX declares its fonts `font-display: block`, and the
 * browser fetches a face only once text in it is laid out: typeset before they arrive, every
 * formula would be laid out three times (source, invisible glyphs, real glyphs) and the panels
 * below it would jump twice under the learner's pointer.
 */
const FACES = ['16px KaTeX_Main', 'italic 16px KaTeX_Math'];

function load(): Promise<Katex> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')])
    .then(async ([m]) => {
      // A face that fails to load must not keep the math back: KaTeX then falls back to serif.
      const fonts = typeof document === 'undefined' ? undefined : document.fonts;
      if (fonts?.load) await Promise.allSettled(FACES.map((face) => fonts.load(face)));
      return m;
    })
    .then((m) => {
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
