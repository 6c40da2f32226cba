import { useTranslation } from 'react-i18next';
import { GatePalette } from '../components/GatePalette';

/** The opening card of a view that is still being built: what it will teach, in both languages. */
export function ViewIntro({ view }: { view: 'explorer' | 'stock' | 'digits' | 'why' }) {
  const { t } = useTranslation();
  const points = t(`views.${view}.points`, { returnObjects: true }) as string[];
  return (
    <article className="card" data-view={view}>
      <h2 className="view-title">{t(`nav.${view}`)}</h2>
      <p className="lead">{t(`views.${view}.lead`)}</p>
      <ul className="points">
        {points.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <p className="notice">{t('views.comingSoon')}</p>
      <GatePalette />
    </article>
  );
}
