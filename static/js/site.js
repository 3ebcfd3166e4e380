/* Behaviour every page may use, declared with data attributes: the Content-Security-Policy refuses
 * inline handlers (onclick=, onchange=, onsubmit=) and style= attributes.
 *   data-print            a button that opens the print dialog
 *   data-autosubmit       a select whose form is submitted when it changes
 *   data-confirm="…"      a form that asks before it is submitted
 *   data-width="42"       an element (a progress bar) whose width is that percentage
 *   data-business-search="/businesses/search.json"
 *                         a text input for a business (campaigns.forms.BusinessField): as the user types,
 *                         its <datalist> is filled with a few matches from that JSON endpoint
 *   data-subtypes="subtypes"
 *                         a category select: of the checkboxes named "subtypes" (each with data-category)
 *                         only the chosen category's are shown; one of another category is unticked
 *   data-filter-sheet     a list's filter form: on phones folded into one 筛选 button opening a bottom sheet
 *                         (Bootstrap's offcanvas-md: inline from md up); the button counts the filters set
 * Forms: a form the server sent back with invalid fields (.is-invalid) and no error summary of its own
 * (includes/form_fields.html writes one) gets one at its top, each line a link to the field.
 * Tables: on phones every table in <main> with a header row becomes stacked cards (css: table-cards): each
 * cell gets the label of its column as data-label. A table marked .table-keep stays a table.
 * Logging out clears what the offline visit app kept on this phone (issue 19: shared phones), after a
 * warning when visits are still waiting to be sent.
 */
(function () {
  "use strict";
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  each("main table.table:not(.table-keep)", function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(th.textContent.trim()); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[col] || ""); }
          col += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("table-cards");
  });
  each("select[data-subtypes]", function (select) {
    var boxes = document.querySelectorAll('input[name="' + select.getAttribute("data-subtypes") + '"][data-category]');
    var hint = document.createElement("span");
    hint.className = "small text-muted";
    if (boxes.length) { (boxes[0].closest(".form-check") || boxes[0].parentNode).parentNode.appendChild(hint); }
    function show(changed) {
      var shown = 0;
      Array.prototype.forEach.call(boxes, function (box) {
        var mine = box.getAttribute("data-category") === select.value;
        var item = box.closest(".form-check") || box.parentNode;
        item.classList.toggle("d-none", !mine && !box.checked);  // a ticked one stays in sight
        if (!mine && changed === true) { box.checked = false; item.classList.add("d-none"); }
        if (!item.classList.contains("d-none")) { shown += 1; }
      });
      hint.textContent = shown ? "" : (select.value ? "该类别没有子类" : "请先选择类别");
    }
    if (boxes.length) { select.addEventListener("change", function () { show(true); }); show(false); }
  });
  each("form[data-filter-sheet]", function (form, index) {
    var id = "filter-sheet-" + index;
    var set = 0;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit") { return; }
      if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value) { set += 1; }
    });
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary d-md-none mb-3 w-100";
    button.setAttribute("data-bs-toggle", "offcanvas");
    button.setAttribute("data-bs-target", "#" + id);
    button.innerHTML = '<i class="bi bi-funnel"></i> 筛选' + (set ? ' <span class="badge text-bg-primary">' + set + "</span>" : "");
    var sheet = document.createElement("div");
    sheet.className = "offcanvas-md offcanvas-bottom filter-sheet";
    sheet.id = id;
    sheet.tabIndex = -1;
    sheet.innerHTML = '<div class="offcanvas-header d-md-none"><h2 class="offcanvas-title h5">筛选</h2>' +
      '<button type="button" class="btn-close" data-bs-dismiss="offcanvas" data-bs-target="#' + id + '" aria-label="关闭"></button></div>' +
      '<div class="offcanvas-body d-block"></div>';
    form.parentNode.insertBefore(button, form);
    form.parentNode.insertBefore(sheet, form);
    sheet.lastChild.appendChild(form);
  });
  each("form", function (form) {
    if (form.querySelector(".form-error-summary")) { return; }
    var invalid = form.querySelectorAll(".is-invalid");
    if (!invalid.length) { return; }
    var box = document.createElement("div");
    box.className = "alert alert-danger form-error-summary";
    box.setAttribute("role", "alert");
    var title = document.createElement("div");
    title.className = "fw-bold";
    title.textContent = "有 " + invalid.length + " 处需要修改：";
    var list = document.createElement("ul");
    list.className = "mb-0 ps-3";
    Array.prototype.forEach.call(invalid, function (field) {
      var label = field.id && form.querySelector('label[for="' + field.id + '"]');
      var feedback = field.parentNode.querySelector(".invalid-feedback");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "alert-link";
      link.href = "#" + field.id;
      link.textContent = label ? label.textContent.replace("*", "").trim() : (field.name || "");
      item.appendChild(link);
      if (feedback) { item.appendChild(document.createTextNode("：" + feedback.textContent.trim())); }
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    form.insertBefore(box, form.firstChild);
  });
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
