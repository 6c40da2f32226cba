import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { axisStyle, tooltipStyle } from '../../components/chartStyle';
import { formatNumber } from '../../components/format';

/**
 * The parts the Why-LSTM charts share (the RNN-vs-LSTM race, the knockout race, the gradient
 * flow): a log loss axis, a step tooltip, the dashed "learned nothing" line. recharts copies every
 * prop of these into its store and redraws when one is new, so a chart redrawn with new data must
 * hand it the same objects and functions as before: these are built once (per language) and
 * kept, not built again on every redraw.
 */
const FROM_ZERO: [number, string] = [0, 'dataMax'];

export const chartGrid = <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />;

/** A numeric x axis from 0 to the data's end (or to `end`). */
export const xAxisFromZero = (dataKey: string, end?: number) => (
  <XAxis
    dataKey={dataKey}
    type="number"
    domain={end === undefined ? FROM_ZERO : [0, end]}
    tick={axisStyle}
  />
);

const lossAxis = (num: (v: number) => string) => (
  <YAxis
    scale="log"
    tick={axisStyle}
    tickFormatter={num}
    width={56}
    domain={['auto', 'auto']}
    allowDataOverflow
  />
);

const stepTooltip = (t: TFunction, num: (v: number) => string) => (
  <Tooltip
    {...tooltipStyle}
    labelFormatter={(s) => t('why.race.stepLabel', { step: s })}
    formatter={(v, name) => [num(Number(v)), name]}
  />
);

const chanceLine = (t: TFunction, chance: number) => (
  <ReferenceLine
    y={chance}
    stroke="var(--text-muted)"
    strokeDasharray="4 4"
    ifOverflow="extendDomain"
    label={{
      value: t('why.race.chance'),
      fill: 'var(--text-muted)',
      fontSize: 12,
      position: 'insideBottomRight',
    }}
  />
);

/** The race charts' loss axis, tooltip and chance line, the same elements from one redraw to the next. */
export function useRaceChartParts(chance: number, xKey: string, xEnd?: number) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const common = useMemo(() => {
    const num = (v: number) => formatNumber(v, language, 3);
    return { lossAxis: lossAxis(num), tooltip: stepTooltip(t, num) };
  }, [t, language]);
  const line = useMemo(() => chanceLine(t, chance), [t, chance]);
  const xAxis = useMemo(() => xAxisFromZero(xKey, xEnd), [xKey, xEnd]);
  return { ...common, chanceLine: line, xAxis };
}
