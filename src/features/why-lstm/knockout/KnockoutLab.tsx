import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { CONTESTANTS, type MemoryTask } from '../../../core/index';
import {
  estimateSeconds,
  raceJobs,
  runKey,
  secondsLeft,
  useKnockout,
} from '../../../state/knockout';
import { formatDuration } from '../../../components/format';
import { CONTESTANT_STYLE } from './contestantStyle';
import { KnockoutCurves } from './KnockoutCurves';
import { KnockoutResults } from './KnockoutResults';
import { KnockoutGates } from './KnockoutGates';
import './knockout.css';

/** The default race is meant to end within this many seconds; longer settings say so first. */
const DEFAULT_BUDGET_S = 120;

/**
 * The gate lab: knock one part out of the LSTM and race the variants (Greff et al. 2017) on a
 * memory task, over several seeds, then see what each gate learned.
 */
export function KnockoutLab() {
  const { t, i18n } = useTranslation();
  const k = useKnockout(
    useShallow((s) => ({
      settings: s.settings,
      contestants: s.contestants,
      seeds: s.seeds,
      status: s.status,
      spec: s.spec,
      runs: s.runs,
      startedAt: s.startedAt,
      updatedAt: s.updatedAt,
      estimated: s.estimated,
      pace: s.pace,
      lanes: s.lanes,
      error: s.error,
      setSettings: s.setSettings,
      toggleContestant: s.toggleContestant,
      setSeeds: s.setSeeds,
      start: s.start,
      stop: s.stop,
    })),
  );
  const running = k.status === 'running';
  const form = { settings: k.settings, contestants: k.contestants, seeds: k.seeds };
  const estimate = estimateSeconds(form, k.lanes, k.pace);
  const total = k.spec ? raceJobs(k.spec).length : 0;
  const finished = k.spec
    ? raceJobs(k.spec).filter((j) => k.runs[runKey(j)]?.final != null).length
    : 0;
  // A run that failed (a loss that became NaN, say) is named; its row leaves that seed out.
  const failed = Object.values(k.runs).filter((r) => r.error);
  const dur = (s: number) => formatDuration(s, i18n.language);
  return (
    <section className="card knockout" aria-labelledby="knockout-title" data-testid="knockout">
      <h3 id="knockout-title">{t('why.knockout.title')}</h3>
      <p className="hint">{t('why.knockout.about')}</p>
      <fieldset className="knockout-form" disabled={running}>
        <div className="segmented" role="group" aria-label={t('why.race.task')}>
          {(['count', 'adding', 'first'] as MemoryTask[]).map((task) => (
            <button
              key={task}
              type="button"
              aria-pressed={k.settings.task === task}
              onClick={() => k.setSettings({ task })}
            >
              {t(`why.tasks.${task}.name`)}
            </button>
          ))}
        </div>
        <p className="hint">{t(`why.tasks.${k.settings.task}.about`)}</p>
        <div className="contestant-picks" role="group" aria-label={t('why.knockout.contestants')}>
          {CONTESTANTS.map((c) => (
            <label key={c} className="chip contestant-pick">
              <input
                type="checkbox"
                checked={k.contestants.includes(c)}
                onChange={() => k.toggleContestant(c)}
                data-contestant={c}
              />
              <span
                className="swatch"
                style={{ background: CONTESTANT_STYLE[c].color }}
                aria-hidden="true"
              />
              {t(`why.knockout.name.${c}`)}
            </label>
          ))}
        </div>
        <div className="toolbar">
          <label className="field wide length">
            <span>{t('why.race.length', { T: k.settings.T })}</span>
            <input
              type="range"
              min={10}
              max={100}
              step={5}
              value={k.settings.T}
              onChange={(e) => k.setSettings({ T: e.target.valueAsNumber })}
              data-testid="knockout-length"
            />
          </label>
          <label className="inline-field">
            {t('why.knockout.seeds')}
            <input
              type="number"
              min={1}
              max={5}
              value={k.seeds}
              className="narrow"
              onChange={(e) => {
                const v = e.target.valueAsNumber;
                if (Number.isInteger(v)) k.setSeeds(v);
              }}
              data-testid="knockout-seeds"
            />
          </label>
          <label className="inline-field">
            {t('why.knockout.steps')}
            <select
              value={k.settings.steps}
              onChange={(e) => k.setSettings({ steps: Number(e.target.value) })}
              data-testid="knockout-steps"
            >
              {[100, 200, 400, 800, 1600].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <div className="toolbar">
        {running ? (
          <button type="button" className="button" onClick={k.stop}>
            {t('why.race.stop')}
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={k.start}
            disabled={k.contestants.length === 0}
            data-testid="knockout-start"
          >
            {t('why.knockout.start')}
          </button>
        )}
        {!running && (
          <p
            className={estimate > DEFAULT_BUDGET_S ? 'estimate long' : 'estimate'}
            data-testid="knockout-estimate"
            data-seconds={Math.round(estimate)}
          >
            {k.contestants.length === 0
              ? t('why.knockout.pickOne')
              : t(
                  estimate > DEFAULT_BUDGET_S
                    ? 'why.knockout.estimateLong'
                    : 'why.knockout.estimate',
                  {
                    time: dur(estimate),
                    runs: k.contestants.length * k.seeds,
                    lanes: k.lanes,
                    H: k.settings.hiddenSize,
                  },
                )}
          </p>
        )}
      </div>
      {k.spec && (
        <div className="knockout-progress">
          <progress max={total} value={finished} aria-label={t('why.knockout.progressAria')} />
          <p
            className="run-status"
            data-testid="knockout-status"
            data-status={k.status}
            data-finished={finished}
            data-total={total}
          >
            {t(
              `why.knockout.status.${k.status === 'done' && failed.length > 0 ? 'doneWithFailures' : k.status}`,
              {
                done: finished,
                total,
                left: dur(secondsLeft(k)),
                failed: failed.length,
              },
            )}
          </p>
        </div>
      )}
      {k.error && (
        <div className="alert" role="alert">
          {k.error}
        </div>
      )}
      {failed.length > 0 && (
        <div className="alert" role="alert" data-testid="knockout-failed">
          {failed.map((r) => (
            <p key={runKey(r)}>
              {t('why.knockout.failed', {
                name: t(`why.knockout.name.${r.contestant}`),
                seed: r.seed,
                message: r.error,
              })}
            </p>
          ))}
        </div>
      )}
      <KnockoutCurves />
      <KnockoutResults />
      <KnockoutGates />
    </section>
  );
}
