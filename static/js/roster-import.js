// Roster import page: follow a running import. A static file: the CSP allows scripts from 'self' only.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-bar");
  bar.style.width = bar.dataset.percent + "%";
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      if (!p.running) { window.location.reload(); return; }
      document.getElementById("import-stage").textContent = p.stage;
      var bar = document.getElementById("import-bar");
      bar.style.width = p.percent + "%"; bar.textContent = p.percent + "%";
      document.getElementById("import-count").textContent = p.processed + " / " + p.total;
      setTimeout(poll, 1500);
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
