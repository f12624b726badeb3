// Interactive network views with sigma.js (WebGL) over a graphology graph: zoom with the wheel or the buttons,
// pan by dragging, hover a node for its account, click it for its evidence. Layout: nodes start on a sunflower
// spiral (hubs in the middle) and ForceAtlas2 (Barnes-Hut above 500 nodes) runs a fixed number of iterations on
// one set of layout arrays, in slices of a few milliseconds so the page keeps answering: the picture depends only
// on the data, never on the machine's speed (which only decides how many slices it takes). Small views show the
// layout settling frame by frame; large ones (where drawing a frame costs far more than a slice of layout, above
// all on a machine without a GPU) are drawn on the spiral, then once more when the layout is done.
import Graph from "graphology";
import forceAtlas2 from "graphology-layout-forceatlas2";
import DEFAULT_FA2 from "graphology-layout-forceatlas2/defaults.js";
import fa2Helpers from "graphology-layout-forceatlas2/helpers.js";
import fa2Iterate from "graphology-layout-forceatlas2/iterate.js";
import Sigma from "sigma";

import { el } from "./dom.js";
import { count } from "./format.js";

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

const SLICE_MS = 24;
const ANIMATE_UP_TO = 800;  // nodes

function layoutIterations(order) {
  if (order <= 200) return 300;
  if (order <= 1000) return 150;
  if (order <= 3000) return 80;
  return 50;
}

// spec: {nodes: [{label, size, color}], edges: [[i, j, weight]], edgeColor?}
// handlers: {onClickNode(nodeIndex), onHoverNode(nodeIndex | null), onClickStage()}
export class NetworkView {
  constructor(container, spec, handlers = {}) {
    this.container = container;
    this.handlers = handlers;
    this.selected = null;
    this.neighbours = new Set();
    this.hovered = null;
    this.layoutDone = false;

    const graph = new Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    const n = spec.nodes.length;
    spec.nodes.forEach((node, i) => graph.addNode(String(i), { ...node, x: 0, y: 0 }));
    let maxWeight = 0;
    const edges = [];
    for (const edge of spec.edges) {
      if (!Array.isArray(edge)) continue;
      const [a, b] = [Number(edge[0]), Number(edge[1])];
      const w = Number(edge[2]);
      if (!Number.isInteger(a) || !Number.isInteger(b) || a === b || a < 0 || b < 0 || a >= n || b >= n) continue;
      const weight = Number.isFinite(w) && w > 0 ? w : 1;
      edges.push([a, b, weight]);
      maxWeight = Math.max(maxWeight, weight);
    }
    for (const [a, b, weight] of edges) {
      if (graph.hasEdge(String(a), String(b))) continue;
      graph.addEdge(String(a), String(b), {
        weight, size: 0.4 + (n > 1500 ? 0.8 : 1.6) * Math.sqrt(weight / maxWeight), color: spec.edgeColor ?? "#9aa5b1",
      });
    }
    // hubs first on the spiral
    const order = graph.nodes().sort((u, v) => graph.degree(v) - graph.degree(u) || Number(u) - Number(v));
    order.forEach((node, k) => {
      const r = Math.sqrt(k + 0.5);
      graph.mergeNodeAttributes(node, { x: r * Math.cos(k * GOLDEN_ANGLE), y: r * Math.sin(k * GOLDEN_ANGLE) });
    });
    this.graph = graph;

    this.sigma = new Sigma(graph, container, {
      allowInvalidContainer: true,  // a view built while its section is hidden draws when shown
      renderEdgeLabels: false,
      labelFont: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      labelSize: 12,
      labelDensity: n > 1000 ? 0.5 : 1,
      labelRenderedSizeThreshold: n > 1000 ? 9 : 5,
      hideEdgesOnMove: n > 2000,
      zIndex: true,
      defaultEdgeColor: "#9aa5b1",
      nodeReducer: (node, data) => this.reduceNode(node, data),
      edgeReducer: (edge, data) => this.reduceEdge(edge, data),
    });
    this.sigma.on("enterNode", ({ node }) => {
      this.hovered = node;
      container.classList.add("pointing");
      this.handlers.onHoverNode?.(Number(node));
      this.sigma.refresh({ skipIndexation: true });
    });
    this.sigma.on("leaveNode", () => {
      this.hovered = null;
      container.classList.remove("pointing");
      this.handlers.onHoverNode?.(null);
      this.sigma.refresh({ skipIndexation: true });
    });
    this.sigma.on("clickNode", ({ node }) => this.handlers.onClickNode?.(Number(node)));
    this.sigma.on("clickStage", () => this.handlers.onClickStage?.());

    this.iterations = layoutIterations(n);
    this.iterationsDone = 0;
    this.settings = { ...DEFAULT_FA2, ...forceAtlas2.inferSettings(graph), barnesHutOptimize: n > 500, adjustSizes: false };
    this.settings.slowDown = Math.max(this.settings.slowDown ?? 1, 1);
    this.animate = n <= ANIMATE_UP_TO;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    if (graph.size === 0 || n < 2) {
      this.finishLayout();
    } else {
      if (!this.animate) {
        this.busy = el("div", { class: "view-busy" }, `laying out ${count(n)} accounts\u2026`);
        container.append(this.busy);
      }
      this.matrices = fa2Helpers.graphToByteArrays(graph, (_edge, attributes) => attributes.weight ?? 1);
      this.schedule();
    }
  }

