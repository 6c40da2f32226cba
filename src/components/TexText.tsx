import { useMemo } from 'react';
import { renderTex, useKatex } from './useKatex';

/**
 * A sentence with inline math between $…$ signs, the math typeset by KaTeX (as in the Cell
 * explorer), the words left as words. The text comes from our own translation files.
 */
export function TexText({ text }: { text: string }) {
  const katex = useKatex();
  const parts = useMemo(
    () =>
      text
        .split(/(\$[^$]+\$)/)
        .map((part) =>
          part.startsWith('$') && part.endsWith('$') && part.length > 2
            ? { math: renderTex(katex, part.slice(1, -1)) ?? '', tex: part.slice(1, -1) }
            : { words: part },
        ),
    [text, katex],
  );
  return (
    <>
      {parts.map((p, k) =>
        'math' in p ? (
          p.math ? (
            // KaTeX escapes what it renders; the input is our own formula.
            <span key={k} className="tex" dangerouslySetInnerHTML={{ __html: p.math }} />
          ) : (
            <span key={k} className="tex pending">
              {p.tex}
            </span>
          )
        ) : (
          <span key={k}>{p.words}</span>
        ),
      )}
    </>
  );
}
