import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TrainView } from '../../state/digits';
import { LEGEND_STYLE, axisStyle, axisTitle, tooltipStyle } from '../../components/chartStyle';
import { formatFixed, formatNumber } from '../../components/format';

const MARGIN = { top: 8, right: 8, bottom: 16, left: 8 };
const SHARE: [number, number] = [0, 1];
const percent = (share: number) => `${formatFixed(100 * share, 1)}%`;
const percentTick = (share: number) => `${Math.round(100 * share)}%`;

/**
 * Loss and accuracy per epoch on two axes. Memoised on the history, which changes once an epoch:
 * the progress messages between (a dozen a second) leave it alone. Its axes are built once per
 * language, since recharts re-renders for every new prop object it is handed.
 */
export const DigitTrainingChart = memo(function DigitTrainingChart({
  history,
}: {
  history: TrainView['history'];
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The tooltip says what the status line says: the epoch in words, accuracy as a percentage.
  const tip = useMemo(
    () => ({
      label: (epoch: unknown) => t('stock.chart.epoch', { epoch }),
      value: (v: unknown, name: unknown, item: { dataKey?: unknown }) =>
        [
          item.dataKey === 'accuracy' ? percent(Number(v)) : formatNumber(Number(v), lang),
          name,
        ] as [string, string],
    }),
    [t, lang],
  );
  // The value axes draw the five ticks they compute (interval 0): recharts' default measures each
  // new label in the DOM to drop overlapping ones, a forced layout each, and five never overlap.
  const axes = useMemo(
    () => [
      <XAxis
        key="epoch"
        dataKey="epoch"
        tick={axisStyle}
        allowDecimals={false}
        label={{
          ...axisTitle,
          value: t('digits.train.epochAxis'),
          position: 'insideBottom',
          offset: -8,
        }}
      />,
      // Two scales on one chart: each axis is titled with the line it measures.
      <YAxis
        key="loss"
        yAxisId="loss"
        tick={axisStyle}
        interval={0}
        width={56}
        label={{
          ...axisTitle,
          value: t('digits.train.loss'),
          angle: -90,
          position: 'insideLeft',
        }}
      />,
      <YAxis
        key="acc"
        yAxisId="acc"
        orientation="right"
        domain={SHARE}
        tick={axisStyle}
        tickFormatter={percentTick}
        interval={0}
        width={56}
        label={{
          ...axisTitle,
          value: t('digits.train.acc'),
          angle: 90,
          position: 'insideRight',
        }}
      />,
    ],
    [t],
  );
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={history} margin={MARGIN}>
        <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
        {axes}
        <Tooltip {...tooltipStyle} labelFormatter={tip.label} formatter={tip.value} />
        {/* Above the plot: below it, the legend ran into the epoch axis's title. */}
        <Legend verticalAlign="top" wrapperStyle={LEGEND_STYLE} />
        <Line
          yAxisId="loss"
          name={t('digits.train.loss')}
          dataKey="loss"
          stroke="var(--chart-train)"
          strokeWidth={2}
          isAnimationActive={false}
        />
        <Line
          yAxisId="acc"
          name={t('digits.train.acc')}
          dataKey="accuracy"
          stroke="var(--chart-predicted)"
          strokeWidth={2}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
});
