import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { toNested } from '../../core/index';
import { GateHeatmap, type GateStep } from '../../components/GateHeatmap';
import { gateColor } from '../../components/GatePalette';
import { useDigits } from '../../state/digits';
import { withoutTraining } from '../../state/digitsShares';
import { openInExplorer } from '../../state/explorer';
import { paramsToStateDict } from '../../core/index';
import { formatFixed, formatProbability } from '../../components/format';

const ROW_MS = 180;

/** The class probabilities after the current row, as ten bars; the leader stands out. */
function ProbabilityBars({ probs, updates }: { probs: number[]; updates: number }) {
  const { t } = useTranslation();
  const best = probs.indexOf(Math.max(...probs));
  return (
    <div
      className="prob-bars"
      role="img"
      aria-label={t('digits.read.barsAria', { best, p: formatProbability(probs[best]) })}
      data-testid="prob-bars"
      data-updates={updates}
      data-best={best}
    >
      {probs.map((p, d) => (
        <div key={d} className="prob" data-best={d === best ? 'true' : undefined}>
          <div className="bar-track">
            <div className="bar" style={{ height: `${Math.max(1, p * 100)}%` }} />
          </div>
          <span className="digit-label">{d}</span>
          <span className="pct">{Math.round(p * 100)}</span>
        </div>
      ))}
    </div>
  );
}

export function ReadPanel() {
  const { t } = useTranslation();
  const s = useDigits(useShallow(withoutTraining));
  const reading = s.reading;
  const row = s.row;

  // Play: one row per tick until the last.
  useEffect(() => {
    if (!s.playing) return;
    if (row >= 27) {
      s.setPlaying(false);
      return;
    }
    const timer = setTimeout(() => s.setRow(row + 1), ROW_MS);
    return () => clearTimeout(timer);
  }, [s.playing, row, s]);

  const probs = reading?.probs[row];
  // Rows not read yet stay blank, so the picture fills in from left to right.
  const steps = useMemo<GateStep[]>(() => {
    if (!reading) return [];
    const blank = reading.rows[0].h.map(() => 0);
    const empty = { i: blank, f: blank, g: blank, o: blank, c: blank, h: blank };
    return reading.rows.map((r, t) => (t <= row ? r : empty));
  }, [reading, row]);
  if (!reading || !probs) return <p className="empty">{t('digits.read.empty')}</p>;
  const best = probs.indexOf(Math.max(...probs));
  const u = Math.min(s.unit, reading.rows[0].h.length - 1);
  const cur = reading.rows[row];
  // Nothing but blank rows read so far: the output is the network's guess from no ink at all.
  const blankSoFar = !s.image.subarray(0, (row + 1) * 28).some((v) => v > 0);
  return (
    <div className="read-panel">
      <div className="toolbar">
        <button
          type="button"
          className="button"
          onClick={() => s.setRow(row - 1)}
          disabled={row === 0}
        >
          ← {t('digits.read.prev')}
        </button>
        <button type="button" className="button" onClick={() => s.setPlaying(!s.playing)}>
          {s.playing ? t('explorer.player.pause') : t('explorer.player.play')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => s.setRow(row + 1)}
          disabled={row === 27}
        >
          {t('digits.read.next')} →
        </button>
        <label className="field wide">
          <span data-testid="read-row">{t('digits.read.row', { row })}</span>
          <input
            type="range"
            min={0}
            max={27}
            value={row}
            onChange={(e) => s.setRow(e.target.valueAsNumber)}
            aria-label={t('digits.read.scrub')}
          />
        </label>
      </div>
      <p className="guess" data-testid="guess" data-blank={blankSoFar ? 'true' : undefined}>
        {t(
          blankSoFar ? 'digits.read.blank' : row === 27 ? 'digits.read.final' : 'digits.read.guess',
          { row, best, p: formatProbability(probs[best]) },
        )}
      </p>
      <ProbabilityBars probs={probs} updates={s.rowsShown} />
      <h4>{t('digits.read.statesTitle')}</h4>
      <p className="hint">{t('digits.read.statesHint')}</p>
      <GateHeatmap
        steps={steps}
        activeStep={row}
        onPick={(_, unit) => s.setUnit(unit)}
        gates={['cell', 'hidden']}
      />
      <h4>{t('digits.read.unitTitle', { unit: u, row })}</h4>
      <div className="unit-gates">
        {(['i', 'f', 'g', 'o', 'c', 'h'] as const).map((k) => (
          <span
            key={k}
            className="unit-gate"
            style={{
              borderColor: gateColor(
                (
                  {
                    i: 'input',
                    f: 'forget',
                    g: 'candidate',
                    o: 'output',
                    c: 'cell',
                    h: 'hidden',
                  } as const
                )[k],
              ),
            }}
          >
            <em>{k}</em> {formatFixed(cur[k][u], 3)}
          </span>
        ))}
        <label className="inline-field">
          {t('explorer.player.unit')}
          <input
            type="number"
            min={0}
            max={reading.rows[0].h.length - 1}
            value={u}
            className="narrow"
            onChange={(e) => {
              const v = e.target.valueAsNumber;
              if (Number.isInteger(v) && v >= 0 && v < reading.rows[0].h.length) s.setUnit(v);
            }}
          />
        </label>
        <button
          type="button"
          className="button subtle"
          onClick={() => {
            if (!s.model) return;
            const input = toNested(
              Float64Array.from(s.image, (v) => v - 0.5),
              [28, 28],
            ) as number[][];
            openInExplorer(
              {
                kind: 'digits',
                label: t('digits.read.explorerLabel', { row }),
                stateDict: paramsToStateDict(s.model.params),
                input,
              },
              { step: row, unit: u },
            );
          }}
        >
          {t('digits.read.openExplorer')}
        </button>
      </div>
      <p className="hint">{t('digits.read.answer', { best })}</p>
    </div>
  );
}
