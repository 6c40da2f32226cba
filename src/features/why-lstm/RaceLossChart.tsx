import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Legend, Line, LineChart, ResponsiveContainer } from 'recharts';
import { KINDS } from '../../state/race';
import { CHART_MARGIN, LEGEND_STYLE } from '../../components/chartStyle';
import { chartGrid, useRaceChartParts } from './raceChartParts';

export const RACE_COLORS = { rnn: 'var(--chart-actual)', lstm: 'var(--chart-predicted)' } as const;

/** The RNN-vs-LSTM race's held-out loss curves; redrawn only when its (cadenced) data changes. */
export const RaceLossChart = memo(function RaceLossChart({
  data,
  chance,
}: {
  data: { step: number; rnn?: number; lstm?: number }[];
  chance: number;
}) {
  const { t } = useTranslation();
  const parts = useRaceChartParts(chance, 'step');
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={CHART_MARGIN}>
        {chartGrid}
        {parts.xAxis}
        {parts.lossAxis}
        {parts.tooltip}
        <Legend wrapperStyle={LEGEND_STYLE} />
        {parts.chanceLine}
        {KINDS.map((k) => (
          <Line
            key={k}
            name={t(`why.models.${k}`)}
            dataKey={k}
            stroke={RACE_COLORS[k]}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
});
