import { useSyncExternalStore } from 'react';

/**
 * KaTeX, loaded on first use and not with the first view's code: the page paints and the Cell
 * explorer answers before the typesetter (about 260 KB of script) has arrived. Until then math
 * is shown as its source, set in the same place.
 */
type Katex = typeof import('katex').default;

let katex: Katex | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function load(): void {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([m]) => {
    katex = m.default;
    for (const l of listeners) l();
  });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  load();
  return () => listeners.delete(l);
}

/** KaTeX once it has loaded (null before), re-rendering the caller when it arrives. */
export function useKatex(): Katex | null {
  return useSyncExternalStore(
    subscribe,
    () => katex,
    () => null,
  );
}

/** Math as KaTeX HTML, or null while KaTeX is still on its way. */
export function renderTex(k: Katex | null, tex: string): string | null {
  return k ? k.renderToString(tex, { throwOnError: false, output: 'htmlAndMathml' }) : null;
}
