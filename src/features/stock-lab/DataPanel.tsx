import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { getColumn, splitRowFor, type Table } from '../../core/index';
import { FileButton } from '../../components/FileButton';
import { formatMoment, formatNumber } from '../../components/format';
import { useMediaQuery } from '../../components/useMediaQuery';
import { useShallow } from 'zustand/react/shallow';
import { AfterPaint } from '../../components/AfterPaint';
import { BUNDLED_NAMES, useStockLab, type DatasetSource } from '../../state/stockLab';
import { usePersistence } from '../../state/persistStatus';
import { PriceChart } from './charts';
import { ErrorBox } from './ErrorBox';

const BUNDLED: Exclude<DatasetSource, 'upload'>[] = ['sbux', 'sp500', 'stocks', 'synthetic'];
const PREVIEW_ROWS = 4;

/** Step 1: where the data comes from, what it looks like, and where it splits. */
export function DataPanel() {
  const { t } = useTranslation();
  const { data, loading, dataError, loadFile, loadBundled, pickSymbol } = useStockLab(
    useShallow((s) => ({
      data: s.data,
      loading: s.loading,
      dataError: s.dataError,
      loadFile: s.loadFile,
      loadBundled: s.loadBundled,
      pickSymbol: s.pickSymbol,
    })),
  );
  return (
    <section className="card step" aria-labelledby="stock-data-title">
      <h3 id="stock-data-title" className="step-title">
        <span className="step-number">1</span>
        {t('stock.data.title')}
      </h3>
      <div className="toolbar">
        <FileButton
          label={t('stock.data.upload')}
          accept=".csv,.txt,.tsv,text/csv"
          className="button primary"
          testId="csv-input"
          onFile={(file) => void loadFile(file)}
        />
        <span className="muted">{t('stock.data.or')}</span>
        <div className="segmented" role="group" aria-label={t('stock.data.bundled')}>
          {BUNDLED.map((b) => (
            <button
              key={b}
              type="button"
              aria-pressed={data?.source === b}
              onClick={() => void loadBundled(b)}
            >
              {t(`stock.data.sources.${b}`)}
            </button>
          ))}
        </div>
        {data?.symbols && (
          <label className="inline-field">
            {t('stock.data.symbol')}
            <select value={data.symbol} onChange={(e) => pickSymbol(e.target.value)}>
              {data.symbols.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="hint">{t('stock.data.dropHint')}</p>
      {loading && (
        <div className="loading" role="status">
          {t('stock.data.loading', { name: loading.name, rows: loading.rows })}
          <progress
            max={1}
            value={loading.fraction || undefined}
            aria-label={t('stock.data.loadingAria')}
          />
        </div>
      )}
      {dataError && <ErrorBox error={dataError} scope="data" />}
      {data ? <DatasetSummary /> : !loading && <p className="empty">{t('stock.data.empty')}</p>}
    </section>
  );
}

function DatasetSummary() {
  const { t, i18n } = useTranslation();
  const { data, config, setConfig } = useStockLab(
    useShallow((s) => ({ data: s.data, config: s.config, setConfig: s.setConfig })),
  );
  const savedDataKey = usePersistence((p) => p.savedDataKey);
  const table = data!.table;
  const dates = table.dateColumn ? getColumn(table, table.dateColumn) : undefined;
  const dateValues = dates && dates.kind === 'date' ? dates.values : null;
  const dateHasTime = dates?.kind === 'date' && dates.hasTime;
  const target = getColumn(table, config.target);
  const splitRow = splitRowFor(config, table.rowCount);
  // One function for the chart's whole life: a new one each render redrew the (memoised) price
  // chart whenever anything here changed, a finished save included (~170 ms of recharts work).
  const rowCount = table.rowCount;
  const onSplit = useCallback(
    (row: number) =>
      setConfig({ split: { kind: 'rows', rows: Math.max(1, Math.min(rowCount - 1, row)) } }),
    [setConfig, rowCount],
  );
  const unusable = useMemo(() => {
    const cols = [...config.features, config.target]
      .map((n) => getColumn(table, n))
      .filter((c) => c?.kind === 'number');
    let n = 0;
    for (let r = 0; r < table.rowCount; r++) {
      if (cols.some((c) => !Number.isFinite(c!.values[r] as number))) n++;
    }
    return n;
  }, [table, config.features, config.target]);
  return (
    <div
      className="dataset"
      data-testid="dataset"
      data-saved={savedDataKey === data!.key ? 'true' : 'false'}
    >
      <dl className="facts">
        <div>
          <dt>{t('stock.data.file')}</dt>
          <dd data-testid="dataset-name">
            {/* The bundled lesson's name speaks the reader's language; files keep their own. */}
            {data!.source === 'synthetic' && data!.name === BUNDLED_NAMES.synthetic
              ? t('stock.data.sources.synthetic')
              : data!.name}
          </dd>
        </div>
        <div>
          <dt>{t('stock.data.rows')}</dt>
          <dd data-testid="dataset-rows">{formatNumber(table.rowCount, i18n.language, 9)}</dd>
        </div>
        {dateValues && (
          <div>
            <dt>{t('stock.data.range')}</dt>
            <dd>
              <span data-testid="first-date">{formatMoment(dateValues[0], dateHasTime)}</span> →{' '}
              <span data-testid="last-date">
                {formatMoment(dateValues[table.rowCount - 1], dateHasTime)}
              </span>
            </dd>
          </div>
        )}
        <div>
          <dt>{t('stock.data.split')}</dt>
          <dd data-testid="split-value">
            {t('stock.data.splitValue', {
              train: splitRow,
              test: table.rowCount - splitRow,
            })}
          </dd>
        </div>
      </dl>
      {table.warnings.length > 0 && (
        <ul className="warnings" data-testid="data-warnings">
          {table.warnings.map((w) => (
            <li key={w.code}>{t(`stock.warnings.${w.code}`, { ...w.params })}</li>
          ))}
        </ul>
      )}
      {config.lastRows && config.lastRows < table.rowCount ? (
        <p className="notice" data-testid="last-rows">
          {t('stock.data.lastRows', {
            rows: formatNumber(config.lastRows, i18n.language, 9),
            total: formatNumber(table.rowCount, i18n.language, 9),
          })}{' '}
          <button type="button" className="link" onClick={() => setConfig({ lastRows: 0 })}>
            {t('stock.data.allRows')}
          </button>
        </p>
      ) : null}
      {unusable > 0 && (
        <p className="warnings" data-testid="dropped-rows">
          {t('stock.data.dropped', { count: unusable })}
        </p>
      )}
      <PreviewTable table={table} />
      {target && target.kind === 'number' && (
        // Its own turn after the view paints: with the summary and the table it made one
        // frame of ~200 ms on the Stock lab's first visit.
        <AfterPaint name="stock-price" minHeight={280}>
          <PriceChart
            values={target.values}
            dates={dateValues}
            splitRow={splitRow}
            label={config.target}
            onSplit={onSplit}
          />
        </AfterPaint>
      )}
    </div>
  );
}

function cellText(table: Table, name: string, r: number, lang: string): string {
  const c = getColumn(table, name)!;
  if (c.kind === 'text') return c.values[r] ?? '';
  const v = c.values[r];
  if (Number.isNaN(v)) return '—';
  // Minute bars keep their time of day; daily rows show the day only.
  return c.kind === 'date' ? formatMoment(v, c.hasTime) : formatNumber(v, lang, 8);
}

/**
 * On a phone a file's columns cannot stand side by side: each column becomes a row, with its
 * kind and the values of the first and the last row (enough to check the file was read right).
 */
function PreviewByColumn({ table }: { table: Table }) {
  const { t, i18n } = useTranslation();
  const last = table.rowCount - 1;
  return (
    <table className="preview by-column" data-testid="preview-table">
      <caption className="visually-hidden">{t('stock.data.previewCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stock.data.column')}</th>
          <th scope="col">#1</th>
          <th scope="col">#{last + 1}</th>
        </tr>
      </thead>
      <tbody>
        {table.columns.map((c) => (
          <tr key={c.name}>
            <th scope="row">
              {c.name}
              <span className="kind" data-kind={c.kind}>
                {t(`stock.data.kinds.${c.kind}`)}
              </span>
            </th>
            <td className={c.kind === 'number' ? 'num' : undefined}>
              {cellText(table, c.name, 0, i18n.language)}
            </td>
            <td className={c.kind === 'number' ? 'num' : undefined}>
              {cellText(table, c.name, last, i18n.language)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** First and last rows as parsed (so the user can check dates and numbers were read right). */
function PreviewTable({ table }: { table: Table }) {
  const { t, i18n } = useTranslation();
  const narrow = useMediaQuery('(max-width: 600px)');
  const rows = useMemo(() => {
    const n = table.rowCount;
    if (n <= PREVIEW_ROWS * 2) return Array.from({ length: n }, (_, r) => r);
    return [
      ...Array.from({ length: PREVIEW_ROWS }, (_, r) => r),
      -1,
      ...Array.from({ length: PREVIEW_ROWS }, (_, r) => n - PREVIEW_ROWS + r),
    ];
  }, [table]);
  if (narrow) return <PreviewByColumn table={table} />;
  return (
    <div className="table-wrap">
      <table className="preview" data-testid="preview-table">
        <caption className="visually-hidden">{t('stock.data.previewCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            {table.columns.map((c) => (
              <th key={c.name} scope="col">
                {c.name}
                <span className="kind" data-kind={c.kind}>
                  {t(`stock.data.kinds.${c.kind}`)}
                  {c.missing > 0 ? ` · ${t('stock.data.missing', { count: c.missing })}` : ''}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            r < 0 ? (
              <tr key="gap" className="gap">
                <td colSpan={table.columns.length + 1}>
                  {t('stock.data.moreRows', { count: table.rowCount - PREVIEW_ROWS * 2 })}
                </td>
              </tr>
            ) : (
              <tr key={r}>
                <td className="muted">{r + 1}</td>
                {table.columns.map((c) => (
                  <td key={c.name} className={c.kind === 'number' ? 'num' : undefined}>
                    {cellText(table, c.name, r, i18n.language)}
                  </td>
                ))}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
