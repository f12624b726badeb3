// The cibgraph report: reads the report JSON from #cibgraph-data and builds the page. It opens on what was found:
// findings (the headline figures and the strongest clusters with their why; when nothing was found, what to try),
// the overview of the coordination network, clusters ranked by strength (network view, why, members, evidence,
// targets, timeline, delays), accounts, search by account id; then the run's provenance (inputs, rows, window,
// parameters, run).
import { el, clear, dataText, asText, shortLabel } from "./dom.js";
import * as fmt from "./format.js";
import { columnChart, barList } from "./charts.js";
import { dataTable } from "./table.js";
import { NetworkView, viewFrame, wireToolbar } from "./network.js";
import { readData, clusterOf, evidenceOf, arr, obj } from "./data.js";

const PALETTE = ["#d9480f", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#e67700", "#0c8599", "#c2255c", "#5f3dc4", "#66a80f", "#495057"];
const UNCLUSTERED = "#8d99a6";
const EVIDENCE_PAIRS_SHOWN = 60;
const EVIDENCE_ROWS_SHOWN = 25;
const FINDINGS_CLUSTERS = 3; // clusters whose why opens the page

const state = { data: null, views: {}, detail: null, selectedCluster: null, selectedAccount: null };

function section(id, title, ...children) {
  return el("section", { id, class: "section" }, el("h2", {}, title), children);
}

// A section body that cannot take the page down with it: a failure shows where it happened.
function guarded(name, build) {
  try {
    return build();
  } catch (error) {
    return el("p", { class: "render-error" }, `The ${name} could not be shown: ${error?.message ?? error}`);
  }
}

function keyValues(pairs) {
  return el("dl", { class: "kv" }, pairs.filter(Boolean).map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function figure(value, label, note) {
  return el("div", { class: "figure" }, el("div", { class: "figure-value" }, value), el("div", { class: "figure-label" }, label),
            note ? el("div", { class: "figure-note" }, note) : null);
}

// ---------------------------------------------------------------- header and search

function header(data) {
  const input = el("input", { type: "search", id: "search-input", placeholder: "account id", autocomplete: "off",
                              spellcheck: false, "aria-label": "Search by account id" });
  const form = el("form", { id: "search", role: "search" }, input, el("button", { type: "submit" }, "Find"));
  const results = el("div", { id: "search-results", "aria-live": "polite" });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search(input.value, results);
  });
  const started = asText(data.run.started);
  return el("header", { class: "page-header" },
    el("div", { class: "title-row" },
      el("div", {}, el("h1", {}, "Coordinated account networks"),
         el("p", { class: "subtitle" }, "cibgraph ", dataText(data.version, 40), started ? [" \u00b7 run started ", dataText(started, 40)] : null)),
      el("div", { class: "search-box" }, form, results)),
    el("nav", {}, [["findings", "Findings"], ["overview", "Overview"], ["clusters", "Clusters"], ["accounts", "Accounts"],
                   ["provenance", "Provenance"]]
      .map(([id, label]) => el("a", { href: `#${id}` }, label))));
}

function search(query, results) {
  const data = state.data;
  clear(results);
  const q = query.trim();
  if (!q) return;
  if (data.accountById.has(q) || data.evidence.has(q)) {
    selectAccount(q, { scroll: true });
    results.append(el("p", { class: "search-hit" }, "Found ", dataText(q, 60)));
    return;
  }
  const lower = q.toLowerCase();
  const hits = [];
  for (const id of data.accountById.keys()) {
    if (id.toLowerCase().includes(lower)) hits.push(id);
    if (hits.length > 20) break;
  }
  if (hits.length === 0) {
    results.append(el("p", { class: "search-miss" }, "No account id contains ", dataText(q, 60)));
    return;
  }
  if (hits.length === 1) {
    selectAccount(hits[0], { scroll: true });
    results.append(el("p", { class: "search-hit" }, "Found ", dataText(hits[0], 60)));
    return;
  }
  results.append(el("p", {}, hits.length > 20 ? "More than 20 accounts match; the first 20:" : `${hits.length} accounts match:`),
    el("ul", { class: "search-list" }, hits.slice(0, 20).map((id) =>
      el("li", {}, el("button", { type: "button", class: "link", onclick: () => selectAccount(id, { scroll: true }) }, dataText(id, 60))))));
}

// ---------------------------------------------------------------- findings

// Why the kept links are kept (summary.edges_kept_by), in words: "1,200 by FDR, 14 as ties inside coordinated clusters".
const KEPT_BY_WORDS = {
  fdr: "by FDR", "min-co-actions": "by co-action count", percentile: "by percentile", none: "with no filter",
  cluster: "as ties inside coordinated clusters", unrecorded: "for a reason not recorded",
};
const keptByWords = (name) => KEPT_BY_WORDS[name] ?? `by ${name}`;

function keptByNote(s) {
  const parts = Object.entries(obj(s.edges_kept_by)).filter(([, n]) => fmt.num(n) > 0)
    .map(([name, n]) => `${fmt.int(n)} ${keptByWords(name)}`);
  const tested = `of ${fmt.int(s.edges_tested)} tested against the null model`;
  return parts.length ? `${parts.join(", ")}; ${tested}` : tested;
}

function findings(data) {
  const s = data.summary;
  const win = data.window;
  const nClusters = fmt.num(s.clusters) ?? data.clusters.length;
  const figures = el("div", { class: "figures" },
    figure(fmt.int(s.accounts_flagged), "accounts flagged", `in ${fmt.counted(nClusters, "coordinated cluster")}`),
    s.accounts_in_network != null
      ? figure(fmt.int(s.accounts_in_network), "accounts linked", `of ${fmt.counted(s.accounts, "account")} in ${fmt.counted(s.events, "event")}`)
      : figure(fmt.int(s.accounts), "accounts in the network", fmt.counted(s.events, "event")),
    figure(fmt.int(s.edges_kept), "links kept", keptByNote(s)),
    figure(fmt.seconds(win.seconds), "co-action window", win.auto === true ? "chosen automatically" : "set by the run"));
  const body = [figures];
  if (data.clusters.length === 0) {
    body.push(el("p", { class: "empty" }, "No cluster of coordinated accounts was found at these settings."));
    const suggestions = arr(s.suggestions).map(asText).filter(Boolean);
    if (suggestions.length) {
      body.push(el("h3", {}, "What to try"),
        el("ul", { class: "suggestions" }, suggestions.map((t) => el("li", {}, dataText(t, 600)))));
    }
  } else {
    const top = data.clusters.slice(0, FINDINGS_CLUSTERS);
    body.push(el("h3", {}, data.clusters.length > top.length ? `The ${top.length} strongest clusters` : "The clusters"),
      top.map((c) => el("article", { class: "finding", dataset: { cluster: c.key } },
        el("h4", {}, el("button", { type: "button", class: "link", onclick: () => selectCluster(c.key, { scroll: true }) },
          "Cluster ", dataText(c.key, 20)),
          ` \u2014 ${fmt.counted(c.size ?? c.members.length, "account")}, ${c.targets_at_least === true ? "at least " : ""}${fmt.counted(c.targets, "target")}`,
          c.evidence ? [", evidence: ", dataText(c.evidence, 40)] : null, `, ${fmt.pPhrase(c.p_value)}`),
        el("p", { class: "why-text" }, asText(c.why) || "No explanation recorded."))));
    if (data.clusters.length > top.length) {
      body.push(el("p", { class: "hint" }, `${fmt.counted(data.clusters.length - top.length, "more cluster")} in the ranking below; the run's inputs, rows and parameters are at the end of the page.`));
    }
  }
  return section("findings", "Findings", body);
}

// ---------------------------------------------------------------- provenance

function provenance(data) {
  const s = data.summary;
  const rows = data.rows;
  const run = data.run;
  const win = data.window;

  const inputs = dataTable([
    { label: "file", cell: (i) => dataText(i.path, 60), sort: (i) => asText(i.path) },
    { label: "SHA-256", cell: (i) => el("code", { class: "hash" }, dataText(i.sha256, 64)) },
    { label: "size", cell: (i) => el("span", { title: `${fmt.int(i.bytes)} bytes` }, fmt.bytes(i.bytes)), sort: (i) => fmt.num(i.bytes), numeric: true },
    { label: "rows read", cell: (i) => fmt.int(i.rows_read), sort: (i) => fmt.num(i.rows_read), numeric: true },
    { label: "accepted", cell: (i) => fmt.int(i.rows_accepted), sort: (i) => fmt.num(i.rows_accepted), numeric: true },
    { label: "rejected", cell: (i) => fmt.int(i.rows_rejected), sort: (i) => fmt.num(i.rows_rejected), numeric: true },
  ], { rows: data.inputs, limit: 50, empty: "no inputs recorded" });

  const reasons = arr(rows.top_reject_reasons).filter((r) => r && typeof r === "object");
  const rowFacts = el("div", {},
    keyValues([
      ["read", fmt.int(rows.read)],
      ["accepted", `${fmt.int(rows.accepted)} ${fmt.percent(rows.accepted, rows.read)}`],
      ["rejected", `${fmt.int(rows.rejected)} ${fmt.percent(rows.rejected, rows.read)} (every rejected row is in rejects.csv with its reason)`],
    ]),
    reasons.length ? dataTable([
      { label: "top reject reasons", cell: (r) => dataText(r.reason, 120) },
      { label: "rows", cell: (r) => fmt.int(r.count), numeric: true },
    ], { rows: reasons, limit: 20 }).element : null);

  const estimate = obj(win.estimate);
  const windowFacts = keyValues([
    ["window", fmt.seconds(win.seconds)],
    ["chosen", win.auto === true ? "automatically, from the data" : "by the run's parameters"],
    ...Object.entries(estimate).map(([k, v]) => [`estimate: ${k}`, estimateValue(k, v)]),
  ]);

  const csv = obj(s.evidence_csv);
  const outputFacts = csv.edges != null ? keyValues([
    ["edges.csv", `every kept link (${fmt.int(s.edges_kept)}), with kept_by: why it is kept`],
    ["evidence.csv", fmt.num(csv.edges) < fmt.num(csv.edges_kept)
      ? `the co-actions of ${fmt.int(csv.edges)} of the ${fmt.int(csv.edges_kept)} kept links: each account's ${fmt.int(csv.edges_per_account)} most significant, up to ${fmt.int(csv.rows_per_edge)} co-actions each (${fmt.int(csv.rows)} rows; --evidence-csv-edges 0 writes every link)`
      : `the co-actions of every kept link, up to ${fmt.int(csv.rows_per_edge)} each (${fmt.int(csv.rows)} rows)`],
  ]) : null;

  const params = Object.entries(data.parameters);
  const parameters = dataTable([
    { label: "parameter", cell: ([k]) => dataText(k, 40), sort: ([k]) => k },
    { label: "value", cell: ([, v]) => el("code", {}, dataText(Array.isArray(v) ? v.map(asText).join(", ") : parameterValue(v), 120)) },
  ], { rows: params, limit: 100, empty: "no parameters recorded" });

  const stages = arr(run.stages).filter((st) => st && typeof st === "object");
  const runFacts = el("div", {},
    keyValues([
      ["version", dataText(data.version, 40)],
      ["command", el("code", { class: "command" }, dataText(arr(run.command).map(asText).join(" "), 400))],
      ["started", dataText(run.started, 40)],
      ["run time", fmt.seconds(run.seconds)],
      ["threads", fmt.int(run.threads)],
      ["seed", dataText(run.seed, 40)],
      betweennessNote(obj(s.betweenness)),
    ]),
    stages.length ? el("div", {}, el("h4", {}, "Time per stage"),
      barList(stages.map((st) => ({ label: dataText(st.name, 30), value: st.seconds })), fmt.seconds)) : null);

  return section("provenance", "Provenance and parameters",
    el("p", { class: "lede" }, "How these findings were made: the inputs with their SHA-256, the rows read and rejected, the co-action window, the output files, every parameter and the run."),
    el("h3", {}, "Inputs"), inputs.element,
    el("div", { class: "grid two" },
      el("div", {}, el("h3", {}, "Rows"), rowFacts, outputFacts ? [el("h3", {}, "Output files"), outputFacts] : null),
      el("div", {}, el("h3", {}, "Run"), runFacts, el("h3", {}, "Co-action window"), windowFacts)),
    el("h3", {}, "Parameters"), parameters.element);
}

// A number of the window estimate as the page spells numbers: seconds as durations, counts as counts.
function estimateValue(key, v) {
  if (typeof v !== "number") return dataText(v, 120);
  if (key === "seconds" || key.endsWith("_s")) return fmt.seconds(v);
  return Number.isInteger(v) ? fmt.int(v) : fmt.real(v);
}

// A parameter's value: a number as the page spells numbers ("1e-6", not "0.000001"; "600,000"), else as written.
function parameterValue(v) {
  if (typeof v !== "number") return v;
  return Number.isInteger(v) && Math.abs(v) >= 1000 ? fmt.int(v) : fmt.real(v);
}

function betweennessNote(b) {
  if (b.exact == null) return null;
  if (b.exact === true) return ["betweenness", "exact (all sources)"];
  return ["betweenness", `estimated from ${fmt.int(b.sources)} sampled sources over ${fmt.int(b.accounts)} accounts` +
    (fmt.num(b.error_bound) != null ? ` (error at most ${fmt.real(b.error_bound)} with ${Math.round(100 * (fmt.num(b.confidence) ?? 0.95))}% confidence)` : "")];
}

// ---------------------------------------------------------------- overview

function overview(data) {
  const nodes = data.overview.nodes;
  const body = [];
  if (nodes.length) {
    const { frame, canvas, status, buttons } = viewFrame("The whole coordination network");
    body.push(el("p", { class: "lede" },
      "The whole coordination network, summarised: one node per flagged cluster (size by its number of accounts), plus linked accounts outside the clusters. Click a cluster to open it."));
    body.push(frame);
    const notShown = fmt.num(obj(data.raw.overview).accounts_not_shown);
    if (notShown > 0) body.push(el("p", { class: "note" }, `${fmt.int(notShown)} more linked accounts outside the clusters are not drawn here; they are in the accounts table and accounts.csv.`));
    state.pendingOverview = () => {
      const index = new Map(nodes.map((n, i) => [asText(n.id), i]));
      const rankOf = new Map(data.clusters.map((c, i) => [c.key, i]));
      const maxSize = Math.max(1, ...nodes.map((n) => fmt.num(n.size) ?? 1));
      const spec = {
        nodes: nodes.map((n) => {
          const clusterKey = n.cluster == null ? null : asText(n.cluster);
          const rank = clusterKey != null ? rankOf.get(clusterKey) : undefined;
          return {
            label: shortLabel(n.label ?? n.id, 40),
            size: 3 + 17 * Math.sqrt((fmt.num(n.size) ?? 1) / maxSize),
            color: rank != null ? PALETTE[rank % PALETTE.length] : UNCLUSTERED,
          };
        }),
        edges: data.overview.edges.filter(Array.isArray).map((e) => [index.get(asText(e[0])), index.get(asText(e[1])), e[2]]),
      };
      const describe = (i) => {
        const n = nodes[i];
        return `${asText(n.label ?? n.id)}`;
      };
      status.textContent = `${fmt.int(nodes.length)} nodes`;
      const view = new NetworkView(canvas, spec, {
        onHoverNode: (i) => (status.textContent = i == null ? `${fmt.int(nodes.length)} nodes` : describe(i)),
        onClickNode: (i) => {
          const n = nodes[i];
          if (n.cluster != null && data.clusterByKey.has(asText(n.cluster))) selectCluster(asText(n.cluster), { scroll: true });
          else {
            const id = asText(n.account ?? n.label);
            if (data.accountById.has(id)) selectAccount(id, { scroll: true });
          }
        },
      });
      wireToolbar(buttons, view);
      state.views.overview = { view, ids: nodes.map((n) => asText(n.id)) };
    };
  } else {
    body.push(el("p", { class: "empty" }, "No coordination network: no link survived the significance test."));
  }
  if (data.clusterSizes.length) {
    const sizes = data.clusterSizes.slice().sort((a, b) => (fmt.num(a.size) ?? 0) - (fmt.num(b.size) ?? 0));
    body.push(el("h3", {}, "Cluster sizes"), columnChart({
      categories: sizes.map((s) => fmt.int(s.size)),
      series: [{ name: "clusters", values: sizes.map((s) => s.count), color: "#1c7ed6" }],
      xTitle: "accounts in the cluster", leftTitle: "clusters",
      describe: (i) => `${fmt.counted(sizes[i].count, "cluster")} of ${fmt.counted(sizes[i].size, "account")}`,
      ariaLabel: "Distribution of cluster sizes",
    }));
  }
  return section("overview", "Overview", body);
}

// ---------------------------------------------------------------- clusters

function clusters(data) {
  const detail = el("div", { id: "cluster-detail" });
  state.detail = detail;
  if (data.clusters.length === 0) {
    return section("clusters", "Clusters", el("p", { class: "empty" },
      "No cluster of coordinated accounts was found at these settings (the findings above say what to try)."), detail);
  }
  const ranking = dataTable([
    { label: "rank", cell: (c) => fmt.int(c.rank), sort: (c) => c.rank, numeric: true },
    { label: "cluster", cell: (c) => dataText(c.key, 20), sort: (c) => fmt.num(c.id) ?? c.key },
    { label: "accounts", cell: (c) => fmt.int(c.size ?? c.members.length), sort: (c) => fmt.num(c.size), numeric: true },
    { label: "density", cell: (c) => fmt.real(c.density), sort: (c) => fmt.num(c.density), numeric: true },
    { label: "evidence", cell: (c) => dataText(asText(c.evidence ?? ""), 30), sort: (c) => asText(c.evidence ?? "") },
    { label: "layers", cell: (c) => dataText(c.layers.join(", "), 40) },
    { label: "median delay", cell: (c) => fmt.seconds(c.median_delay_s), sort: (c) => fmt.num(c.median_delay_s), numeric: true },
    { label: "targets", cell: (c) => `${c.targets_at_least === true ? "\u2265 " : ""}${fmt.int(c.targets)}`, sort: (c) => fmt.num(c.targets), numeric: true },
    { label: "co-actions seen / expected", cell: (c) => `${fmt.int(c.observed)} / ${fmt.real(c.expected)}`,
      sort: (c) => (fmt.num(c.observed) ?? 0) / Math.max(fmt.num(c.expected) ?? 0, 1e-12), numeric: true },
    { label: "p-value", cell: (c) => fmt.pValue(c.p_value), sort: (c) => fmt.num(c.p_value), numeric: true },
    { label: "score", cell: (c) => fmt.real(c.score), sort: (c) => fmt.num(c.score), numeric: true },
  ], { rows: data.clusters, limit: 50, onRowClick: (c) => selectCluster(c.key, { scroll: true }), key: (c) => c.key });
  state.ranking = ranking;
  return section("clusters", "Clusters",
    el("p", { class: "lede" }, "Ranked by strength of coordination (rank 1 is the strongest). Select a cluster for its network, evidence and timeline."),
    ranking.element, detail);
}

function selectCluster(key, { scroll = false, account = null } = {}) {
  const data = state.data;
  const cluster = data.clusterByKey.get(key);
  if (!cluster) return;
  if (state.selectedCluster !== key) {
    state.views.cluster?.view.kill();
    state.views.cluster = null;
    state.selectedCluster = key;
    clear(state.detail);
    state.detail.append(guarded("cluster", () => clusterDetail(data, cluster)));
    state.ranking?.highlight(key);
  }
  if (account != null) showAccountInCluster(account, true);
  if (scroll) state.detail.scrollIntoView({ block: "start" });
}

function clusterDetail(data, cluster) {
  const observed = fmt.num(cluster.observed);
  const expected = fmt.num(cluster.expected);
  const ratio = observed != null && expected != null && expected > 0 ? observed / expected : null;
  const facts = el("div", { class: "figures small" },
    figure(fmt.int(cluster.size ?? cluster.members.length), "accounts"),
    figure(fmt.real(cluster.density), "density", "share of member pairs linked"),
    figure(fmt.seconds(cluster.median_delay_s), "median delay", "between members acting on one target"),
    figure(`${cluster.targets_at_least === true ? "\u2265 " : ""}${fmt.int(cluster.targets)}`, "targets",
      cluster.targets_at_least === true ? "at least: each link keeps its first --evidence-per-edge co-actions" : undefined),
    figure(fmt.int(observed), "co-actions observed", `expected under the null model: ${fmt.real(expected)}` + (ratio != null ? ` (${fmt.real(ratio)} times as many)` : "")),
    figure(fmt.pValue(cluster.p_value), "p-value", "twice the smaller of the two tests' p-values"),
    figure(fmt.pValue(cluster.sync_p), "synchrony p", "acting in step beyond the members' own reaction habits"),
    figure(fmt.pValue(cluster.cotarget_p), "co-targeting p",
      `acting on the same targets beyond their popularity (${fmt.real(fmt.num(cluster.cotarget_expected))} expected)`),
    figure(fmt.real(cluster.score), "score"));

  const why = el("div", { class: "why" }, el("h4", {}, "Why it was flagged"), el("p", {}, asText(cluster.why) ||
    (ratio != null ? `Its members acted together ${fmt.counted(observed, "time")} where the null model expects ${fmt.real(expected)}.` : "No explanation recorded.")));

  // the network view
  const viewNodes = cluster.view.nodes;
  const { frame, canvas, status, buttons } = viewFrame(`Network of cluster ${cluster.key}`);
  const panel = el("div", { class: "account-panel", id: "account-panel" },
    el("p", { class: "hint" }, "Click an account in the network or in the member table to see its evidence."));
  const total = fmt.num(cluster.view.nodes_total) ?? cluster.members.length;
  const edgesTotal = fmt.num(cluster.view.edges_total);
  const note = cluster.view.truncated || viewNodes.length < total
    ? el("p", { class: "note" }, viewNodes.length < total
      ? `This view shows ${fmt.int(viewNodes.length)} of the ${fmt.int(total)} members (the highest scores); the member table below lists them all.`
      : `This view shows ${fmt.int(cluster.view.edges.length)}${edgesTotal != null ? ` of the ${fmt.int(edgesTotal)}` : ""} links (the strongest); edges.csv has them all.`)
    : null;

  const membersTable = memberTable(data, cluster);
  const nodeIndex = new Map(viewNodes.map((id, i) => [id, i]));
  const scores = viewNodes.map((id) => fmt.num(data.accountById.get(id)?.score));
  const degreeInView = new Array(viewNodes.length).fill(0);
  for (const e of cluster.view.edges) {
    if (!Array.isArray(e)) continue;
    const [a, b] = [Number(e[0]), Number(e[1])];
    if (degreeInView[a] != null && degreeInView[b] != null && a !== b) {
      degreeInView[a] += 1;
      degreeInView[b] += 1;
    }
  }
  const maxDegree = Math.max(1, ...degreeInView);
  const spec = {
    nodes: viewNodes.map((id, i) => ({
      label: shortLabel(id, 32),
      size: (viewNodes.length > 1500 ? 2 : 3) + 9 * Math.sqrt(degreeInView[i] / maxDegree),
      color: scoreColor(scores[i]),
    })),
    edges: cluster.view.edges,
    // dense views: fainter links, so the nodes stay readable
    edgeColor: `rgba(120, 132, 145, ${Math.min(0.7, Math.max(0.1, 1500 / Math.max(1, cluster.view.edges.length))).toFixed(2)})`,
  };
  const baseStatus = `${fmt.int(viewNodes.length)} accounts \u00b7 ${fmt.int(cluster.view.edges.length)} links`;
  status.textContent = baseStatus;

  const container = el("div", { class: "cluster", dataset: { cluster: cluster.key } },
    el("h3", {}, `Cluster `, dataText(cluster.key, 20), ` \u2014 rank ${fmt.int(cluster.rank)}`),
    why, facts,
    el("div", { class: "view-grid" }, el("div", {}, frame, note), panel),
    el("h4", {}, "Members"), membersTable.element,
    targetsTable(cluster),
    el("div", { class: "grid two charts" }, timelineChart(cluster), delayChart(cluster)));

  state.clusterContext = { cluster, nodeIndex, panel, membersTable, status, baseStatus };
  // Sigma needs the container in the document to size its canvases.
  queueMicrotask(() => {
    const view = new NetworkView(canvas, spec, {
      onHoverNode: (i) => (status.textContent = i == null ? baseStatus : `account: ${shortLabel(viewNodes[i], 200)}`),
      onClickNode: (i) => showAccountInCluster(viewNodes[i], false),
      onClickStage: () => view.select(null),
    });
    wireToolbar(buttons, view);
    state.views.cluster = { view, ids: viewNodes, key: cluster.key };
    if (state.pendingAccount != null) {
      const id = state.pendingAccount;
      state.pendingAccount = null;
      showAccountInCluster(id, true);
    }
  });
  return container;
}

function scoreColor(score) {
  // light orange (low) to dark red (high)
  const t = Math.min(1, Math.max(0, score ?? 0.5));
  const from = [253, 174, 97];
  const to = [165, 15, 21];
  const c = from.map((f, i) => Math.round(f + (to[i] - f) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// The columns of an account's rankings, shared by a cluster's member table and the accounts table.
function rankingColumns() {
  return [
    { label: "score", cell: (a) => fmt.real(a.score), sort: (a) => fmt.num(a.score), numeric: true },
    { label: "PageRank", cell: (a) => fmt.real(a.pagerank), sort: (a) => fmt.num(a.pagerank), numeric: true },
    { label: "betweenness", cell: (a) => fmt.real(a.betweenness), sort: (a) => fmt.num(a.betweenness), numeric: true },
    { label: "degree", cell: (a) => fmt.int(a.degree), sort: (a) => fmt.num(a.degree), numeric: true },
    { label: "k-core", cell: (a) => fmt.int(a.core), sort: (a) => fmt.num(a.core), numeric: true },
    { label: "events", cell: (a) => fmt.int(a.n_events), sort: (a) => fmt.num(a.n_events), numeric: true },
    { label: "first seen", cell: (a) => dataText(a.first_seen, 30), sort: (a) => asText(a.first_seen), className: "time" },
    { label: "last seen", cell: (a) => dataText(a.last_seen, 30), sort: (a) => asText(a.last_seen), className: "time" },
  ];
}

function memberTable(data, cluster) {
  const rows = cluster.members.map((id) => data.accountById.get(id) ?? { id });
  return dataTable([
    { label: "account", cell: (a) => dataText(a.id, 48), sort: (a) => a.id },
    ...rankingColumns(),
  ], { rows, limit: 100, sortBy: 1, descending: true, key: (a) => a.id, onRowClick: (a) => showAccountInCluster(a.id, false) });
}

function targetsTable(cluster) {
  if (cluster.top_targets.length === 0) return null;
  return el("div", {}, el("h4", {}, "Top targets"),
    el("p", { class: "hint" }, "Targets are shown as text, never as links: open them yourself, with care."),
    dataTable([
      { label: "target", cell: (t) => dataText(t.target, 100), sort: (t) => asText(t.target) },
      { label: "actions by members", cell: (t) => fmt.int(t.actions), sort: (t) => fmt.num(t.actions), numeric: true },
    ], { rows: cluster.top_targets, limit: 20, sortBy: 1, descending: true }).element);
}

function timelineChart(cluster) {
  const t = cluster.timeline;
  const clusterCounts = arr(t.cluster);
  const background = arr(t.background);
  const n = Math.max(clusterCounts.length, background.length);
  if (n === 0) return el("p", { class: "empty" }, "No timeline recorded.");
  const start = Date.parse(asText(t.start));
  const bin = fmt.num(t.bin_s) ?? 0;
  const timed = Number.isFinite(start) && bin > 0;
  const label = (i) => (timed ? fmt.shortTime(start + i * bin * 1000) : `bin ${i}`);
  // axis labels: the time of day when the timeline spans at most a day, else the date and time
  const axisLabel = (i) => (timed ? (n * bin <= 86400 ? label(i).slice(11) : label(i).slice(5)) : String(i));
  return el("div", {}, el("h4", {}, "Activity over time"), columnChart({
    categories: Array.from({ length: n }, (_, i) => axisLabel(i)),
    series: [
      { name: "all other accounts", values: background, color: "#adb5bd", type: "area", axis: "right" },
      { name: "this cluster", values: clusterCounts, color: "#d9480f", type: "bar", axis: "left" },
    ],
    leftTitle: "cluster actions", rightTitle: "background actions",
    xTitle: timed ? `UTC from ${label(0)}, ${fmt.seconds(bin)} per bar` : "",
    describe: (i) => `${label(i)} UTC: ${fmt.int(clusterCounts[i] ?? 0)} actions by the cluster, ${fmt.int(background[i] ?? 0)} by everyone else`,
    ariaLabel: "The cluster's actions over time against the background",
  }));
}

function delayChart(cluster) {
  const d = cluster.delays;
  const edges = arr(d.bin_edges_s).map(fmt.num);
  const observed = arr(d.observed);
  const expected = arr(d.expected);
  const n = Math.max(observed.length, expected.length);
  if (n === 0) return el("p", { class: "empty" }, "No delay histogram recorded.");
  const binLabel = (i) => (edges[i] != null && edges[i + 1] != null ? `${fmt.real(edges[i])}\u2013${fmt.real(edges[i + 1])} s` : `bin ${i}`);
  return el("div", {}, el("h4", {}, "Delays between co-actions"), columnChart({
    categories: Array.from({ length: n }, (_, i) => binLabel(i)),
    series: [
      { name: "observed", values: observed, color: "#d9480f", type: "bar" },
      { name: "expected under the null model", values: expected, color: "#1c7ed6", type: "line" },
    ],
    leftTitle: "co-actions", xTitle: "delay between two members acting on one target", integer: false,
    describe: (i) => `${binLabel(i)}: ${fmt.real(observed[i] ?? 0)} observed, ${fmt.real(expected[i] ?? 0)} expected`,
    ariaLabel: "Histogram of delays, observed against the null model",
  }));
}

// ---------------------------------------------------------------- accounts and evidence

function showAccountInCluster(id, focus) {
  const context = state.clusterContext;
  if (!context) return;
  state.selectedAccount = id;
  clear(context.panel);
  context.panel.append(guarded("account", () => accountPanel(state.data, id)));
  const row = context.membersTable.highlight(id);
  const entry = state.views.cluster;
  if (!entry) {
    state.pendingAccount = id;
    return;
  }
  const index = context.nodeIndex.get(id);
  entry.view.select(index ?? null, focus);
  if (index == null) context.status.textContent = `${context.baseStatus} \u00b7 the selected account is not drawn in this view`;
  if (focus && row == null) context.panel.scrollIntoView({ block: "nearest" });
}

function selectAccount(id, { scroll = false } = {}) {
  const data = state.data;
  const account = data.accountById.get(id);
  const cluster = clusterOf(data, account) ?? data.clusters.find((c) => c.members.includes(id)) ?? null;
  if (cluster) {
    selectCluster(cluster.key, { account: id });
    if (scroll) state.clusterContext?.panel.scrollIntoView({ block: "center" });
    return;
  }
  const card = document.getElementById("account-card");
  clear(card);
  card.append(el("p", { class: "note" }, "This account is linked to others but is not in a flagged cluster."),
              guarded("account", () => accountPanel(data, id)));
  card.hidden = false;
  if (scroll) card.scrollIntoView({ block: "center" });
}

function accountPanel(data, id) {
  const a = data.accountById.get(id) ?? { id };
  const evidence = evidenceOf(data, id);
  const panel = el("div", { class: "account", dataset: { account: id } },
    el("h4", {}, "Account ", el("span", { class: "account-id" }, dataText(id, 200))),
    keyValues([
      ["cluster", a.cluster == null ? "not flagged" : dataText(a.cluster, 20)],
      ["score", fmt.real(a.score)],
      ["PageRank", fmt.real(a.pagerank)],
      ["betweenness", fmt.real(a.betweenness)],
      ["degree", fmt.int(a.degree)],
      ["k-core", fmt.int(a.core)],
      ["events", fmt.int(a.n_events)],
      ["first seen", dataText(a.first_seen, 30)],
      ["last seen", dataText(a.last_seen, 30)],
    ]));
  if (evidence.length === 0) {
    panel.append(el("p", { class: "empty" }, "No evidence recorded for this account."));
    return panel;
  }
  const sorted = evidence.slice().sort((x, y) => (fmt.num(y.co_actions) ?? 0) - (fmt.num(x.co_actions) ?? 0));
  panel.append(el("h4", {}, `Evidence: co-actions with ${fmt.counted(evidence.length, "account")}`));
  const tbody = el("tbody");
  for (const pair of sorted.slice(0, EVIDENCE_PAIRS_SHOWN)) {
    const other = asText(pair.other);
    const otherButton = el("button", { type: "button", class: "link", title: "Show this account",
                                       onclick: () => selectAccount(other, { scroll: false }) }, dataText(other, 40));
    const extra = [
      fmt.num(pair.distinct_targets) != null ? ` on ${fmt.int(pair.distinct_targets)} targets` : "",
      fmt.num(pair.median_delay_s) != null ? `, median delay ${fmt.seconds(pair.median_delay_s)}` : "",
    ].join("");
    const keptBy = asText(pair.kept_by);
    tbody.append(el("tr", { class: "pair" }, el("th", { colSpan: 3, scope: "rowgroup" },
      "with ", otherButton, " \u00b7 ", dataText(pair.layer, 20), ` \u00b7 ${fmt.counted(pair.co_actions, "co-action")}${extra} \u00b7 ${fmt.pPhrase(pair.p_value)}`,
      keptBy ? el("span", { class: "kept-by", dataset: { keptBy } }, ` \u00b7 kept ${keptByWords(keptBy).replace(/^as ties/, "as a tie")}`) : null)));
    const rows = arr(pair.rows).filter((r) => r && typeof r === "object");
    for (const r of rows.slice(0, EVIDENCE_ROWS_SHOWN)) {
      tbody.append(el("tr", {}, el("td", {}, dataText(r.target, 60)),
                      el("td", { class: "time" }, el("div", {}, dataText(r.time_a, 30)), el("div", { class: "other-time" }, dataText(r.time_b, 30))),
                      el("td", { class: "num" }, fmt.seconds(r.delay_s))));
    }
    const total = fmt.num(pair.evidence_total) ?? fmt.num(pair.co_actions) ?? rows.length;
    const shown = Math.min(rows.length, EVIDENCE_ROWS_SHOWN);
    if (total > shown) {
      // what evidence.csv holds of this pair: none when it is not among either account's most significant links,
      // else up to evidence_per_edge (kept by the projection) and evidence_csv_rows (written) of its co-actions
      const inCsv = pair.in_evidence_csv === false ? 0
        : Math.min(total, fmt.num(data.parameters.evidence_per_edge) ?? total, fmt.num(obj(data.summary.evidence_csv).rows_per_edge) ?? total);
      const where = pair.in_evidence_csv === false
        ? "; evidence.csv leaves this link out (it lists each account's most significant links), edges.csv has it"
        : inCsv > shown ? `; evidence.csv lists ${inCsv === total ? "them all" : `${fmt.int(inCsv)} of the ${fmt.int(total)}`}` : "";
      tbody.append(el("tr", { class: "more-rows" }, el("td", { colSpan: 3 }, `\u2026 and ${fmt.counted(total - shown, "more co-action")}${where}`)));
    }
  }
  panel.append(el("div", { class: "table-wrap" }, el("table", { class: "data-table evidence" },
    el("thead", {}, el("tr", {}, el("th", {}, "target"), el("th", {}, "time: this account, ", el("span", { class: "other-time" }, "other")),
                    el("th", { class: "num" }, "delay"))), tbody)));
  if (sorted.length > EVIDENCE_PAIRS_SHOWN) {
    panel.append(el("p", { class: "note" }, `${fmt.counted(sorted.length - EVIDENCE_PAIRS_SHOWN, "more linked account")} are in edges.csv.`));
  }
  return panel;
}

function accounts(data) {
  const card = el("div", { id: "account-card", class: "account-card", hidden: true });
  const table = dataTable([
    { label: "account", cell: (a) => dataText(a.id, 48), sort: (a) => a.id },
    { label: "cluster", cell: (a) => (a.cluster == null ? "\u2013" : dataText(a.cluster, 20)), sort: (a) => fmt.num(a.cluster) ?? (a.cluster == null ? null : asText(a.cluster)) },
    ...rankingColumns(),
  ], { rows: data.accounts, limit: 100, sortBy: 2, descending: true, key: (a) => a.id,
       onRowClick: (a) => selectAccount(a.id, { scroll: true }) });
  return section("accounts", "Accounts",
    el("p", { class: "lede" }, `${fmt.int(data.accounts.length)} accounts have at least one link that survived the significance test; flagged accounts have a cluster. The full list is in accounts.csv.`),
    card, table.element);
}

// ---------------------------------------------------------------- page

function main() {
  const app = document.getElementById("app");
  const data = readData();
  if (data.error) {
    app.append(el("p", { class: "render-error" }, data.error));
    return;
  }
  state.data = data;
  if (data.schema && data.schema !== "cibgraph-report/1") {
    app.append(el("p", { class: "note" }, "This report was written with schema ", dataText(data.schema, 40),
                  "; this page reads cibgraph-report/1 and may miss parts."));
  }
  app.append(
    guarded("header", () => header(data)),
    el("main", {},
      guarded("findings", () => findings(data)),
      guarded("overview", () => overview(data)),
      guarded("cluster list", () => clusters(data)),
      guarded("account list", () => accounts(data)),
      guarded("provenance", () => provenance(data))),
    el("footer", {}, "Written by cibgraph ", dataText(data.version, 40),
       ". This file is self-contained: it loads nothing from any network, and its data are also in report.json beside it."));
  if (state.pendingOverview) guarded("overview network", () => state.pendingOverview());
  if (data.clusters.length) selectCluster(data.clusters[0].key);

  // For the browser tests (and the curious): where a node of a view is drawn, and the selection functions.
  window.cibgraphReport = Object.freeze({
    selectCluster: (key) => selectCluster(String(key)),
    selectAccount: (id) => selectAccount(String(id)),
    layoutDone: () => Object.values(state.views).filter(Boolean).every((v) => v.view.layoutDone),
    // Milliseconds to process and draw one frame of a view (what every zoom or pan step costs).
    frameMs(viewName) {
      const entry = state.views[viewName];
      if (!entry) return null;
      const start = performance.now();
      entry.view.sigma.refresh();
      return performance.now() - start;
    },
    nodeClientPosition(viewName, id) {
      const entry = state.views[viewName];
      if (!entry) return null;
      const index = entry.ids.indexOf(String(id));
      return index < 0 ? null : entry.view.clientPosition(index);
    },
  });
  document.documentElement.dataset.ready = "true";
}

main();
