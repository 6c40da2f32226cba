import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageReady } from '../i18n';
import './theme.css';
import App, { preloadLandingView } from './App';
import { trainingClient } from '../state/engine';

// The landing view's chunk is on its way with the entry (vite.config.ts); ask for it now.
preloadLandingView();

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
if (languageReady) void languageReady.then(render, render);
else render();

// Bring back what the user made last time (IndexedDB), then keep saving it; loaded after the
// first paint so the shell never waits for storage.
void import('../state/persist').then((m) => m.startPersistence());

// Offline after the first visit (the service worker exists only in the production build).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // No offline copy; the app itself is unaffected.
    });
  });
}

// Start the engine after first paint so the status bar can say what will train. tfjs loads in
// the worker, never here.
setTimeout(() => void trainingClient().init(), 0);

// A handle for end-to-end tests and curious teachers: ?debug=1 exposes the worker client.
// Loaded on demand so ordinary visitors do not download the CSV parser with the entry chunk.
if (new URLSearchParams(location.search).has('debug')) {
  void Promise.all([
    import('../core/index'),
    import('../state/stockLab'),
    import('../state/digits'),
  ]).then(([core, { useStockLab }, { useDigits }]) => {
    Object.assign(window, {
      __lstmLab: {
        client: trainingClient(),
        parseCsvText: core.parseCsvText,
        syntheticStockTable: core.syntheticStockTable,
        stock: useStockLab,
        digits: useDigits,
      },
    });
  });
}
