/* The roster import page while a preview or import runs in the background: poll its progress and reload
 * when it is done. A static file because the Content-Security-Policy refuses inline scripts and style
 * attributes (the bar's width is set here, through the DOM, which the policy allows). */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-bar");
  function show(percent) { bar.style.width = percent + "%"; bar.textContent = percent + "%"; }
  show(bar.getAttribute("data-percent") || 0);
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (p) {
      if (!p.running) { window.location.reload(); return; }
      document.getElementById("import-stage").textContent = p.stage;
      show(p.percent);
      document.getElementById("import-count").textContent = p.processed + " / " + p.total;
      setTimeout(poll, 1500);
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
