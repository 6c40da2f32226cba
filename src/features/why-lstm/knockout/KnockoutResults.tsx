import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  chanceLoss,
  summarizeRace,
  type Contestant,
  type ContestantSummary,
  type RaceVerdict,
} from '../../../core/index';
import { formatNumber } from '../../../components/format';
import { useKnockout } from '../../../state/knockout';
import { CONTESTANT_STYLE } from './contestantStyle';

/** Greff et al.'s clear findings, to say whether this run agrees ("worse" = measurably worse). */
const GREFF_EXPECTS: Partial<Record<Contestant, RaceVerdict>> = {
  nfg: 'worse',
  noaf: 'worse',
  cifg: 'same',
};

/** Final loss per contestant: the range chart against "learned nothing", then the table. */
export function KnockoutResults() {
  const { t, i18n } = useTranslation();
  const spec = useKnockout((s) => s.spec);
  const runs = useKnockout((s) => s.runs);
  const chance = spec ? chanceLoss(spec.settings.task, spec.settings.T) : 1;
  const rows = useMemo(() => {
    if (!spec) return [];
    const finals = new Map<Contestant, number[]>();
    for (const r of Object.values(runs)) {
      if (r.final == null) continue;
      finals.set(r.contestant, [...(finals.get(r.contestant) ?? []), r.final]);
    }
    return summarizeRace(finals, spec.contestants, chance);
  }, [spec, runs, chance]);
  if (!spec || rows.length === 0) return null;
  const num = (v: number) => formatNumber(v, i18n.language, 3);
  const lstm = rows.find((r) => r.contestant === 'lstm');
  return (
    <div className="knockout-results" data-testid="knockout-results">
      <h4>{t('why.knockout.resultsTitle')}</h4>
      <RangeChart rows={rows} chance={chance} lstm={lstm} />
      <div className="table-scroll">
        <table className="knockout-table">
          <thead>
            <tr>
              <th scope="col">{t('why.knockout.col.variant')}</th>
              <th scope="col" className="num">
                {t('why.knockout.col.median')}
              </th>
              <th scope="col" className="num">
                {t('why.knockout.col.range')}
              </th>
              <th scope="col" className="num">
                {t('why.knockout.col.ratio')}
              </th>
              <th scope="col">{t('why.knockout.col.thisRun')}</th>
            </tr>
          </thead>
          {rows.map((r) => (
            <tbody
              key={r.contestant}
              data-contestant={r.contestant}
              data-median={r.median}
              data-min={r.min}
              data-max={r.max}
              data-seeds={r.losses.length}
              data-verdict={r.verdict}
            >
              <tr>
                <th scope="row">
                  <span
                    className="swatch"
                    style={{ background: CONTESTANT_STYLE[r.contestant].color }}
                    aria-hidden="true"
                  />
                  {t(`why.knockout.name.${r.contestant}`)}
                </th>
                <td className="num" data-label={t('why.knockout.col.median')}>
                  {num(r.median)}
                </td>
                <td className="num" data-label={t('why.knockout.col.range')}>
                  {r.losses.length > 1 ? `${num(r.min)} – ${num(r.max)}` : '—'}
                </td>
                <td className="num" data-label={t('why.knockout.col.ratio')}>
                  {Number.isFinite(r.ratio) ? `×${formatNumber(r.ratio, i18n.language, 2)}` : '—'}
                </td>
                <td className="verdict-cell">
                  <Verdict row={r} chance={chance} />
                </td>
              </tr>
              <tr className="detail">
                <td colSpan={5}>
                  <p>
                    <strong>{t('why.knockout.removedLabel')}</strong>{' '}
                    {t(`why.knockout.removed.${r.contestant}`)}
                  </p>
                  <p>
                    <strong>{t('why.knockout.greffLabel')}</strong>{' '}
                    {t(`why.knockout.greff.${r.contestant}`)}
                    {GREFF_EXPECTS[r.contestant] && r.verdict !== 'unjudged' && (
                      <>
                        {' '}
                        <em>
                          {t(
                            r.verdict === GREFF_EXPECTS[r.contestant]
                              ? 'why.knockout.agrees'
                              : 'why.knockout.differs',
                          )}
                        </em>
                      </>
                    )}
                  </p>
                </td>
              </tr>
            </tbody>
          ))}
        </table>
      </div>
    </div>
  );
}

function Verdict({ row, chance }: { row: ContestantSummary; chance: number }) {
  const { t, i18n } = useTranslation();
  const num = (v: number) => formatNumber(v, i18n.language, 3);
  return (
    <>
      {t(
        `why.knockout.verdict.${row.verdict === 'unjudged' && !Number.isFinite(row.ratio) ? 'noReference' : row.verdict}`,
        {
          median: num(row.median),
          ratio: formatNumber(row.ratio, i18n.language, 2),
          chance: num(chance),
        },
      )}
    </>
  );
}

/**
 * Median (dot) and range over the seeds (bar) per contestant, on a log scale, with the LSTM's
 * range as a shaded band and "learned nothing" as a dashed line: a bar that reaches into the
 * band is not measurably different from the LSTM on this run.
 */
function RangeChart({
  rows,
  chance,
  lstm,
}: {
  rows: ContestantSummary[];
  chance: number;
  lstm?: ContestantSummary;
}) {
  const { t, i18n } = useTranslation();
  const lo = Math.log10(Math.min(...rows.map((r) => r.min), chance) / 1.5);
  const hi = Math.log10(Math.max(...rows.map((r) => r.max), chance) * 1.5);
  const x = (v: number) => `${((Math.log10(v) - lo) / (hi - lo)) * 100}%`;
  const decades: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) decades.push(10 ** e);
  const band =
    lstm && lstm.losses.length > 1
      ? { left: x(lstm.min), width: `calc(${x(lstm.max)} - ${x(lstm.min)})` }
      : null;
  return (
    <figure
      className="range-chart"
      aria-label={t('why.knockout.rangeAria')}
      data-testid="knockout-range"
    >
      <div className="range-rows">
        {rows.map((r) => (
          <div key={r.contestant} className="range-row">
            <span className="range-name">{t(`why.knockout.name.${r.contestant}`)}</span>
            <span className="range-track">
              {band && <span className="range-band" style={band} />}
              <span className="range-chance" style={{ left: x(chance) }} />
              <span
                className="range-bar"
                style={{
                  left: x(r.min),
                  width: `calc(${x(r.max)} - ${x(r.min)})`,
                  background: CONTESTANT_STYLE[r.contestant].color,
                }}
              />
              <span
                className="range-median"
                style={{ left: x(r.median), borderColor: CONTESTANT_STYLE[r.contestant].color }}
                title={formatNumber(r.median, i18n.language, 3)}
              />
            </span>
          </div>
        ))}
        <div className="range-row axis" aria-hidden="true">
          <span className="range-name" />
          <span className="range-track">
            {decades.map((d) => (
              <span key={d} className="range-tick" style={{ left: x(d) }}>
                {d >= 1 ? String(d) : d.toExponential(0)}
              </span>
            ))}
          </span>
        </div>
      </div>
      <figcaption>
        {t('why.knockout.rangeCaption', { chance: formatNumber(chance, i18n.language, 3) })}
      </figcaption>
    </figure>
  );
}
