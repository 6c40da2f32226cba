import { useEffect, type ReactNode } from 'react';
import { useMediaQuery } from '../../components/useMediaQuery';
import { useTranslation } from 'react-i18next';
import { lossesIncomparable, runDiff, type SettingChange, type TargetKind } from '../../core/index';
import { formatNumber, formatPercent, formatRatio } from '../../components/format';
import { useStockLab } from '../../state/stockLab';
import { startRunRecorder, useRunsTable, type RunRecord } from '../../state/runsTable';
import { RunsOverlay } from './RunsOverlay';

const KINDS: TargetKind[] = ['price', 'change', 'logReturn'];
const setupOf = (r: RunRecord) => ({ dataset: r.dataset, config: r.config });

/** A setting's value in the reader's words (scalers and target kinds), else as it is. */
function useSettingValue(): (c: SettingChange, v: string) => string {
  const { t } = useTranslation();
  return (c, v) =>
    c.key === 'scaleFit'
      ? t(v === 'all' ? 'stock.runs.allRows' : 'stock.runs.trainRows')
      : c.key === 'targetKind'
        ? t(`stock.setup.targetKinds.${v}`)
        : v;
}

/**
 * Every run of the Stock lab, side by side and kept across reloads: what changed from the run
 * before, how far it trained, its losses and test metrics, its best test epoch. Two runs can
 * be drawn together, and the two lessons the seed notes invite are one click each.
 */
