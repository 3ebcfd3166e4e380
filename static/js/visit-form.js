/* The visit form keeps what was typed if the connection drops: every change is stored in localStorage
 * under the visit's key, restored on load, and cleared once the server has saved it (data-saved="1").
 * Files cannot be stored; the notice says so. Also: optional geolocation, and outcome-dependent fields. */
(function () {
  "use strict";
  var storage = null;
  try { storage = window.localStorage; storage.setItem("wuxiao-probe", "1"); storage.removeItem("wuxiao-probe"); } catch (e) { storage = null; }

  // A submitted visit's page clears any copy left on this phone.
  var clear = document.querySelector("[data-autosave-clear]");
  if (clear && storage) { storage.removeItem(clear.getAttribute("data-autosave-clear")); }

  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var key = form.getAttribute("data-autosave-key");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.type !== "button" && el.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot() {
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "radio") { if (el.checked) { data[el.name] = el.value; } }
      else if (el.type === "checkbox") { data[el.name] = el.checked ? "1" : ""; }
      else { data[el.name] = el.value; }
    });
    return data;
  }

  function save() {
    if (!storage) { return; }
    try { storage.setItem(key, JSON.stringify({ at: Date.now(), data: snapshot() })); } catch (e) { /* quota: ignore */ }
  }

  function restore() {
    if (!storage) { return false; }
    var raw = storage.getItem(key);
    if (!raw) { return false; }
    var stored;
    try { stored = JSON.parse(raw).data || {}; } catch (e) { storage.removeItem(key); return false; }
    var changed = false;
    fields().forEach(function (el) {
      if (!(el.name in stored)) { return; }
      var value = stored[el.name];
      if (el.type === "radio") {
        var on = el.value === value;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.type === "checkbox") {
        var checked = value === "1";
        if (el.checked !== checked) { el.checked = checked; changed = true; }
      } else if (el.value !== value) { el.value = value; changed = true; }
    });
    return changed;
  }

  if (form.getAttribute("data-saved") === "1") {
    if (storage) { storage.removeItem(key); }
  } else if (restore()) {
    var notice = document.getElementById("autosave-restored");
    if (notice) { notice.classList.remove("d-none"); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  // Outcome-dependent parts: show the deadline only for 限期整改, the department only for 移送.
  var outcome = form.querySelector("[name=outcome]");
  function showOutcome() {
    var value = outcome ? outcome.value : "";
    Array.prototype.forEach.call(form.querySelectorAll("[data-outcome-panel]"), function (panel) {
      panel.classList.toggle("d-none", panel.getAttribute("data-outcome-panel") !== value);
    });
  }
  if (outcome) { outcome.addEventListener("change", showOutcome); showOutcome(); }

  // Optional location from the browser.
  var locate = document.getElementById("locate-btn");
  var status = document.getElementById("locate-status");
  if (locate) {
    if (!("geolocation" in navigator)) { locate.disabled = true; }
    locate.addEventListener("click", function () {
      status.textContent = "定位中…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("[name=location_accuracy]").value = Math.round(pos.coords.accuracy);
        status.textContent = pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5) + "（±" + Math.round(pos.coords.accuracy) + "米）";
        save();
      }, function () { status.textContent = "无法获取位置"; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // One thumb (issue 19): "其余全部符合" answers every item not answered yet; a note and a photo are asked
  // for only once an item is 不符合 (kept open when they already hold something).
  function answered(item) { return item.querySelector("input.btn-check:checked"); }
  function showFailOnly() {
    Array.prototype.forEach.call(form.querySelectorAll(".visit-item"), function (item) {
      var extra = item.querySelector("[data-fail-only]");
      if (!extra) { return; }
      var failed = item.querySelector("input.btn-check[value=fail]:checked");
      extra.classList.toggle("d-none", !failed && !extra.hasAttribute("data-keep"));
    });
  }
  var restPass = form.querySelector("[data-rest-pass]");
  if (restPass) {
    restPass.classList.remove("d-none");
    restPass.addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll(".visit-item"), function (item) {
        if (answered(item)) { return; }
        var pass = item.querySelector("input.btn-check[value=pass]");
        if (pass) { pass.checked = true; }
      });
      showFailOnly();
      save();
    });
  }
  form.addEventListener("change", showFailOnly);
  showFailOnly();

  // Photos are made smaller on the phone before they are sent (at most 1600 px, JPEG): a slow connection
  // carries a fifth of the bytes. The server still checks and re-encodes every photo.
  var MAX_SIDE = 1600;
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\//.test(file.type)) { resolve(file); return; }
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
        if (scale === 1 && file.size < 1024 * 1024) { URL.revokeObjectURL(img.src); resolve(file); return; }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(img.src);
        canvas.toBlob(function (blob) {
          resolve(blob ? new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.8);
      };
      img.onerror = function () { resolve(file); };
      img.src = URL.createObjectURL(file);
    });
  }
  if (window.DataTransfer) {
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file][accept^='image']"), function (input) {
      input.addEventListener("change", function () {
        if (input.getAttribute("data-shrunk") === "1") { input.removeAttribute("data-shrunk"); return; }
        Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
          var transfer = new DataTransfer();
          files.forEach(function (f) { transfer.items.add(f); });
          input.setAttribute("data-shrunk", "1");
          input.files = transfer.files;
        });
      });
    });
  }
})();
