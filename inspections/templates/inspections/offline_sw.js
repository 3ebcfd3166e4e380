/* The offline visit app's service worker (issue 19). Version {{ version }}.
   Its cache is named by the app's version: a deployment that changes the app serves a new worker, which
   installs the new shell, takes over at once (skipWaiting + clients.claim) and deletes the old caches.
   Pages: network first, the cached shell when there is no signal. Static files: cache first. The API is
   never cached here (the app keeps its data in IndexedDB). */
const VERSION = "{{ version }}";
const CACHE = "wuxiao-offline-" + VERSION;
const SHELL = "{{ shell }}";
const PRECACHE = {{ precache|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("wuxiao-offline-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "version") event.source.postMessage({ version: VERSION });
  if (event.data === "clear") event.waitUntil(caches.delete(CACHE));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // The shell from the network when there is signal (a fresh CSRF token), else the kept copy.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected && url.pathname === SHELL) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(SHELL))
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