  schedule() {
    // Animated: one slice per frame. Otherwise a macrotask per slice, so input and painting of the rest of the page
    // go on between slices while nothing in the view is redrawn.
    if (this.animate) this.frame = requestAnimationFrame(() => this.step());
    else this.timer = setTimeout(() => this.step(), 0);
  }

  step() {
    if (this.killed) return;
    const start = performance.now();
    do {
      fa2Iterate(this.settings, this.matrices.nodes, this.matrices.edges);
      this.iterationsDone += 1;
    } while (this.iterationsDone < this.iterations && performance.now() - start < SLICE_MS);
    const last = this.iterationsDone >= this.iterations;
    if (this.animate || last) fa2Helpers.assignLayoutChanges(this.graph, this.matrices.nodes, null);
    if (last) this.finishLayout();
    else this.schedule();
  }

  finishLayout() {
    this.layoutDone = true;
    this.matrices = null;
    this.busy?.remove();
    if (this.focusWhenLaidOut != null) {
      this.sigma.refresh();  // the new positions' display data
      this.focus(this.focusWhenLaidOut);
      this.focusWhenLaidOut = null;
    }
    this.container.dataset.layout = "done";
    this.resolveDone();
  }

  reduceNode(node, data) {
    const out = { ...data };
    if (this.selected != null) {
      if (node === this.selected) {
        out.highlighted = true;
        out.zIndex = 2;
        out.forceLabel = true;
      } else if (this.neighbours.has(node)) {
        out.zIndex = 1;
      } else {
        out.color = "#d5dbe1";
        out.label = "";
        out.zIndex = 0;
      }
    }
    if (node === this.hovered) out.forceLabel = true;
    return out;
  }

  reduceEdge(edge, data) {
    if (this.selected == null) return data;
    const [s, t] = this.graph.extremities(edge);
    if (s === this.selected || t === this.selected) return { ...data, color: "#d9480f", zIndex: 1 };
    return { ...data, hidden: this.graph.order > 300, color: "#e3e7eb" };
  }

  // Highlights a node and its neighbours (null clears); with focus, moves the camera to it.
  select(index, focus = false) {
    const node = index == null ? null : String(index);
    if (node != null && !this.graph.hasNode(node)) return;
    this.selected = node;
    this.neighbours = node == null ? new Set() : new Set(this.graph.neighbors(node));
    this.sigma.refresh({ skipIndexation: true });
    // Positions change when the layout lands: focus then (again).
    this.focusWhenLaidOut = node != null && focus && !this.layoutDone ? node : null;
    if (node != null && focus) this.focus(node);
  }

  focus(node) {
    const display = this.sigma.getNodeDisplayData(node);
    if (display) this.sigma.getCamera().animate({ x: display.x, y: display.y, ratio: 0.35 }, { duration: 400 });
  }

  zoom(factor) {
    const camera = this.sigma.getCamera();
    camera.animate({ ratio: camera.ratio / factor }, { duration: 200 });
  }

  reset() {
    this.sigma.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
  }

  // Where a node is drawn, in client (page viewport) pixels: for the tests, which click it like a person would.
  clientPosition(index) {
    const display = this.sigma.getNodeDisplayData(String(index));
    if (!display) return null;
    const p = this.sigma.framedGraphToViewport(display);
    const box = this.container.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }

  resize() {
    this.sigma.resize();
    this.sigma.refresh();
  }

  kill() {
    this.killed = true;
    cancelAnimationFrame(this.frame);
    clearTimeout(this.timer);
    this.sigma.kill();
  }
}

// The frame around a view: toolbar (zoom in, zoom out, reset), the canvas container, a status line.
export function viewFrame(label) {
  const canvas = el("div", { class: "sigma-container", role: "img", "aria-label": label });
  const status = el("div", { class: "view-status", "aria-live": "polite" });
  const buttons = {
    zoomIn: el("button", { type: "button", title: "Zoom in" }, "+"),
    zoomOut: el("button", { type: "button", title: "Zoom out" }, "\u2212"),
    reset: el("button", { type: "button", title: "Show the whole network" }, "Reset"),
  };
  const toolbar = el("div", { class: "view-toolbar" }, buttons.zoomIn, buttons.zoomOut, buttons.reset,
                     el("span", { class: "hint" }, "wheel: zoom \u00b7 drag: pan \u00b7 hover: account \u00b7 click: evidence"));
  const frame = el("div", { class: "view-frame" }, toolbar, canvas, status);
  return { frame, canvas, status, buttons };
}

export function wireToolbar(buttons, view) {
  buttons.zoomIn.addEventListener("click", () => view.zoom(1.5));
  buttons.zoomOut.addEventListener("click", () => view.zoom(1 / 1.5));
  buttons.reset.addEventListener("click", () => view.reset());
}
