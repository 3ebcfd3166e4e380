/* IndexedDB for the offline visit app (issue 19): two stores.
   - "work": one record, key "today": the copy of today's work (GET /api/v1/today/) and when it was taken.
   - "visits": one record per visit filled in on this phone, by its UUID: the answers as typed, photos as
     Blobs, and where it stands (draft, queued, sent, conflict). Nothing else: no password, no token. */
(function () {
  "use strict";
  const NAME = "wuxiao-offline";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains("work")) db.createObjectStore("work");
          if (!db.objectStoreNames.contains("visits")) db.createObjectStore("visits", { keyPath: "uuid" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  function run(store, mode, action) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const result = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  window.OfflineDB = {
    getWork: () => run("work", "readonly", (s) => s.get("today")),
    putWork: (work) => run("work", "readwrite", (s) => s.put(work, "today")),
    clearWork: () => run("work", "readwrite", (s) => s.clear()),
    getVisit: (uuid) => run("visits", "readonly", (s) => s.get(uuid)),
    putVisit: (visit) => run("visits", "readwrite", (s) => s.put(visit)),
    deleteVisit: (uuid) => run("visits", "readwrite", (s) => s.delete(uuid)),
    allVisits: () => run("visits", "readonly", (s) => s.getAll()),
    /* Logging out on a shared phone: everything goes. */
    destroy: () => open().then((db) => { db.close(); opening = null; return new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    }); }),
  };
})();
