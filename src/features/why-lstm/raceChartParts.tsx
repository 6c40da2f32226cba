import type { TFunction } from 'i18next';
import { ReferenceLine, Tooltip, YAxis } from 'recharts';
import { axisStyle, tooltipStyle } from '../../components/chartStyle';

/**
 * The parts both race charts share (the RNN-vs-LSTM race and the knockout race): a log loss
 * axis, a step tooltip and the dashed "learned nothing" line. Functions returning recharts
 * elements, since recharts reads its children's types directly.
 */
export const lossAxis = (num: (v: number) => string) => (
  <YAxis
    scale="log"
    tick={axisStyle}
    tickFormatter={num}
    width={56}
    domain={['auto', 'auto']}
    allowDataOverflow
  />
);

export const stepTooltip = (t: TFunction, num: (v: number) => string) => (
  <Tooltip
    {...tooltipStyle}
    labelFormatter={(s) => t('why.race.stepLabel', { step: s })}
    formatter={(v, name) => [num(Number(v)), name]}
  />
);

export const chanceLine = (t: TFunction, chance: number) => (
  <ReferenceLine
    y={chance}
    stroke="var(--text-muted)"
    strokeDasharray="4 4"
    label={{
      value: t('why.race.chance'),
      fill: 'var(--text-muted)',
      fontSize: 12,
      position: 'insideTopRight',
    }}
  />
);
