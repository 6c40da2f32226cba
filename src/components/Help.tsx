import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A "?" beside a setting: hover shows the explanation as a tooltip, a click or Enter opens it as
 * a note under the label (phones have no hover), Escape closes it.
 */
export function Help({ topic, text }: { topic: string; text: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="help"
        aria-label={t('help.about', { topic })}
        aria-expanded={open}
        aria-controls={id}
        title={text}
        onClick={(e) => {
          e.preventDefault();
          setOpen(!open);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        ?
      </button>
      {open && (
        <span id={id} role="note" className="help-note">
          {text}
        </span>
      )}
    </>
  );
}
