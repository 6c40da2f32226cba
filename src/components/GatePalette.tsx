import { useTranslation } from 'react-i18next';

/** The six gate colours, in the order every view uses; names come from i18n. */
export const GATES = ['forget', 'input', 'candidate', 'output', 'cell', 'hidden'] as const;
export type GateName = (typeof GATES)[number];

export const gateColor = (gate: GateName) => `var(--gate-${gate})`;

export function GatePalette() {
  const { t } = useTranslation();
  return (
    <section className="palette" aria-labelledby="palette-title">
      <h3 id="palette-title">{t('palette.title')}</h3>
      <ul>
        {GATES.map((g) => (
          <li key={g} data-gate={g}>
            <span className="swatch" style={{ background: gateColor(g) }} aria-hidden="true" />
            {t(`palette.${g}`)}
          </li>
        ))}
      </ul>
    </section>
  );
}
