/* Behaviour every page may use, declared with data attributes: the Content-Security-Policy refuses
 * inline handlers (onclick=, onchange=, onsubmit=) and style= attributes.
 *   data-print            a button that opens the print dialog
 *   data-autosubmit       a select whose form is submitted when it changes
 *   data-confirm="…"      a form that asks before it is submitted
 *   data-width="42"       an element (a progress bar) whose width is that percentage
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
})();
