import { useTranslation } from 'react-i18next';
import type { Stage } from '../../state/explorer';

/**
 * The cell's forward pass as PyTorch code, in the order the diagram walks it, with the lines
 * of the current stage highlighted. Written for this app after the seed's hand-made LSTMCell.
 */
const LINES: { code: string; comment?: string; stage: Stage }[] = [
  { code: 'def forward(self, x, hidden):', stage: 0 },
  { code: '    hx, cx = hidden', stage: 0 },
  { code: '    gates = self.x2h(x) + self.h2h(hx)', comment: 'affine', stage: 0 },
  { code: '    i, f, g, o = gates.chunk(4, 1)', comment: 'order', stage: 0 },
  { code: '    f = torch.sigmoid(f)', comment: 'keep', stage: 1 },
  { code: '    i = torch.sigmoid(i)', comment: 'writeHow', stage: 2 },
  { code: '    g = torch.tanh(g)', comment: 'writeWhat', stage: 2 },
  { code: '    cy = cx * f + i * g', comment: 'memory', stage: 3 },
  { code: '    o = torch.sigmoid(o)', comment: 'showHow', stage: 4 },
  { code: '    hy = o * torch.tanh(cy)', comment: 'output', stage: 4 },
  { code: '    return hy, cy', stage: 0 },
];

/**
 * Code stays as it is; its comments speak the reader's language, each on its own line above
 * the statement, so none is cut at the panel's edge and a long one wraps.
 */
const indentOf = (code: string) => code.slice(0, code.length - code.trimStart().length);

export function CodePanel({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return (
    <figure className="code-panel">
      <figcaption>{t('explorer.code.caption')}</figcaption>
      <pre aria-label={t('explorer.code.aria')} tabIndex={0}>
        <code>
          {LINES.map((l, k) => (
            <span
              key={k}
              className="code-line"
              data-active={stage !== 0 && l.stage === stage ? 'true' : undefined}
            >
              {l.comment && (
                <span className="code-comment">
                  {`${indentOf(l.code)}# ${t(`explorer.code.comments.${l.comment}`)}\n`}
                </span>
              )}
              {l.code}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}
