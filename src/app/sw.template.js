/* LSTM Lab's service worker (generated into the build by vite.config.ts): the app works offline
 * after the first visit. Every file of the build is cached at install; requests to this origin
 * are answered from the cache first; page loads fall back to the cached index.html. */
const CACHE = 'lstm-lab-__VERSION__';
const PRECACHE = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    // ignoreVary: module scripts carry an Origin header the precache requests did not.
    caches
      .match(request, { ignoreSearch: request.mode === 'navigate', ignoreVary: true })
      .then(
        (hit) =>
          hit ||
          fetch(request).catch(() =>
            request.mode === 'navigate' ? caches.match('./') : Promise.reject(new Error('offline')),
          ),
      ),
  );
});
