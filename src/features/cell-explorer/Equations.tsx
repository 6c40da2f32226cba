import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceStep } from '../../core/index';
import { gateColor, type GateName } from '../../components/GatePalette';
import type { Stage } from '../../state/explorer';
import { formatFixed, formatShare, formatValue } from '../../components/format';
import { renderTex, useKatex } from '../../components/useKatex';

/** A number as every view shows it (formatValue), for TeX and for the sentences. */
const n = formatValue;
const paren = (v: number) => (v < 0 ? `(${n(v)})` : n(v));

function Tex({ tex }: { tex: string }) {
  const katex = useKatex();
  // KaTeX escapes what it renders; the only inputs are our own formulas and numbers.
  const html = useMemo(() => renderTex(katex, tex), [katex, tex]);
  return html === null ? (
    <span className="tex pending">{tex}</span>
  ) : (
    <span className="tex" dangerouslySetInnerHTML={{ __html: html }} />
  );
}

interface Line {
  gate: GateName;
  stage: Exclude<Stage, 0>;
  tex: string;
  plain: string;
}

/**
 * The step's equations for one unit with its live numbers substituted, each with a one-line
 * reading in plain words; the lines of the current stage stand out.
 */
export function Equations({ step, unit, stage }: { step: TraceStep; unit: number; stage: Stage }) {
  const { t } = useTranslation();
  const u = unit;
  const [f, i, g, o, c, h] = [step.f[u], step.i[u], step.g[u], step.o[u], step.c[u], step.h[u]];
  const cPrev = step.cPrev[u];
  const W = (k: string) => `W_${k}\\cdot[h_{t-1}, x_t] + b_${k}`;
  // Four decimals of everything, for a hover.
  const exact = (
    [
      ['f', f],
      ['i', i],
      ['g', g],
      ['c_{t−1}', cPrev],
      ['c', c],
      ['o', o],
      ['h', h],
    ] as const
  )
    .map(([k, v]) => `${k.replace('_{t−1}', '(t−1)')} = ${formatFixed(v, 4)}`)
    .join(', ');
  const lines: Line[] = [
    {
      gate: 'forget',
      stage: 1,
      tex: `f_t = \\sigma(${W('f')}) = \\sigma(${n(step.pre.f[u])}) = ${n(f)}`,
      plain: t(f >= 0.5 ? 'explorer.plain.forgetKeep' : 'explorer.plain.forgetErase', {
        f: n(f),
        pct: formatShare(f),
        erase: formatShare(1 - f),
      }),
    },
    {
      gate: 'input',
      stage: 2,
      tex: `i_t = \\sigma(${W('i')}) = \\sigma(${n(step.pre.i[u])}) = ${n(i)}`,
      plain: t('explorer.plain.input', { i: n(i), pct: formatShare(i) }),
    },
    {
      gate: 'candidate',
      stage: 2,
      tex: `g_t = \\tanh(${W('g')}) = \\tanh(${n(step.pre.g[u])}) = ${n(g)}`,
      plain: t('explorer.plain.candidate', { g: n(g) }),
    },
    {
      gate: 'cell',
      stage: 3,
      tex: `c_t = f_t \\odot c_{t-1} + i_t \\odot g_t = ${n(f)}\\cdot${paren(cPrev)} + ${n(i)}\\cdot${paren(g)} = ${n(c)}`,
      plain: t('explorer.plain.cell', { kept: n(f * cPrev), written: n(i * g), c: n(c) }),
    },
    {
      gate: 'output',
      stage: 4,
      tex: `o_t = \\sigma(${W('o')}) = \\sigma(${n(step.pre.o[u])}) = ${n(o)}`,
      plain: t('explorer.plain.output', { o: n(o), pct: formatShare(o) }),
    },
    {
      gate: 'hidden',
      stage: 4,
      tex: `h_t = o_t \\odot \\tanh(c_t) = ${n(o)}\\cdot\\tanh(${n(c)}) = ${n(h)}`,
      plain: t('explorer.plain.hidden', { h: n(h), tc: n(Math.tanh(c)) }),
    },
  ];
  return (
    <ol className="equations" aria-label={t('explorer.equations.aria', { t: step.t, unit: u })}>
      {lines.map((l) => (
        <li
          key={l.gate}
          title={exact}
          data-state={stage === 0 ? 'shown' : stage === l.stage ? 'active' : 'dim'}
          style={{ borderLeftColor: gateColor(l.gate) }}
        >
          <Tex tex={l.tex} />
          <p className="plain" data-testid={`plain-${l.gate}`}>
            {l.plain}
          </p>
        </li>
      ))}
    </ol>
  );
}
