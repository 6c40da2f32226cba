import { Activity, Suspense, lazy, startTransition, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EngineSelect, StatusEngineBadge } from '../components/EngineBadge';
import { LANGUAGES, setLanguage } from '../i18n';
import { usePersistence } from '../state/persistStatus';
import { useSettings, type ThemeChoice } from '../state/settings';
import { ROUTES, routeFromHash, type Route } from './routes';
import { GlossaryButton } from '../components/Glossary';

/** A view's chunk, fetched once. Once it has arrived, the view renders without suspending. */
interface ViewChunk {
  load(): Promise<unknown>;
  View: () => React.JSX.Element;
}

function viewChunk(importer: () => Promise<{ default: () => React.JSX.Element }>): ViewChunk {
  let component: (() => React.JSX.Element) | null = null;
  let pending: ReturnType<typeof importer> | null = null;
  const load = () =>
    (pending ??= importer().then((m) => {
      component = m.default;
      return m;
    }));
  const Lazy = lazy(load);
  return {
    load,
    View: () => {
      const Loaded = component;
      return Loaded ? <Loaded /> : <Lazy />;
    },
  };
}

// Each view is its own chunk: the shell paints at once, charts load with the view that uses them.
const VIEWS: Record<Route, ViewChunk> = {
  explorer: viewChunk(() => import('../features/cell-explorer/CellExplorer')),
  stock: viewChunk(() => import('../features/stock-lab/StockLab')),
  digits: viewChunk(() => import('../features/digit-reader/DigitReader')),
  why: viewChunk(() => import('../features/why-lstm/WhyLstm')),
};

/** Starts fetching the view the page opens on, before the shell renders (main.tsx). */
export function preloadLandingView(): void {
  void VIEWS[routeFromHash(location.hash)].load();
}

/**
 * The route follows the URL hash, as a transition: showing a view (a first visit's lazy chunk
 * and render, or a hidden view revealed) is rendered in slices that yield to the browser, and
 * the old view stays until the new one is ready (a tab switch was one task of 85–330 ms).
 */
function useHashRoute(): Route {
  const [route, setRoute] = useState(() => routeFromHash(location.hash));
  useEffect(() => {
    const follow = () => startTransition(() => setRoute(routeFromHash(location.hash)));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return route;
}

/**
 * While a view's chunk loads, its title and lead already show, the same header the view draws
 * first: the learner reads what the view is at once, and the lead (the page's largest text) is
 * painted with the shell instead of after the view's first render.
 */
function ViewLoading({ route }: { route: Route }) {
  const { t } = useTranslation();
  return (
    <div className="view-loading">
      <header className="view-head">
        <h2 className="view-title">{t(`nav.${route}`)}</h2>
        <p className="lead">{t(`views.${route}.lead`)}</p>
      </header>
      <p className="empty">{t('app.loading')}</p>
    </div>
  );
}

/** The shell: header (language, theme), the view tabs, the current view, the engine status. */
export default function App() {
  const { t, i18n } = useTranslation();
  const route = useHashRoute();
  const { theme, setTheme } = useSettings();
  // Korean is fetched on first use; a dropped connection must not leave the button doing nothing.
  const [languageFailed, setLanguageFailed] = useState(false);
  // Every view visited stays mounted, hidden (React's Activity): coming back shows the same charts
  // at once instead of building them again (a tab switch cost frames of 130–330 ms before).
  const [visited, setVisited] = useState<Route[]>([route]);
  if (!visited.includes(route)) setVisited([...visited, route]);
  // The view the page opens on is drawn in its own task after the shell has painted, once its
  // chunk is here. Through Suspense, React would hold it back until 300 ms after the fallback
  // painted (its throttle for revealing a boundary) and render it in slices; drawn with the shell,
  // the first paint would wait for both in one long task. (As a transition it was no sooner than
  // through Suspense: medians of alternating cold loads at 4×, ready 2.32 s against 2.27 s.)
  const [landing] = useState(route);
  const [landed, setLanded] = useState(false);
  useEffect(() => {
    if (landed) return;
    const done = () => setLanded(true);
    // A failed fetch is left to the lazy view below, as any view's is.
    VIEWS[landing].load().then(done, done);
  }, [landed, landing]);

  useEffect(() => {
    // One data-theme attribute drives the CSS; "system" follows the OS setting live.
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      const dark = theme === 'dark' || (theme === 'system' && media.matches);
      document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);

  useEffect(() => {
    document.title = `${t(`nav.${route}`)} · ${t('app.title')}`;
  }, [route, t, i18n.language]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <img src="./favicon.svg" alt="" width={36} height={36} />
          <div>
            <h1>{t('app.title')}</h1>
            <p>{t('app.tagline')}</p>
          </div>
        </div>
        <div className="segmented" role="group" aria-label={t('app.theme')}>
          {(['light', 'system', 'dark'] as ThemeChoice[]).map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={theme === choice}
              onClick={() => setTheme(choice)}
            >
              {t(`app.theme${choice[0].toUpperCase()}${choice.slice(1)}`)}
            </button>
          ))}
        </div>
        <div className="segmented" role="group" aria-label={t('app.language')}>
          {LANGUAGES.map((l) => (
            <button
              key={l.code}
              type="button"
              lang={l.code}
              aria-pressed={i18n.language === l.code}
              onClick={() =>
                void setLanguage(l.code).then(
                  () => setLanguageFailed(false),
                  () => setLanguageFailed(true),
                )
              }
            >
              {l.label}
            </button>
          ))}
        </div>
        <GlossaryButton />
        {languageFailed && (
          <p className="alert language-error" role="alert" data-testid="language-error">
            {t('app.languageFailed')}
          </p>
        )}
      </header>
      <nav className="tabs" aria-label={t('nav.label')}>
        {ROUTES.map((r) => (
          <a key={r} href={`#/${r}`} aria-current={r === route ? 'page' : undefined}>
            {t(`nav.${r}`)}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {ROUTES.filter((r) => visited.includes(r)).map((r) => {
          const { View } = VIEWS[r];
          return (
            <Activity key={r} mode={r === route ? 'visible' : 'hidden'}>
              {r === landing && !landed ? (
                <ViewLoading route={r} />
              ) : (
                <Suspense fallback={<ViewLoading route={r} />}>
                  <View />
                </Suspense>
              )}
            </Activity>
          );
        })}
      </main>
      <footer className="status-bar">
        <StatusEngineBadge />
        <EngineSelect />
        <PersistNote />
        <span className="privacy">{t('app.privacy')}</span>
        <button
          type="button"
          className="link"
          data-testid="reset-everything"
          onClick={() => {
            if (window.confirm(t('app.resetConfirm'))) {
              void import('../state/persist').then((m) => m.resetEverything());
            }
          }}
        >
          {t('app.reset')}
        </button>
      </footer>
    </div>
  );
}

/** Said only when something is wrong: storage missing or full means work will not be kept. */
function PersistNote() {
  const { t } = useTranslation();
  const status = usePersistence((p) => p.status);
  if (status !== 'unavailable' && status !== 'full') return null;
  return (
    <span className="persist-note" role="status" data-testid="persist-note">
      {t(`app.persist.${status}`)}
    </span>
  );
}
