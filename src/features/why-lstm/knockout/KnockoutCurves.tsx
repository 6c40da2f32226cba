import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Line, LineChart, ResponsiveContainer } from 'recharts';
import { chanceLoss } from '../../../core/index';
import { CHART_MARGIN } from '../../../components/chartStyle';
import { chartGrid, useRaceChartParts } from '../raceChartParts';
import { raceJobs, runKey, useKnockout } from '../../../state/knockout';
import type { KnockoutJob } from '../../../worker/knockoutProtocol';
import { useCadence } from '../../../components/useCadence';
import { AfterPaint } from '../../../components/AfterPaint';
import { CONTESTANT_STYLE } from './contestantStyle';

/** Every run's held-out loss as it trains: one line per contestant and seed, seeds in one colour. */
export function KnockoutCurves() {
  const { t } = useTranslation();
  const spec = useKnockout((s) => s.spec);
  const runs = useKnockout((s) => s.runs);
  const jobs = useMemo(() => (spec ? raceJobs(spec) : []), [spec]);
  const data = useMemo(() => {
    const byStep = new Map<number, Record<string, number>>();
    for (const job of jobs) {
      const key = runKey(job);
      for (const p of runs[key]?.points ?? []) {
        const row = byStep.get(p.step) ?? { step: p.step };
        row[key] = p.loss;
        byStep.set(p.step, row);
      }
    }
    return [...byStep.values()].sort((a, b) => a.step - b.step);
  }, [jobs, runs]);
  const status = useKnockout((s) => s.status);
  // Redrawn at most twice a second while the race runs: 24 lines redrawn on every progress
  // message (two lanes, five a second each) made long frames.
  const shown = useCadence(data, 500, 0, status === 'running');
  const form = useKnockout((s) => s.settings);
  // Before a race the chart is already built (empty, on the form's settings), so Start only hands
  // it data: mounting 24 recharts lines on the click made a long frame.
  const settings = spec?.settings ?? form;
  const chance = chanceLoss(settings.task, settings.T);
  return (
    <figure
      className="chart"
      aria-label={t('why.knockout.curvesAria')}
      data-testid="knockout-curves"
    >
      {!spec && <p className="empty">{t('why.knockout.ready')}</p>}
      <AfterPaint name="knockout-curves" minHeight={260}>
        <CurvesChart data={shown} jobs={jobs} steps={settings.steps} chance={chance} />
      </AfterPaint>
      <ul className="contestant-legend">
        {(spec?.contestants ?? []).map((c) => (
          <li key={c}>
            <svg width="24" height="8" aria-hidden="true">
              <line
                x1="0"
                y1="4"
                x2="24"
                y2="4"
                stroke={CONTESTANT_STYLE[c].color}
                strokeDasharray={CONTESTANT_STYLE[c].dash}
                strokeWidth="3"
              />
            </svg>
            {t(`why.knockout.name.${c}`)}
          </li>
        ))}
      </ul>
      {spec && <figcaption>{t('why.knockout.curvesCaption', { seeds: spec.seeds })}</figcaption>}
    </figure>
  );
}

/** The curves themselves, redrawn only when their (cadenced) data changes. */
const CurvesChart = memo(function CurvesChart({
  data,
  jobs,
  steps,
  chance,
}: {
  data: Record<string, number>[];
  jobs: KnockoutJob[];
  steps: number;
  chance: number;
}) {
  const { t } = useTranslation();
  const parts = useRaceChartParts(chance, 'step', steps);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={CHART_MARGIN}>
        {chartGrid}
        {parts.xAxis}
        {parts.lossAxis}
        {parts.tooltip}
        {parts.chanceLine}
        {jobs.map((job) => (
          <Line
            key={runKey(job)}
            name={t('why.knockout.runName', {
              name: t(`why.knockout.name.${job.contestant}`),
              seed: job.seed,
            })}
            dataKey={runKey(job)}
            stroke={CONTESTANT_STYLE[job.contestant].color}
            strokeDasharray={CONTESTANT_STYLE[job.contestant].dash}
            strokeWidth={job.contestant === 'lstm' ? 2.5 : 1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
});
