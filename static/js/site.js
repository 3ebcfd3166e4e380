/* Behaviour every page may use, declared with data attributes: the Content-Security-Policy refuses
 * inline handlers (onclick=, onchange=, onsubmit=) and style= attributes.
 *   data-print            a button that opens the print dialog
 *   data-autosubmit       a select whose form is submitted when it changes
 *   data-confirm="…"      a form that asks before it is submitted
 *   data-width="42"       an element (a progress bar) whose width is that percentage
 *   data-business-search="/businesses/search.json"
 *                         a text input for a business (campaigns.forms.BusinessField): as the user types,
 *                         its <datalist> is filled with a few matches from that JSON endpoint
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
})();