export function RunsTable() {
  const { t, i18n } = useTranslation();
  const { runs, overlay, remove, toggleOverlay } = useRunsTable();
  const running = useStockLab((s) => s.run?.status === 'running' || s.run?.status === 'starting');
  const value = useSettingValue();
  const narrow = useMediaQuery('(max-width: 600px)');
  useEffect(startRunRecorder, []);
  const lang = i18n.language;
  const last = runs[runs.length - 1];
  const rerun = (patch: Parameters<ReturnType<typeof useStockLab.getState>['setConfig']>[0]) => {
    const s = useStockLab.getState();
    s.setConfig(patch);
    s.train();
  };
  const rows = runs.map((r, k) => {
    const prev = runs[k - 1];
    const diff = prev ? runDiff(setupOf(prev), setupOf(r)) : [];
    const apart = prev ? lossesIncomparable(setupOf(prev), setupOf(r)) : null;
    const mark = apart ? ' ≠' : '';
    const changed = !prev
      ? '—'
      : diff.length === 0
        ? t('stock.runs.same')
        : diff
            .map((c) => `${t(`stock.runs.keys.${c.key}`)}: ${value(c, c.from)} → ${value(c, c.to)}`)
            .join('; ');
    const cells: { key: string; label: string; value: ReactNode; num?: boolean }[] = [
      { key: 'dataset', label: t('stock.runs.cols.dataset'), value: r.dataset },
      { key: 'changed', label: t('stock.runs.cols.changed'), value: changed },
      {
        key: 'epochs',
        label: t('stock.runs.cols.epochs'),
        value: `${r.epochs}${r.status === 'stopped' ? ` (${t('stock.runs.stopped')})` : ''}`,
        num: true,
      },
      {
        key: 'train',
        label: t('stock.runs.cols.trainLoss'),
        value: formatNumber(r.trainLoss, lang) + mark,
        num: true,
      },
      {
        key: 'test',
        label: t('stock.runs.cols.testLoss'),
        value: formatNumber(r.testLoss, lang) + mark,
        num: true,
      },
      { key: 'rmse', label: 'RMSE', value: formatNumber(r.rmse, lang), num: true },
      { key: 'mae', label: 'MAE', value: formatNumber(r.mae, lang), num: true },
      {
        key: 'ratio',
        label: t('stock.runs.cols.vsNaive'),
        value: `${formatRatio(r.ratio, lang)}×`,
        num: true,
      },
      {
        key: 'direction',
        label: t('stock.runs.cols.direction'),
        value: `${formatPercent(r.direction, lang)}${Number.isFinite(r.upShare) ? ` / ${formatPercent(r.upShare, lang)}` : ''}`,
        num: true,
      },
      { key: 'best', label: t('stock.runs.cols.best'), value: r.bestEpoch ?? '—', num: true },
    ];
    return {
      id: r.id,
      apart,
      cells,
      overlay: (
        <input
          type="checkbox"
          checked={overlay.includes(r.id)}
          onChange={() => toggleOverlay(r.id)}
          aria-label={t('stock.runs.overlayRun', { n: k + 1 })}
        />
      ),
      remove: (
        <button
          type="button"
          className="button small subtle"
          onClick={() => remove(r.id)}
          aria-label={t('stock.runs.removeRun', { n: k + 1 })}
        >
          ×
        </button>
      ),
    };
  });
  return (
    <section className="card step runs-card" aria-labelledby="runs-title" data-testid="runs">
      <h3 id="runs-title" className="step-title">
        <span className="step-number">4</span>
        {t('stock.runs.title')}
      </h3>
      <p className="hint">{t('stock.runs.hint')}</p>
      {last && (
        <div className="toolbar runs-lessons" role="group" aria-label={t('stock.runs.lessons')}>
          <button
            type="button"
            className="button small"
            disabled={running}
            data-testid="lesson-leak"
            onClick={() => rerun({ scaleFit: last.config.scaleFit === 'all' ? 'train' : 'all' })}
          >
            {t('stock.runs.leak', {
              fit: t(
                last.config.scaleFit === 'all' ? 'stock.runs.trainRows' : 'stock.runs.allRows',
              ),
            })}
          </button>
          {KINDS.filter(
            (k) => k !== (last.config.targetKind ?? 'price') || last.config.horizon < 1,
          ).map((k) => (
            <button
              key={k}
              type="button"
              className="button small"
              disabled={running}
              data-testid={`lesson-target-${k}`}
              onClick={() => rerun({ targetKind: k, horizon: Math.max(1, last.config.horizon) })}
            >
              {t(last.config.horizon < 1 ? 'stock.runs.targetNext' : 'stock.runs.target', {
                kind: t(`stock.setup.targetKinds.${k}`),
              })}
            </button>
          ))}
        </div>
      )}
      {runs.length === 0 ? (
        <p className="empty">{t('stock.runs.empty')}</p>
      ) : narrow ? (
        <ol className="runs-list" aria-labelledby="runs-title">
          {rows.map((row, k) => (
            <li key={row.id} data-testid="run-row" data-incomparable={row.apart ?? undefined}>
              <div className="runs-list-head">
                <strong>{t('stock.runs.runTitle', { n: k + 1 })}</strong>
                <label className="check">
                  {row.overlay}
                  {t('stock.runs.cols.overlay')}
                </label>
                {row.remove}
              </div>
              <dl>
                {row.cells.map((c) => (
                  <div key={c.key}>
                    <dt>{c.label}</dt>
                    <dd>{c.value}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ol>
      ) : (
        <div className="table-wrap">
          <table className="runs-table" aria-labelledby="runs-title">
            <thead>
              <tr>
                <th scope="col">#</th>
                {rows[0].cells.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
                <th scope="col">{t('stock.runs.cols.overlay')}</th>
                <th scope="col" aria-label={t('stock.runs.cols.remove')} />
              </tr>
            </thead>
            <tbody>
              {rows.map((row, k) => (
                <tr key={row.id} data-testid="run-row" data-incomparable={row.apart ?? undefined}>
                  <th scope="row">{k + 1}</th>
                  {row.cells.map((c) => (
                    <td
                      key={c.key}
                      className={c.num ? 'num' : c.key === 'changed' ? 'run-diff' : 'run-data'}
                    >
                      {c.value}
                    </td>
                  ))}
                  <td>{row.overlay}</td>
                  <td>{row.remove}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.some((r, k) => k > 0 && lossesIncomparable(setupOf(runs[k - 1]), setupOf(r))) && (
        <p className="notice" data-testid="runs-incomparable">
          {t('stock.runs.incomparable')}
        </p>
      )}
      {runs.length > 0 && <p className="hint">{t('stock.runs.directionHint')}</p>}
      <RunsOverlay runs={runs.filter((r) => overlay.includes(r.id))} all={runs} />
    </section>
  );
}
