import { useEffect, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useStockLab } from '../../state/stockLab';
import { DataPanel } from './DataPanel';
import { SetupPanel } from './SetupPanel';
import { TrainPanel } from './TrainPanel';
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
  useEffect(() => {
    // A first visit opens on the clean synthetic lesson rather than an empty page.
    const s = useStockLab.getState();
    if (!s.data && !s.loading) void s.loadBundled('synthetic');
  }, []);
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
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('stock.data.dropHere')}
        </div>
      )}
    </div>
  );
}
