// Ledger lines form: add a row (copying the row above), show the fields a purchase or a sale needs.
// A static file, not inline: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  var tpl = document.getElementById("empty-line").innerHTML;
  document.getElementById("add-line").addEventListener("click", function () {
    var n = parseInt(total.value, 10);
    if (n >= 50) { return; }
    var cards = document.querySelectorAll(".ledger-line");
    var previous = cards[cards.length - 1];
    document.getElementById("lines").insertAdjacentHTML("beforeend", tpl.replace(/__prefix__/g, n));
    total.value = n + 1;
    // A new row starts like the one above it (same type, date, kind and supplier): fewer taps on a phone.
    ["direction", "occurred_on", "kind", "supplier_name"].forEach(function (f) {
      var from = previous && previous.querySelector("[name$='-" + f + "']");
      var to = document.querySelector("[name='lines-" + n + "-" + f + "']");
      if (from && to) { to.value = from.value; }
    });
  });
  // Purchases ask for the supplier and 索证索票; sales for the buyer. Show what the line's type needs.
  function sync(card) {
    var dir = card.querySelector("[name$='-direction']");
    if (!dir) { return; }
    var sale = dir.value === "out";
    ["supplier_name", "supplier_code", "certificate_collected", "certificate_kind", "invoice_collected"].forEach(function (f) {
      var el = card.querySelector("[data-field='" + f + "']"); if (el) { el.hidden = sale; }
    });
    var buyer = card.querySelector("[data-field='buyer_name']"); if (buyer) { buyer.hidden = !sale; }
  }
  document.getElementById("lines").addEventListener("change", function (e) {
    if (e.target.name && e.target.name.endsWith("-direction")) { sync(e.target.closest(".ledger-line")); }
  });
  document.querySelectorAll(".ledger-line").forEach(sync);
  new MutationObserver(function () { document.querySelectorAll(".ledger-line").forEach(sync); })
    .observe(document.getElementById("lines"), { childList: true });
})();
