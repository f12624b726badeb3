// Reading the report data (schema cibgraph-report/1) defensively: any part may be missing or of the wrong type,
// and every string is an adversary's. Lookups by account id go through Maps, never through plain objects, so ids
// such as "__proto__" or "constructor" are ordinary ids.
import { asText, shortLabel } from "./dom.js";
import { num } from "./format.js";

export const arr = (x) => (Array.isArray(x) ? x : []);
export const obj = (x) => (x != null && typeof x === "object" && !Array.isArray(x) ? x : {});

export function readData() {
  const element = document.getElementById("cibgraph-data");
  let raw = {};
  try {
    raw = JSON.parse(element?.textContent || "{}");
  } catch (error) {
    return { error: `The report data cannot be read: ${error.message}`, raw: {} };
  }
  return normalise(obj(raw));
}

export function normalise(raw) {
  const accounts = arr(raw.accounts).filter((a) => a && typeof a === "object").map((a) => ({ ...a, id: asText(a.id) }));
  const accountById = new Map();
  for (const a of accounts) if (!accountById.has(a.id)) accountById.set(a.id, a);

  const clusters = arr(raw.clusters).filter((c) => c && typeof c === "object").map((c, k) => {
    const view = obj(c.view);
    return {
      ...c,
      key: asText(c.id ?? k + 1),
      rank: num(c.rank) ?? k + 1,
      members: arr(c.members).map(asText),
      layers: arr(c.layers).map(asText),
      view: { nodes: arr(view.nodes).map(asText), edges: arr(view.edges), truncated: view.truncated === true,
              nodes_total: view.nodes_total, edges_total: view.edges_total },
      top_targets: arr(c.top_targets).filter((t) => t && typeof t === "object"),
      timeline: obj(c.timeline),
      delays: obj(c.delays),
    };
  });
  clusters.sort((a, b) => a.rank - b.rank);
  const clusterByKey = new Map(clusters.map((c) => [c.key, c]));

  const evidence = new Map();
  for (const [id, list] of Object.entries(obj(raw.evidence))) evidence.set(id, arr(list).filter((e) => e && typeof e === "object"));

  const overview = obj(raw.overview);
  return {
    raw,
    schema: asText(raw.schema),
    version: asText(raw.version),
    run: obj(raw.run),
    inputs: arr(raw.inputs).filter((i) => i && typeof i === "object"),
    rows: obj(raw.rows),
    parameters: obj(raw.parameters),
    window: obj(raw.window),
    summary: obj(raw.summary),
    clusters,
    clusterByKey,
    clusterSizes: arr(raw.cluster_sizes).filter((s) => s && typeof s === "object"),
    accounts,
    accountById,
    evidence,
    overview: { nodes: arr(overview.nodes).filter((n) => n && typeof n === "object"), edges: arr(overview.edges) },
  };
}

// The cluster an account belongs to, or null.
export function clusterOf(data, account) {
  if (!account || account.cluster == null) return null;
  return data.clusterByKey.get(asText(account.cluster)) ?? null;
}

export function evidenceOf(data, id) {
  return data.evidence.get(id) ?? [];
}

export { asText, shortLabel };
