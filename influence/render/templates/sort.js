(function () {
  "use strict";
  var table = document.getElementById("accounts");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function key(row, col) {
    var cell = row.cells[col];
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { raw = cell.textContent.trim(); }
    var num = raw === "" ? NaN : Number(raw);
    return { num: num, text: raw.toLowerCase() };
  }
  function compare(a, b) {
    var an = !isNaN(a.num), bn = !isNaN(b.num);
    if (an && bn) { return a.num - b.num; }
    if (an !== bn) { return an ? -1 : 1; }
    return a.text.localeCompare(b.text);
  }
  function sortBy(col) {
    var th = heads[col];
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    for (var i = 0; i !== heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, i) { row.setAttribute("data-order", String(i)); });
    rows.sort(function (r1, r2) {
      var c = compare(key(r1, col), key(r2, col));
      if (dir === "descending") { c = -c; }
      return c || Number(r1.getAttribute("data-order")) - Number(r2.getAttribute("data-order"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    if (th.getAttribute("data-sortable") === null) { return; }
    var button = th.querySelector("button");
    (button || th).addEventListener("click", function () { sortBy(col); });
  });
  // Filtering: a row stays when its text (titles included) holds every typed word,
  // ignoring case and accents.
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var rows = Array.prototype.slice.call(body.rows);
  var haystack = rows.map(function (row) {
    var parts = [row.textContent];
    Array.prototype.forEach.call(row.querySelectorAll("[title]"), function (el) {
      parts.push(el.getAttribute("title"));
    });
    return fold(parts.join(" "));
  });
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  function filter() {
    var words = fold(input.value).split(/\s+/).filter(function (w) { return w !== ""; });
    var n = 0;
    rows.forEach(function (row, i) {
      var keep = words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
      row.hidden = !keep;
      if (keep) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length + " shown";
  }
  if (input) { input.addEventListener("input", filter); }
})();
