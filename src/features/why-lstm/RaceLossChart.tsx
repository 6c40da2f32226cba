import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis } from 'recharts';
import { axisStyle } from '../../components/chartStyle';
import { formatNumber } from '../../components/format';
import { KINDS } from '../../state/race';
import { chanceLine, lossAxis, stepTooltip } from './raceChartParts';

export const RACE_COLORS = { rnn: 'var(--chart-actual)', lstm: 'var(--chart-predicted)' } as const;

/** The RNN-vs-LSTM race's held-out loss curves; redrawn only when its (cadenced) data changes. */
export const RaceLossChart = memo(function RaceLossChart({
  data,
  chance,
}: {
  data: { step: number; rnn?: number; lstm?: number }[];
  chance: number;
}) {
  const { t, i18n } = useTranslation();
  const num = (v: number) => formatNumber(v, i18n.language, 3);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="var(--chart-grid)" strokeDasharray="3 3" />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} tick={axisStyle} />
        {lossAxis(num)}
        {stepTooltip(t, num)}
        <Legend wrapperStyle={{ fontSize: 13 }} />
        {chanceLine(t, chance)}
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
