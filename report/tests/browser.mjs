// Opens a rendered report in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) and checks
// what an investigator relies on: no console error, no request leaves the file, the network views draw (pixels
// on the canvas), hovering a node names its account, clicking a node shows its evidence, search finds an account,
// clicking a cluster in the overview opens it; with --hostile also that nothing injected ran (window.__pwned, no
// dialog, no injected element) and the layout holds.
//
// usage: node browser.mjs --html REPORT.html [--node-modules DIR] [--search ID] [--hostile] [--expect-text T]...
//                         [--max-layout-seconds S] [--screenshot OUT.png]
// Prints one JSON object (checks, failures, figures) and exits 0 when every check passed, 1 otherwise.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { decodePng, inkStatistics } from "./png.mjs";

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { expectText: [], hostile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--html") args.html = resolve(next());
    else if (a === "--node-modules") args.nodeModules = resolve(next());
    else if (a === "--search") args.search = next();
    else if (a === "--hostile") args.hostile = true;
    else if (a === "--expect-text") args.expectText.push(next());
    else if (a === "--max-layout-seconds") args.maxLayoutSeconds = Number(next());
    else if (a === "--screenshot") args.screenshot = resolve(next());
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.html) throw new Error("--html is required");
  return args;
}

// Debian's Chromium, headless, with nothing running in the background; the GPU is off, so WebGL runs on
// SwiftShader (software), which recent Chromium only allows with --enable-unsafe-swiftshader.
const CHROMIUM_FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const require = createRequire(join(args.nodeModules ?? join(here, "..", "node_modules"), "noop.js"));
  const { chromium } = require("playwright-core");

  const fileUrl = pathToFileURL(args.html).href;
  const failures = [];
  const checks = [];
  const figures = {};
  const check = (name, ok, detail = "") => {
    checks.push({ name, ok, detail });
    if (!ok) failures.push(`${name}${detail ? `: ${detail}` : ""}`);
  };

  const profile = mkdtempSync(join(tmpdir(), "cibgraph-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    offline: true,
  });
  const consoleErrors = [];
  const requests = [];
  const dialogs = [];
  try {
    // Every request but the report file itself is recorded and refused.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url === fileUrl) return route.continue();
      requests.push(url);
      return route.abort();
    });
    context.on("request", (request) => {
      const url = request.url();
      if (url !== fileUrl && !url.startsWith("data:") && !requests.includes(url)) requests.push(url);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    page.on("websocket", (ws) => requests.push(ws.url()));

    const t0 = Date.now();
    await page.goto(fileUrl, { waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 20000 });
    figures.ready_ms = Date.now() - t0;
    await page.waitForFunction(() => window.cibgraphReport?.layoutDone(), null, { timeout: 120000, polling: 100 });
    figures.layout_ms = Date.now() - t0;
    figures.frame_ms = await page.evaluate(() => {
      const times = [0, 1, 2].map(() => window.cibgraphReport.frameMs("cluster")).filter((t) => t != null);
      return times.length ? Math.round(Math.min(...times)) : null;
    });
    if (args.maxLayoutSeconds) {
      check("views laid out in time", figures.layout_ms <= args.maxLayoutSeconds * 1000,
            `${figures.layout_ms} ms (limit ${args.maxLayoutSeconds} s)`);
    }

    const info = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("cibgraph-data").textContent);
      const clusters = (data.clusters ?? []).slice().sort((a, b) => a.rank - b.rank);
      const top = clusters[0];
      return {
        sections: ["findings", "overview", "clusters", "accounts", "provenance"].filter((id) => document.getElementById(id)),
        // the page's sections in the order it shows them
        order: [...document.querySelectorAll("main > section")].map((e) => e.id),
        // what the first screen shows: the top cluster's why (or, with no cluster, what to try)
        topWhy: top?.why ?? null,
        firstWhy: document.querySelector("#findings .finding .why-text")?.textContent ?? null,
        firstWhyTop: document.querySelector("#findings .finding .why-text")?.getBoundingClientRect().top ?? null,
        windowHeight: window.innerHeight,
        suggestions: (data.summary?.suggestions ?? []).length,
        suggestionsShown: document.querySelectorAll("#findings .suggestions li").length,
        keptByInData: Object.values(data.evidence ?? {}).some((pairs) => (pairs ?? []).some((p) => p?.kept_by)),
        renderErrors: [...document.querySelectorAll(".render-error")].map((e) => e.textContent),
        clusters: clusters.map((c) => String(c.id)),
        topViewNodes: top?.view?.nodes ?? [],
        evidenceFor: Object.keys(data.evidence ?? {}),
        unflagged: (data.accounts ?? []).filter((a) => a.cluster == null).map((a) => a.id).slice(0, 1),
        overviewClusters: (data.overview?.nodes ?? []).filter((n) => n.cluster != null).map((n) => ({ id: n.id, cluster: String(n.cluster) })),
        scripts: document.querySelectorAll("script").length,
      };
    });
    figures.clusters = info.clusters.length;
    figures.top_view_nodes = info.topViewNodes.length;
    check("all sections present", info.sections.length === 5, `present: ${info.sections.join(", ")}`);
    check("the page opens on its findings, provenance last", info.order[0] === "findings" && info.order.at(-1) === "provenance",
          `order: ${info.order.join(", ")}`);
    figures.first_why_top = info.firstWhyTop;
    if (info.clusters.length) {
      check("the top cluster's why is on the first screen", info.firstWhy === info.topWhy && info.firstWhyTop != null &&
            info.firstWhyTop < info.windowHeight, `why at ${info.firstWhyTop} px of ${info.windowHeight}`);
    } else {
      check("an empty result says what to try", info.suggestionsShown === info.suggestions && info.suggestions > 0,
            `${info.suggestionsShown} of ${info.suggestions} suggestions shown`);
    }
    check("no section failed to render", info.renderErrors.length === 0, info.renderErrors.join(" | "));

    // The network views draw: pixels other than the white background on each canvas container.
    const containers = page.locator(".sigma-container");
    const nViews = await containers.count();
    figures.views = [];
    for (let i = 0; i < nViews; i++) {
      const stats = inkStatistics(decodePng(await containers.nth(i).screenshot()));
      figures.views.push(stats);
      check(`network view ${i + 1} is drawn`, stats.ink >= 150 && stats.colours >= 3,
            `${stats.ink} of ${stats.pixels} pixels inked, ${stats.colours} colours`);
    }
    if (info.clusters.length) check("cluster view present", nViews >= 1, `${nViews} views`);

    // Hover then click the most isolated node of the top cluster's view (so no neighbour is under the pointer).
    if (info.topViewNodes.length) {
      const target = await page.evaluate((ids) => {
        const report = window.cibgraphReport;
        const points = ids.map((id) => ({ id, p: report.nodeClientPosition("cluster", id) })).filter((x) => x.p);
        let best = null;
        for (const a of points) {
          let nearest = Infinity;
          for (const b of points) if (a !== b) nearest = Math.min(nearest, Math.hypot(a.p.x - b.p.x, a.p.y - b.p.y));
          if (!best || nearest > best.nearest) best = { id: a.id, x: a.p.x, y: a.p.y, nearest };
        }
        return best;
      }, info.topViewNodes);
      check("a node of the cluster view is on screen", target != null);
      if (target) {
        await page.evaluate(() => window.scrollTo(0, 0));
        const box = await page.locator("#cluster-detail .sigma-container").boundingBox();
        const y = target.y + (await page.evaluate(() => window.scrollY));
        await page.locator("#cluster-detail .sigma-container").scrollIntoViewIfNeeded();
        const fresh = await page.evaluate((id) => window.cibgraphReport.nodeClientPosition("cluster", id), target.id);
        await page.mouse.move(fresh.x, fresh.y);
        const hovered = await page.waitForFunction(
          () => document.querySelector("#cluster-detail .view-status")?.textContent.startsWith("account: "), null,
          { timeout: 5000 }).then(() => true, () => false);
        check("hovering a node names its account", hovered,
              await page.locator("#cluster-detail .view-status").textContent());
        await page.mouse.click(fresh.x, fresh.y);
        const shown = await page.waitForFunction((id) => {
          const panel = document.querySelector("#account-panel .account");
          return panel && panel.dataset.account === id;
        }, target.id, { timeout: 5000 }).then(() => true, () => false);
        check("clicking a node shows that account", shown, `node ${JSON.stringify(target.id).slice(0, 80)}`);
        if (info.evidenceFor.includes(target.id)) {
          const rows = await page.locator("#account-panel table.evidence tbody tr:not(.pair)").count();
          check("clicking a node shows its evidence", rows > 0, `${rows} evidence rows`);
          if (info.keptByInData) {
            const keptBy = await page.locator("#account-panel .kept-by").count();
            check("the evidence says why each link is kept", keptBy > 0, `${keptBy} links with kept_by`);
          }
        }
        figures.clicked = { id: target.id.slice(0, 80), box, y };
      }
    }

    // Search by account id: the account's panel opens with that id.
    const searchId = args.search ?? info.topViewNodes[info.topViewNodes.length - 1];
    if (searchId != null) {
      await page.locator("#search-input").fill(searchId);
      await page.locator("#search-input").press("Enter");
      const found = await page.waitForFunction((id) =>
        [...document.querySelectorAll("#account-panel .account, #account-card .account")].some((e) => e.dataset.account === id),
        searchId, { timeout: 5000 }).then(() => true, () => false);
      check("search finds an account", found, JSON.stringify(searchId).slice(0, 80));
    }
    if (info.unflagged.length) {
      await page.locator("#search-input").fill(info.unflagged[0]);
      await page.locator("#search-input").press("Enter");
      const found = await page.waitForFunction((id) => {
        const card = document.getElementById("account-card");
        return !card.hidden && card.querySelector(".account")?.dataset.account === id;
      }, info.unflagged[0], { timeout: 5000 }).then(() => true, () => false);
      check("search finds an account outside the clusters", found, JSON.stringify(info.unflagged[0]).slice(0, 80));
    }

    // Clicking a cluster in the overview opens that cluster.
    const otherCluster = info.overviewClusters.find((n) => n.cluster !== info.clusters[0]);
    if (otherCluster) {
      await page.locator("#overview .sigma-container").scrollIntoViewIfNeeded();
      const p = await page.evaluate((id) => window.cibgraphReport.nodeClientPosition("overview", id), otherCluster.id);
      if (p) await page.mouse.click(p.x, p.y);
      const opened = await page.waitForFunction((key) => document.querySelector("#cluster-detail .cluster")?.dataset.cluster === key,
        otherCluster.cluster, { timeout: 5000 }).then(() => true, () => false);
      check("clicking a cluster in the overview opens it", opened, `cluster ${otherCluster.cluster}`);
    }

    // Hostile data: nothing ran, nothing was injected, the layout holds, the strings are shown as text.
    const after = await page.evaluate(() => ({
      pwned: typeof window.__pwned,
      scripts: document.querySelectorAll("script").length,
      // the report makes none of these, and no element carries an inline event handler attribute
      injected: document.querySelectorAll("img, iframe, frame, object, embed, link, base, meta[http-equiv='refresh'], a[href]:not(nav a), form:not(#search)").length +
        [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length,
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      text: document.body.innerText.length,
    }));
    const texts = await page.evaluate((wanted) => wanted.map((t) => document.body.textContent.includes(t)), args.expectText);
    args.expectText.forEach((t, i) => check(`shown as text: ${JSON.stringify(t).slice(0, 60)}`, texts[i]));
    figures.page = after;
    if (args.hostile) {
      check("no injected script ran", after.pwned === "undefined", `typeof window.__pwned is ${after.pwned}`);
      check("no element was injected", after.injected === 0 && after.scripts === info.scripts,
            `${after.injected} injected elements, ${after.scripts} scripts (${info.scripts} at load)`);
    }
    check("no dialog opened", dialogs.length === 0, dialogs.join(" | "));
    check("the page is no wider than the window", after.scrollWidth <= after.innerWidth + 4,
          `scrollWidth ${after.scrollWidth}, window ${after.innerWidth}`);

    if (args.screenshot) {
      // The strongest cluster with its first member selected: the view, the evidence, the facts above them.
      await page.evaluate(() => {
        const top = JSON.parse(document.getElementById("cibgraph-data").textContent).clusters
          .slice().sort((a, b) => a.rank - b.rank)[0];
        window.cibgraphReport.selectCluster(top.id);
        window.cibgraphReport.selectAccount(top.members[0]);
      });
      await page.waitForFunction(() => window.cibgraphReport.layoutDone(), null, { timeout: 60000 });
      await page.evaluate(() => document.querySelector("#cluster-detail .cluster > h3").scrollIntoView({ block: "start" }));
      await page.setViewportSize({ width: 1280, height: 1040 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: args.screenshot, fullPage: false });
    }
  } finally {
    check("no console errors", consoleErrors.length === 0, consoleErrors.slice(0, 5).join(" | "));
    check("no network request", requests.length === 0, requests.slice(0, 5).join(" | "));
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const result = { ok: failures.length === 0, failures, checks, figures };
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ ok: false, failures: [`browser test crashed: ${error.stack ?? error}`] }) + "\n");
  process.exitCode = 1;
});
