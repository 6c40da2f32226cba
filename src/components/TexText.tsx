import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

/**
 * A sentence with inline math between $…$ signs, the math typeset by KaTeX (as in the Cell
 * explorer), the words left as words. The text comes from our own translation files.
 */
export function TexText({ text }: { text: string }) {
  const parts = useMemo(
    () =>
      text.split(/(\$[^$]+\$)/).map((part) =>
        part.startsWith('$') && part.endsWith('$') && part.length > 2
          ? {
              math: katex.renderToString(part.slice(1, -1), {
                throwOnError: false,
                output: 'htmlAndMathml',
              }),
            }
          : { words: part },
      ),
    [text],
  );
  return (
    <>
      {parts.map((p, k) =>
        'math' in p ? (
          // KaTeX escapes what it renders; the input is our own formula.
          <span key={k} className="tex" dangerouslySetInnerHTML={{ __html: p.math! }} />
        ) : (
          <span key={k}>{p.words}</span>
        ),
      )}
    </>
  );
}
