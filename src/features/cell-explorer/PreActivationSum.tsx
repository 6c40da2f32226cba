import { useTranslation } from 'react-i18next';
import type { PreActivationSplit, TraceStep, WeightTerm } from '../../core/index';
import { formatFixed, formatValue } from '../../components/format';
import type { WeightNames } from './gateNames';

/** Terms written out past this many would not fit a line; the sum stays exact. */
const MAX_TERMS = 6;

/**
 * z = W_ih·x_t + W_hh·h_{t−1} + b_ih + b_hh for one gate and unit, with parts rounded so that
 * they add up to the z shown (the same z the equations put inside σ or tanh).
 */
export function PreActivationSum({
  split,
  parts,
  names,
  step,
}: {
  split: PreActivationSplit;
  parts: { parts: number[]; total: number };
  names: WeightNames;
  step: TraceStep;
}) {
  const { t } = useTranslation();
  const g = split.gate;
  const value = step[g][split.unit];
  const fn = g === 'g' ? 'tanh' : 'σ';
  const terms = (list: WeightTerm[]) =>
    list.length > MAX_TERMS
      ? t('explorer.weights.manyTerms', { n: list.length })
      : list.map((w) => `${formatFixed(w.weight, 3)} × ${formatFixed(w.value, 3)}`).join(' + ');
  const items = [
    {
      id: 'ih',
      label: `${names.ih}[${g}·${split.unit}] · x_t`,
      sub: terms(split.input),
    },
    { id: 'hh', label: `${names.hh}[${g}·${split.unit}] · h_{t−1}`, sub: terms(split.hidden) },
    { id: 'bih', label: `${names.bih}[${g}·${split.unit}]` },
    { id: 'bhh', label: `${names.bhh}[${g}·${split.unit}]` },
  ];
  return (
    <div className="pre-sum" data-testid="pre-sum" data-gate={g} data-unit={split.unit}>
      <p className="pre-sum-title">
        {t('explorer.weights.sumTitle', {
          gate: t(`explorer.gateNames.${g}`),
          g,
          unit: split.unit,
          t: step.t,
        })}
      </p>
      <ol className="pre-sum-parts">
        {items.map((it, k) => (
          <li key={it.id}>
            <span className="op" aria-hidden>
              {k === 0 ? '' : '+'}
            </span>
            <span className="part">
              <code className="part-name">{it.label}</code>
              <span className="part-value" data-testid={`split-${it.id}`}>
                {formatFixed(parts.parts[k], 3)}
              </span>
              {it.sub && <span className="part-terms muted">{it.sub}</span>}
            </span>
          </li>
        ))}
        <li className="pre-sum-total">
          <span className="op" aria-hidden>
            =
          </span>
          <span className="part">
            <code className="part-name">z</code>
            <span className="part-value" data-testid="split-z">
              {formatFixed(parts.total, 3)}
            </span>
            <span className="part-terms">
              {fn}({formatValue(split.z)}) = {g} = {formatValue(value)}
            </span>
          </span>
        </li>
      </ol>
    </div>
  );
}
