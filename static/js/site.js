/* Behaviour every page may use, declared with data attributes: the Content-Security-Policy refuses
 * inline handlers (onclick=, onchange=, onsubmit=) and style= attributes.
 *   data-print            a button that opens the print dialog
 *   data-autosubmit       a select whose form is submitted when it changes
 *   data-confirm="…"      a form that asks before it is submitted
 *   data-width="42"       an element (a progress bar) whose width is that percentage
 *   data-business-search="/businesses/search.json"
 *                         a text input for a business (campaigns.forms.BusinessField): as the user types,
 *                         its <datalist> is filled with a few matches from that JSON endpoint
 * Logging out clears what the offline visit app kept on this phone (issue 19: shared phones), after a
 * warning when visits are still waiting to be sent.
 */
(function () {
  "use strict";
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  each("[data-print]", function (el) { el.addEventListener("click", function () { window.print(); }); });
  each("select[data-autosubmit]", function (el) {
    el.addEventListener("change", function () { if (el.form) { el.form.submit(); } });
  });
  each("form[data-confirm]", function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  each("[data-width]", function (el) { el.style.width = (parseFloat(el.getAttribute("data-width")) || 0) + "%"; });
  each("input[data-business-search]", function (input) {
    var list = document.createElement("datalist");
    var timer = null;
    var asked = "";
    list.id = (input.id || input.name) + "-suggestions";
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("list", list.id);
    function fill(results) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      results.forEach(function (r) {
        var option = document.createElement("option");
        option.value = r.value;
        list.appendChild(option);
      });
    }
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2 || text === asked) { return; }
      timer = window.setTimeout(function () {
        asked = text;
        var url = input.getAttribute("data-business-search") + "?q=" + encodeURIComponent(text);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (input.value.trim() === text) { fill(data.results || []); } })
          .catch(function () { /* suggestions are a convenience: typing the name still works */ });
      }, 250);
    });
  });
  function offlineUnsent() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(0); return; }
      var request = indexedDB.open("wuxiao-offline");
      request.onerror = function () { resolve(0); };
      request.onupgradeneeded = function () { request.transaction.abort(); resolve(0); };
      request.onsuccess = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("visits")) { db.close(); resolve(0); return; }
        var all = db.transaction("visits").objectStore("visits").getAll();
        all.onsuccess = function () {
          db.close();
          resolve(all.result.filter(function (v) { return v.status !== "sent"; }).length);
        };
        all.onerror = function () { db.close(); resolve(0); };
      };
    });
  }
  function offlineClear() {
    var jobs = [new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(); return; }
      var request = indexedDB.deleteDatabase("wuxiao-offline");
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    })];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("wuxiao-offline-") === 0; })
          .map(function (n) { return caches.delete(n); }));
      }));
    }
    return Promise.all(jobs);
  }
  each("form[action$='/logout/']", function (form) {
    var cleared = false;
    form.addEventListener("submit", function (event) {
      if (cleared) { return; }
      event.preventDefault();
      offlineUnsent().then(function (unsent) {
        if (unsent && !window.confirm("本机还有 " + unsent + " 条检查记录没有上传，退出将删除这些记录。确定退出吗？")) {
          return;
        }
        offlineClear().then(function () { cleared = true; form.submit(); });
      });
    });
  });
})();
