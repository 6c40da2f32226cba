import { useTranslation } from 'react-i18next';
import type { Stage } from '../../state/explorer';

/**
 * The cell's forward pass as PyTorch code, in the order the diagram walks it, with the lines
 * of the current stage highlighted. Written for this app after the seed's hand-made LSTMCell.
 */
const LINES: { code: string; stage: Stage }[] = [
  { code: 'def forward(self, x, hidden):', stage: 0 },
  { code: '    hx, cx = hidden', stage: 0 },
  { code: '    gates = self.x2h(x) + self.h2h(hx)  # W·[h, x] + b', stage: 0 },
  { code: '    i, f, g, o = gates.chunk(4, 1)      # order i, f, g, o', stage: 0 },
  { code: '    f = torch.sigmoid(f)                # 1 keep how much', stage: 1 },
  { code: '    i = torch.sigmoid(i)                # 2 write how much', stage: 2 },
  { code: '    g = torch.tanh(g)                   # 2 write what', stage: 2 },
  { code: '    cy = cx * f + i * g                 # 3 new memory', stage: 3 },
  { code: '    o = torch.sigmoid(o)                # 4 show how much', stage: 4 },
  { code: '    hy = o * torch.tanh(cy)             # 4 new output', stage: 4 },
  { code: '    return hy, cy', stage: 0 },
];

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
              {l.code}
              {'\n'}
            </span>
          ))}
        </code>
      </pre>
    </figure>
  );
}
