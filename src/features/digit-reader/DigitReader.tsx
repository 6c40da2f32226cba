import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { FileButton } from '../../components/FileButton';
import { SaliencyStrip } from '../../components/SaliencyStrip';
import { useDigits } from '../../state/digits';
import { withoutTraining } from '../../state/digitsShares';
import { DigitPreview, DrawPad } from './DrawPad';
import { ReadPanel } from './ReadPanel';
import { TrainDigits } from './TrainDigits';
import { DigitGates } from './DigitGates';
import { AfterPaint } from '../../components/AfterPaint';
import './digits.css';

/** The seed's model reading a digit: the loop over rows, highlighted at the current step. */
const CODE: [code: string, comment?: string][] = [
  ['def forward(self, x):', 'x'],
  ['    hn = torch.zeros(x.size(0), self.hidden_dim)'],
  ['    cn = torch.zeros(x.size(0), self.hidden_dim)'],
  ['    for seq in range(x.size(1)):', 'row'],
  ['        hn, cn = self.lstm(x[:, seq, :], (hn, cn))'],
  ['    out = self.fc(hn)', 'last'],
  ['    return out'],
];

export default function DigitReader() {
  const { t } = useTranslation();
  const s = useDigits(useShallow(withoutTraining));
  const [clearSignal, setClearSignal] = useState(0);
  useEffect(() => s.init(), [s]);
  // Open on a real digit already read, so the view shows what it does before any drawing.
  const ready = s.data === 'ready' && s.model !== null;
  useEffect(() => {
    const st = useDigits.getState();
    if (ready && !st.reading && st.image.every((v) => v === 0)) st.pickTest();
  }, [ready]);
  const src = s.imageSource;
  return (
    <div className="digit-reader" data-view="digits">
      <header className="view-head">
        <h2 className="view-title">{t('nav.digits')}</h2>
        <p className="lead">{t('views.digits.lead')}</p>
      </header>
      {s.error && (
        <div className="alert" role="alert">
          {s.error}
        </div>
      )}
      <div className="digits-main">
        <section className="card pad-card" aria-labelledby="pad-title">
          <h3 id="pad-title">{t('digits.pad.title')}</h3>
          <DrawPad
            onDigit={s.setDrawing}
            clearSignal={clearSignal}
            row={s.reading && src.kind === 'drawn' ? s.row : null}
          />
          <div className="toolbar">
            <button
              type="button"
              className="button"
              onClick={() => {
                s.clear();
                setClearSignal((n) => n + 1);
              }}
            >
              {t('digits.pad.clear')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => s.pickTest()}
              disabled={s.data !== 'ready'}
            >
              {t('digits.pad.pick')}
            </button>
            <button type="button" className="button primary" onClick={s.read} disabled={!s.model}>
              {t('digits.pad.read')}
            </button>
          </div>
          {s.data === 'loading' && (
            <div className="loading" role="status">
              {t('digits.pad.loading')}
              <progress max={1} value={s.fraction} aria-label={t('digits.pad.loading')} />
            </div>
          )}
          <div className="seen">
            <div className="seen-row">
              <DigitPreview image={s.image} row={s.reading ? s.row : null} />
              {s.reading && (
                <SaliencyStrip
                  vertical
                  values={s.reading.rowSaliency}
                  label={t('digits.saliency.aria')}
                  start={t('digits.saliency.top')}
                  end={t('digits.saliency.bottom')}
                  testId="row-saliency"
                />
              )}
            </div>
            {s.reading && (
              <p className="hint">
                <strong>{t('digits.saliency.title')}</strong> {t('digits.saliency.hint')}
              </p>
            )}
            <p
              className="hint"
              data-testid="image-source"
              data-test-index={src.kind === 'test' ? s.test?.index[src.k] : undefined}
            >
              {src.kind === 'test'
                ? t('digits.pad.testDigit', { k: s.test?.index[src.k], label: src.label })
                : t('digits.pad.drawn')}
            </p>
          </div>
          <p className="hint" data-testid="digit-model-info">
            {s.modelInfo
              ? t(`digits.pad.model.${s.modelInfo.source}`, {
                  epochs: s.modelInfo.epochs,
                  hidden: s.modelInfo.hidden,
                  name: s.modelInfo.name,
                })
              : t('digits.pad.modelLoading')}
          </p>
          <div className="toolbar">
            <FileButton
              label={t('digits.pad.import')}
              accept=".json,application/json"
              onFile={(f) => void s.importModel(f)}
              testId="digit-model-file"
            />
          </div>
          {s.importError && (
            <p className="alert" role="alert" data-testid="digit-import-error">
              {t('digits.pad.importRefused', { reason: s.importError })}
            </p>
          )}
          <p className="hint">{t('digits.pad.importHint')}</p>
        </section>
        <section className="card" aria-labelledby="read-title">
          <h3 id="read-title">{t('digits.read.title')}</h3>
          <ReadPanel />
        </section>
        <section className="card code-card">
          <figure className="code-panel">
            <figcaption>{t('digits.code')}</figcaption>
            <pre tabIndex={0}>
              <code>
                {CODE.map(([code, comment], k) => (
                  <span
                    key={k}
                    className="code-line"
                    data-active={
                      s.reading && (k === 3 || k === 4)
                        ? 'true'
                        : k === 5 && s.row === 27 && s.reading
                          ? 'true'
                          : undefined
                    }
                  >
                    {comment ? `${code.padEnd(36)}# ${t(`digits.codeComments.${comment}`)}` : code}
                    {'\n'}
                  </span>
                ))}
              </code>
            </pre>
          </figure>
        </section>
      </div>
      <AfterPaint name="digits-lower" minHeight={300}>
        <TrainDigits />
        <DigitGates />
      </AfterPaint>
    </div>
  );
}
