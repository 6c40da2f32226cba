import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contestant } from '../../../core/index';
import { SaturationPlot } from '../../../components/SaturationPlot';
import { openInExplorer } from '../../../state/explorer';
import { useKnockout, type KnockoutRunState } from '../../../state/knockout';
import { FIXED_GATES } from './contestantStyle';

/** What each gate learned in a finished run of the race (the first finished seed of a contestant). */
export function KnockoutGates() {
  const { t } = useTranslation();
  const spec = useKnockout((s) => s.spec);
  const runs = useKnockout((s) => s.runs);
  const [picked, setPicked] = useState<Contestant>('lstm');
  if (!spec) return null;
  const firstDone = new Map<Contestant, KnockoutRunState>();
  for (const r of Object.values(runs).sort((a, b) => a.seed - b.seed))
    if (r.saturation && !firstDone.has(r.contestant)) firstDone.set(r.contestant, r);
  if (firstDone.size === 0) return null;
  const choice = firstDone.has(picked) ? picked : [...firstDone.keys()][0];
  const run = firstDone.get(choice)!;
  const explorer = run.explorer;
  const name = t(`why.knockout.name.${choice}`);
  return (
    <div className="knockout-gates" data-testid="knockout-gates">
      <h4>{t('saturation.title')}</h4>
      <p className="hint">{t('saturation.about')}</p>
      <label className="inline-field">
        {t('why.knockout.gatesOf')}
        <select
          value={choice}
          onChange={(e) => setPicked(e.target.value as Contestant)}
          data-testid="knockout-gates-pick"
        >
          {spec.contestants
            .filter((c) => firstDone.has(c))
            .map((c) => (
              <option key={c} value={c}>
                {t('why.knockout.runName', {
                  name: t(`why.knockout.name.${c}`),
                  seed: firstDone.get(c)!.seed,
                })}
              </option>
            ))}
        </select>
      </label>
      <SaturationPlot
        saturation={run.saturation!}
        fixed={FIXED_GATES[choice]}
        testId="knockout-saturation"
        pickNote={explorer ? t('saturation.pickOpens') : t('why.knockout.noExplorer', { name })}
        onPick={
          explorer
            ? (unit) =>
                openInExplorer(
                  {
                    kind: 'race',
                    label: t('why.knockout.explorerLabel', {
                      task: t(`why.tasks.${spec.settings.task}.name`),
                      seed: run.seed,
                      steps: spec.settings.steps,
                    }),
                    stateDict: explorer.stateDict,
                    input: explorer.input,
                    featureNames: t(`why.tasks.${spec.settings.task}.features`, {
                      returnObjects: true,
                    }) as string[],
                  },
                  { unit },
                )
            : undefined
        }
      />
    </div>
  );
}
