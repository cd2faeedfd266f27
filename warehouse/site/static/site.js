/* The index's search, sort and filters, in plain JavaScript over the table already in the
   page: no request is made, so it works from file:// and on any static host. Without this
   script the table still lists every institution. */
(function () {
  "use strict";

  var table = document.getElementById("institutions");
  var controls = document.getElementById("controls");
  if (!table || !controls) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var shown = document.getElementById("shown");
  var noMatch = document.getElementById("no-match");
  var query = document.getElementById("q");
  var filters = {
    sido: document.getElementById("f-sido"),
    level: document.getElementById("f-level"),
    crawled: document.getElementById("f-crawled"),
    compliance: document.getElementById("f-compliance"),
    over30: document.getElementById("f-over30")
  };
  var collator = window.Intl && Intl.Collator ? new Intl.Collator("ko") : null;

  /* The same folding as the page's data-search: NFKC, no spaces, lower case. */
  function fold(text) {
    var value = String(text || "");
    if (value.normalize) {
      value = value.normalize("NFKC");
    }
    return value.replace(/\s+/g, "").toLowerCase();
  }

  function sortValue(row, column) {
    var cell = row.cells[column];
    if (cell.hasAttribute("data-sort")) {
      return cell.getAttribute("data-sort");
    }
    return cell.textContent.trim();
  }

  /* Two present values; missing ones are placed by the caller. */
  function compare(a, b, numeric) {
    if (numeric) {
      return Number(a) - Number(b);
    }
    return collator ? collator.compare(a, b) : (a < b ? -1 : (a > b ? 1 : 0));
  }

  function sortBy(column, descending) {
    var numeric = headers[column].getAttribute("data-type") === "num";
    var order = rows.map(function (row, position) {
      return { row: row, key: sortValue(row, column), position: position };
    });
    order.sort(function (x, y) {
      var emptyX = x.key === "" || x.key === "–";
      var emptyY = y.key === "" || y.key === "–";
      if (emptyX !== emptyY) {
        return emptyX ? 1 : -1; /* missing values last, whichever way */
      }
      var result = compare(x.key, y.key, numeric);
      if (descending) {
        result = -result;
      }
      return result || x.position - y.position;
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (item) {
      fragment.appendChild(item.row);
    });
    body.appendChild(fragment);
    headers.forEach(function (header, index) {
      var state = "none";
      if (index === column) {
        state = descending ? "descending" : "ascending";
      }
      header.setAttribute("aria-sort", state);
    });
  }

  function applyFilters() {
    var wanted = fold(query.value);
    var count = 0;
    rows.forEach(function (row) {
      var visible =
        (!wanted || row.getAttribute("data-search").indexOf(wanted) !== -1) &&
        (!filters.sido.value || row.getAttribute("data-sido") === filters.sido.value) &&
        (!filters.level.value || row.getAttribute("data-level") === filters.level.value) &&
        (!filters.crawled.value || row.getAttribute("data-crawled") === filters.crawled.value) &&
        (!filters.compliance.value ||
          row.getAttribute("data-compliance") === filters.compliance.value) &&
        (!filters.over30.value || row.getAttribute("data-over30") === filters.over30.value);
      row.hidden = !visible;
      if (visible) {
        count += 1;
      }
    });
    shown.textContent = rows.length + "개 기관 중 " + count + "개 표시";
    noMatch.hidden = count !== 0;
  }

  headers.forEach(function (header, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (header.firstChild) {
      button.appendChild(header.firstChild);
    }
    header.appendChild(button);
    header.setAttribute("aria-sort", "none");
    button.title = "눌러서 정렬 (한 번 더 누르면 반대 순서)";
    button.addEventListener("click", function () {
      sortBy(column, header.getAttribute("aria-sort") === "ascending");
    });
  });

  query.addEventListener("input", applyFilters);
  Object.keys(filters).forEach(function (name) {
    filters[name].addEventListener("change", applyFilters);
  });
  controls.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  controls.addEventListener("reset", function () {
    window.setTimeout(applyFilters, 0); /* after the form has cleared its fields */
  });

  controls.hidden = false;
  applyFilters();
})();
