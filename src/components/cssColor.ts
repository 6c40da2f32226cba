import { useSyncExternalStore } from 'react';

/**
 * Resolves `var(--name)` to the colour the current theme gives it, for canvas drawing (a canvas
 * cannot read CSS variables). Each name is read once per theme: getComputedStyle makes the
 * browser recalculate styles whenever the page has changed since the last frame, and the gate
 * heatmaps redraw on every training update, four panels and four colours at a time.
 */
export function createColorResolver(
  readVariable: (name: string) => string,
  currentTheme: () => string | undefined,
): (value: string) => string {
  const cache = new Map<string, string>();
  return (value) => {
    const m = /^var\((--[\w-]+)\)$/.exec(value);
    if (!m) return value;
    const key = `${currentTheme() ?? ''}|${m[1]}`;
    let colour = cache.get(key);
    if (colour === undefined) {
      colour = readVariable(m[1]).trim() || '#888';
      cache.set(key, colour);
    }
    return colour;
  };
}

/** The page's resolver: the theme is the data-theme attribute the shell sets on <html>. */
export const resolveColor = createColorResolver(
  (name) => getComputedStyle(document.documentElement).getPropertyValue(name),
  () => document.documentElement.dataset.theme,
);

function subscribeToTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/**
 * The theme the page shows now ('light' or 'dark'), for drawings that must be redone when it
 * changes. It follows the data-theme attribute itself, not the setting: the shell sets the
 * attribute after its children's effects have run, and "System" changes it with no setting
 * changing at all.
 */
export function useResolvedTheme(): string {
  return useSyncExternalStore(
    subscribeToTheme,
    () => document.documentElement.dataset.theme ?? 'light',
  );
}
