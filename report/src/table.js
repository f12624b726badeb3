// Sortable tables that draw a bounded number of rows (a cluster may have thousands of members): the first `limit`
// rows in the current order, and a button for more.
import { el, clear } from "./dom.js";
import { count } from "./format.js";

// columns: [{label, sort(row) → number | string, cell(row) → Node | string, numeric, title}]
// options: {rows, limit, sortBy (column index), descending, onRowClick(row), key(row) → string, empty, caption}
export function dataTable(columns, options) {
  const state = { sortBy: options.sortBy ?? null, descending: options.descending ?? false, shown: options.limit ?? 200,
                  highlighted: null };
  let rows = options.rows.slice();
  const tbody = el("tbody");
  const more = el("button", { type: "button", class: "more" });
  const heads = columns.map((column, index) => {
    const button = el("button", { type: "button", class: "sort", title: column.title ?? `Sort by ${column.label}` }, column.label);
    const th = el("th", { scope: "col", class: column.numeric ? "num" : "" }, column.sort ? button : column.label);
    button.addEventListener("click", () => {
      state.descending = state.sortBy === index ? !state.descending : column.numeric === true;
      state.sortBy = index;
      sortRows();
      draw();
    });
    return th;
  });
  const tableEl = el("table", { class: "data-table" }, options.caption ? el("caption", {}, options.caption) : null,
                     el("thead", {}, el("tr", {}, heads)), tbody);
  const wrap = el("div", { class: "table-wrap" }, tableEl);
  const box = el("div", { class: "table-box" }, wrap, more);

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (a == null || (typeof a === "number" && Number.isNaN(a))) return 1;
    if (b == null || (typeof b === "number" && Number.isNaN(b))) return -1;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
  function sortRows() {
    if (state.sortBy == null) return;
    const get = columns[state.sortBy].sort;
    const keyed = rows.map((row, i) => [get(row), i, row]);
    keyed.sort((x, y) => {
      const missingX = x[0] == null || Number.isNaN(x[0]);
      const missingY = y[0] == null || Number.isNaN(y[0]);
      if (missingX !== missingY) return missingX ? 1 : -1;  // missing values last in both orders
      const c = compare(x[0], y[0]);
      return (state.descending ? -c : c) || x[1] - y[1];
    });
    rows = keyed.map((k) => k[2]);
    heads.forEach((th, i) => th.setAttribute("aria-sort", i === state.sortBy ? (state.descending ? "descending" : "ascending") : "none"));
  }
  function draw() {
    clear(tbody);
    if (rows.length === 0) {
      tbody.append(el("tr", {}, el("td", { colSpan: columns.length, class: "empty-row" }, options.empty ?? "none")));
    }
    for (const row of rows.slice(0, state.shown)) {
      const tr = el("tr", {}, columns.map((column) => el("td", { class: [column.numeric ? "num" : "", column.className ?? ""].join(" ").trim() }, column.cell(row))));
      if (options.key) {
        tr.dataset.key = options.key(row);
        if (state.highlighted === tr.dataset.key) tr.classList.add("selected");
      }
      if (options.onRowClick) {
        tr.classList.add("clickable");
        tr.tabIndex = 0;
        tr.addEventListener("click", (event) => {
          if (event.target.closest("button")) return;
          options.onRowClick(row);
        });
        tr.addEventListener("keydown", (event) => {
          if (event.key === "Enter") options.onRowClick(row);
        });
      }
      tbody.append(tr);
    }
    const rest = rows.length - Math.min(state.shown, rows.length);
    more.hidden = rest <= 0;
    more.textContent = `Show ${count(Math.min(rest, options.limit ?? 200))} more of ${count(rest)} not shown`;
  }
  more.addEventListener("click", () => {
    state.shown += options.limit ?? 200;
    draw();
  });
  sortRows();
  draw();

  return {
    element: box,
    // Marks the row with this key (drawing it if it was beyond the rows shown); returns its <tr> or null.
    highlight(key) {
      state.highlighted = key;
      const index = rows.findIndex((row) => options.key(row) === key);
      if (index >= state.shown) state.shown = index + 1;
      draw();
      return [...tbody.children].find((tr) => tr.dataset.key === key) ?? null;
    },
  };
}
