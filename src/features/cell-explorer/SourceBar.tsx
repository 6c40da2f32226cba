import { useTranslation } from 'react-i18next';
import { LESSONS, isLessonAsShipped, type LessonId } from '../../core/index';
import { FileButton } from '../../components/FileButton';
import { useExplorer } from '../../state/explorer';
import { useStockLab } from '../../state/stockLab';

const LESSON_IDS = Object.keys(LESSONS) as LessonId[];

/** Where the numbers come from: a toy lesson, the model another view sent, or an import. */
export function SourceBar() {
  const { t } = useTranslation();
  const e = useExplorer();
  const snapshots = useStockLab((s) => s.snapshots);
  const liveModel = useStockLab((s) => s.model);
  return (
    <section className="card source-bar" aria-label={t('explorer.source.aria')}>
      <div className="toolbar">
        <span className="field-label">{t('explorer.source.lessons')}</span>
        <div className="segmented" role="group" aria-label={t('explorer.source.lessons')}>
          {LESSON_IDS.map((id) => (
            <button
              key={id}
              type="button"
              aria-pressed={e.mode === 'toy' && e.lesson === id}
              onClick={() => e.pickLesson(id)}
            >
              {t(`explorer.lessons.${id}.name`)}
            </button>
          ))}
        </div>
        {e.linked && (
          <button
            type="button"
            className="button subtle"
            aria-pressed={e.mode === 'linked'}
            onClick={() => e.setMode('linked')}
          >
            {t('explorer.source.linked')}
          </button>
        )}
        <FileButton
          label={t('explorer.source.importWeights')}
          accept=".json,application/json"
          testId="explorer-weights-input"
          onFile={(file) => void e.importWeights(file)}
        />
        {e.imported && (
          <FileButton
            label={t('explorer.source.importInput')}
            accept=".json,.csv,application/json,text/csv"
            testId="explorer-input-input"
            onFile={(file) => void e.importInput(file)}
          />
        )}
      </div>
      {e.importError && (
        <div className="alert" role="alert" data-testid="explorer-error">
          <strong>{t('explorer.source.importFailed')}</strong> {e.importError}
        </div>
      )}
      {e.mode === 'import' && e.imported && e.imported.sequences.length > 1 && (
        <label className="inline-field">
          {t('explorer.source.sample')}
          <select
            value={e.imported.sample}
            onChange={(ev) => e.pickSample(Number(ev.target.value))}
            data-testid="explorer-sample"
          >
            {e.imported.sequences.map((_, k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
      )}
      {e.mode === 'linked' && e.linked?.kind === 'stock' && snapshots.length > 1 && (
        <label className="field wide time-travel">
          <span>
            {e.snapshot === null
              ? t('explorer.source.live', { epoch: liveModel?.epoch ?? 0 })
              : t('explorer.source.epoch', { epoch: snapshots[e.snapshot]?.epoch ?? 0 })}
          </span>
          <input
            type="range"
            min={0}
            max={snapshots.length}
            value={e.snapshot ?? snapshots.length}
            aria-label={t('explorer.source.timeTravel')}
            onChange={(ev) => {
              const k = ev.target.valueAsNumber;
              e.setSnapshot(k >= snapshots.length ? null : k);
            }}
          />
        </label>
      )}
    </section>
  );
}

/** What the current source is and what it shows, in a sentence. */
export function SourceNote() {
  const { t } = useTranslation();
  const e = useExplorer();
  const liveEpoch = useStockLab((s) => s.model?.epoch);
  const snapshots = useStockLab((s) => s.snapshots);
  // One epoch: the one whose weights are drawn (live, or the snapshot travelled to).
  const shownEpoch =
    e.snapshot === null ? (liveEpoch ?? 0) : (snapshots[e.snapshot]?.epoch ?? liveEpoch ?? 0);
  const linkedLabel =
    e.linked?.kind === 'stock' && e.linked.window
      ? t('stock.gates.sourceLabel', { ...e.linked.window, epoch: shownEpoch })
      : e.linked?.label;
  return (
    <p className="notice" data-testid="source-note" data-epoch={e.linked ? shownEpoch : undefined}>
      {/* A lesson's description holds for its own numbers only; after an edit, the computed
          sentences beside the sliders say what the cell does now. */}
      {e.mode === 'toy' &&
        (isLessonAsShipped(e.lesson, e.toy)
          ? t(`explorer.lessons.${e.lesson}.about`)
          : t('explorer.source.toyEdited', { lesson: t(`explorer.lessons.${e.lesson}.name`) }))}
      {e.mode === 'linked' && e.linked && linkedLabel}
      {e.mode === 'import' &&
        e.imported &&
        t('explorer.source.importedNote', {
          name: e.imported.name,
          path: e.imported.path || '(top level)',
          n: e.imported.sequences.length,
        })}
    </p>
  );
}
