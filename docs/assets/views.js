/* Guidance-group views: filter the ledger table, sort the comparison table; on every page,
 * wide tables are focusable, named scroll boxes.
 * Progressive enhancement only: without this script both pages are complete tables.
 * No network access, no dependencies. */
(function () {
  "use strict";

  var STATUS_ORDER = ["未开始", "推进中", "长期坚持", "已完成"];
  var DIMENSIONS = [
    { key: "status", label: "状态", cell: ".kb-col-status .kb-status" },
    { key: "group", label: "指导组", cell: ".kb-col-group" },
    { key: "campaign", label: "学习教育", cell: ".kb-col-campaign" }
  ];

  function text(el) {
    return el ? (el.textContent || "").replace(/\s+/g, " ").trim() : "";
  }

  function options(rows, dim) {
    var labels = {};
    var order = [];
    rows.forEach(function (row) {
      var value = row.getAttribute("data-kb-" + dim.key) || "";
      if (!Object.prototype.hasOwnProperty.call(labels, value)) {
        labels[value] = text(row.querySelector(dim.cell)) || value;
        order.push(value);
      }
    });
    if (dim.key === "status") {
      order.sort(function (a, b) {
        var ia = STATUS_ORDER.indexOf(a), ib = STATUS_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
      });
    }
    return { labels: labels, order: order };
  }

  function setupFilter(table) {
    if (table.getAttribute("data-kb-ready")) return;
    table.setAttribute("data-kb-ready", "1");
    var box = document.createElement("div");
    box.className = "kb-filter";
    box.setAttribute("role", "search");
    box.setAttribute("aria-label", "筛选台账");
    table.parentNode.insertBefore(box, table);
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var params = new URLSearchParams(window.location.search);
    var selects = {};

    DIMENSIONS.forEach(function (dim) {
      var found = options(rows, dim);
      var label = document.createElement("label");
      label.className = "kb-filter__field";
      label.appendChild(document.createTextNode(dim.label + "："));
      var select = document.createElement("select");
      select.name = dim.key;
      select.add(new Option("全部", ""));
      found.order.forEach(function (value) {
        select.add(new Option(found.labels[value], value));
      });
      var wanted = params.get(dim.key);
      if (wanted && found.order.indexOf(wanted) >= 0) select.value = wanted;
      select.addEventListener("change", apply);
      label.appendChild(select);
      box.appendChild(label);
      selects[dim.key] = select;
    });

    var overdueLabel = document.createElement("label");
    overdueLabel.className = "kb-filter__field";
    var overdue = document.createElement("input");
    overdue.type = "checkbox";
    overdue.name = "overdue";
    overdue.checked = params.get("overdue") === "yes";
    overdue.addEventListener("change", apply);
    overdueLabel.appendChild(overdue);
    overdueLabel.appendChild(document.createTextNode(" 只看逾期"));
    box.appendChild(overdueLabel);

    var count = document.createElement("span");
    count.className = "kb-filter__count";
    count.setAttribute("aria-live", "polite");
    box.appendChild(count);

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var visible = DIMENSIONS.every(function (dim) {
          var value = selects[dim.key].value;
          return !value || row.getAttribute("data-kb-" + dim.key) === value;
        }) && (!overdue.checked || row.getAttribute("data-kb-overdue") === "yes");
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 条";
      var query = new URLSearchParams();
      DIMENSIONS.forEach(function (dim) {
        if (selects[dim.key].value) query.set(dim.key, selects[dim.key].value);
      });
      if (overdue.checked) query.set("overdue", "yes");
      var search = query.toString();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }

    apply();
  }

  function cellKey(row, col) {
    var raw = text(row.cells[col]);
    var number = parseFloat(raw.replace(/[,，%]/g, ""));
    return { raw: raw, number: /^[-\d.,，%]+$/.test(raw) && !isNaN(number) ? number : null };
  }

  function setupSort(wrap) {
    var table = wrap.querySelector("table");
    if (!table || !table.tHead || !table.tBodies.length || wrap.getAttribute("data-kb-ready")) return;
    wrap.setAttribute("data-kb-ready", "1");
    var body = table.tBodies[0];
    var original = Array.prototype.slice.call(body.rows);
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var collator = new Intl.Collator("zh-Hans-CN-u-co-pinyin");

    headers.forEach(function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-sort";
      button.title = "按此列排序";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(col, th); });
    });

    function sortBy(col, th) {
      var numeric = original.some(function (row) { return cellKey(row, col).number !== null; });
      var current = th.getAttribute("aria-sort");
      var descending = current ? current === "ascending" : numeric;
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var keyed = original.map(function (row, index) {
        return { row: row, index: index, key: cellKey(row, col) };
      });
      keyed.sort(function (a, b) {
        var av = numeric ? a.key.number : a.key.raw;
        var bv = numeric ? b.key.number : b.key.raw;
        var aMissing = av === null || av === "" || av === "—";
        var bMissing = bv === null || bv === "" || bv === "—";
        if (aMissing || bMissing) return (aMissing - bMissing) || (a.index - b.index);
        var order = numeric ? av - bv : collator.compare(av, bv);
        return (descending ? -order : order) || (a.index - b.index);
      });
      keyed.forEach(function (item) { body.appendChild(item.row); });
    }
  }

  // Material wraps every table in a scroll box; a keyboard user reaches a box that scrolls
  // (tabindex 0) and a screen reader hears which table it is (role region, aria-label).
  function tableName(wrap) {
    var table = wrap.querySelector("table");
    var caption = table && table.caption;
    if (caption) return text(caption);
    var node = wrap;
    while (node && node !== document.body) {
      var prev = node.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) return text(prev).replace(/¶$/, "").trim();
        prev = prev.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "";
  }

  function setupScrollBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (wrap) {
      if (!wrap.getAttribute("role")) {
        var name = tableName(wrap);
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name ? "表格：" + name : "表格");
      }
      if (wrap.scrollWidth > wrap.clientWidth + 1) wrap.setAttribute("tabindex", "0");
      else wrap.removeAttribute("tabindex");
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(setupScrollBoxes, 150);
  });

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".kb-filterable"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll(".kb-sortable"), setupSort);
    setupScrollBoxes();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
