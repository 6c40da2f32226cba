import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { INITIAL_SEARCH, usePersistence } from '../../state/persistStatus';
import { useStockLab } from '../../state/stockLab';
import { applySetupFromUrl, useSyncSetupToUrl } from './shareLink';
import { DataPanel } from './DataPanel';
import { SetupPanel } from './SetupPanel';
import { TrainPanel } from './TrainPanel';
import { RunsTable } from './RunsTable';
import './stockLab.css';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * The Stock lab: data → setup → train and watch, top to bottom. A file dropped anywhere on
 * the view is loaded as if picked with Upload CSV.
 */
export default function StockLab() {
  const { t } = useTranslation();
  const loadFile = useStockLab((s) => s.loadFile);
  const [dragging, setDragging] = useState(false);
  const persistence = usePersistence((p) => p.status);
  useEffect(() => {
    // Once saved work is back (or known absent): a shared link's setup, else the clean
    // synthetic lesson for a first visit, never an empty page.
    if (persistence === 'starting') return;
    const s = useStockLab.getState();
    if (s.loading) return;
    if (applySetupFromUrl(INITIAL_SEARCH)) return;
    if (!s.data) void s.loadBundled('synthetic');
  }, [persistence]);
  useSyncSetupToUrl();
  return (
    <div
      className="stock-lab"
      data-view="stock"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (file) void loadFile(file);
      }}
    >
      <header className="view-head">
        <h2 className="view-title">{t('nav.stock')}</h2>
        <p className="lead">{t('views.stock.lead')}</p>
      </header>
      <DataPanel />
      <SetupPanel />
      <TrainPanel />
      <RunsTable />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('stock.data.dropHere')}
        </div>
      )}
    </div>
  );
}
