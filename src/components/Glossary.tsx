import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import glossary from '../i18n/glossary.json';

/**
 * The app's words, one term per concept, in the learner's language with the other language's
 * term beside it (a Korean reader meets the English names in code and papers).
 */
export function GlossaryButton() {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const ko = i18n.language === 'ko';
  return (
    <>
      <button type="button" className="button" onClick={() => dialog.current?.showModal()}>
        {t('glossary.open')}
      </button>
      <dialog ref={dialog} className="glossary" aria-labelledby="glossary-title">
        <div className="glossary-head">
          <h2 id="glossary-title">{t('glossary.title')}</h2>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            {t('glossary.close')}
          </button>
        </div>
        <dl data-testid="glossary-terms">
          {glossary.terms.map((term) => (
            <div key={term.id} className="glossary-term">
              <dt>
                {ko ? term.ko : term.en}
                <span className="other" lang={ko ? 'en' : 'ko'}>
                  {ko ? term.en : term.ko}
                </span>
              </dt>
              <dd>{ko ? term.defKo : term.defEn}</dd>
            </div>
          ))}
        </dl>
      </dialog>
    </>
  );
}
