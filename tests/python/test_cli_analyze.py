"""`cibgraph analyze`: the investigator's one command. Its outputs and their columns, exit codes, the same bytes on 1
and 2 threads, rejects that reconcile, hostile strings carried through intact, and the planted accounts found."""

import csv
import json
import re

import h5py
import pytest

from conftest import write_coordinated_csv

csv.field_size_limit(1 << 30)

OUTPUTS = ["report.html", "report.json", "accounts.csv", "clusters.csv", "edges.csv", "evidence.csv", "rejects.csv",
           "data.h5"]


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def planted(tmp_path_factory, cli):
    """Planted scenario of 10^5 events (seed 2), analysed at the defaults on 1 and on 2 threads."""
    d = tmp_path_factory.mktemp("analyze")
    r = cli("generate", "planted", "--out", d / "data", "--events", 100000, "--seed", 2, "-q")
    assert r.returncode == 0, r.stderr
    runs = {}
    for threads in (1, 2):
        out = d / f"out{threads}"
        r = cli("analyze", d / "data" / "events.csv", "--out", out, "--threads", threads)
        assert r.returncode == 0, r.stderr
        runs[threads] = (out, r.stdout)
    return d, runs


def test_writes_every_output_and_prints_the_report_path(planted):
    _, runs = planted
    out, stdout = runs[1]
    for name in OUTPUTS:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert f"report: {out / 'report.html'}" in stdout
    assert re.search(r"[\d,]+ coordinated clusters?, [\d,]+ accounts? flagged", stdout)
    assert "  cluster 1: " in stdout
    duration = r"[0-9.]+(e-[0-9]+)? s"  # format_duration: "0.039 s", "4.8e-4 s" (these stages take under 2 min)
    assert re.search(rf"wall time: ingest {duration}, projection {duration}, null model {duration}", stdout), stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert 'id="cibgraph-data"' in html


def test_numbers_are_spelled_one_way_in_the_summary_and_the_report(planted):
    """Counts with thousands separators, ratios to 3 significant digits, "p below 1e-300" for a p-value that
    underflowed, singular for one: in the CLI's summary and in the why text, whose counts are the cards' counts."""
    _, runs = planted
    out, stdout = runs[1]
    summary = stdout[stdout.index("\nwindow "):stdout.index("wall time:")]  # after the inputs and their SHA-256
    assert not re.search(r"\d[eE]\+|\d\.\d{3,}e-", summary), summary  # no 7.51617e+06, no 1.23457e-05
    assert "(p 0)" not in summary and not re.search(r"\(p \d", summary), summary
    assert not re.search(r"\b1 (coordinated clusters|accounts|targets)\b", summary), summary
    assert not re.search(r"density \d\.\d{4,}", summary), summary  # 3 significant digits, not 0.638138
    assert not re.search(r"\d{4,}", summary), summary  # 1,000 and up have separators
    j = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for c in j["clusters"]:
        assert isinstance(c["observed"], int)  # a count: the card and the why show the same one
        assert f" {c['observed']:,} times, " in c["why"], c["why"]
        assert f"{c['size']:,} accounts acted together" in c["why"]
        assert not re.search(r"\d[eE]\+", c["why"]) and not re.search(r"density \d\.\d{4,}", c["why"])
        if c["p_value"] < 1e-300:
            assert "Both tests together: p below 1e-300" in c["why"]
        if c["id"] <= 5:  # the clusters the summary prints (--top 5)
            line = next(l for l in stdout.splitlines() if l.startswith(f"  cluster {c['id']}: "))
            assert f"co-actions {c['observed']:,} vs " in line, line


def test_density_counts_member_pairs_once(planted):
    """A cluster's density is the share of its member pairs tied in at least one layer: at most 1, however many
    layers tie a pair (it was ties / pairs, above 1 on multi-layer clusters), and what edges.csv shows."""
    import pandas as pd

    _, runs = planted
    out, _ = runs[1]
    clusters = pd.read_csv(out / "clusters.csv")
    edges = pd.read_csv(out / "edges.csv", usecols=["account_a", "account_b", "layer"], dtype=str)
    assert (clusters.layers.str.contains(";")).any(), "the planted data should give a multi-layer cluster"
    pairs = set(zip(edges.account_a.where(edges.account_a < edges.account_b, edges.account_b),
                    edges.account_b.where(edges.account_a < edges.account_b, edges.account_a)))
    for c in clusters.itertuples(index=False):
        members = c.members.split(";")
        n = len(members)
        assert 0 <= c.density <= 1, (c.cluster, c.density)
        if n <= 200:
            inside = {(a, b) for i, a in enumerate(sorted(members)) for b in sorted(members)[i + 1:] if (a, b) in pairs}
            assert c.density == pytest.approx(len(inside) / (n * (n - 1) / 2), rel=1e-5), c.cluster
    for c in json.loads((out / "report.json").read_text(encoding="utf-8"))["clusters"]:
        assert c["density"] <= 1, c["id"]
        if len(c["layers"]) > 1:
            assert "counts twice" not in c["why"] and " pairs of members (density " in c["why"]


def test_edges_say_why_they_are_kept(planted):
    """kept_by: the filter's name, or cluster for a tie inside a coordinated cluster (p above the FDR level
    included); the same counts in report.json's summary, and in the evidence the page shows."""
    _, runs = planted
    out, _ = runs[1]
    edges = read_csv(out / "edges.csv")
    assert list(edges[0].keys())[-1] == "kept_by"
    counts = {}
    for e in edges:
        counts[e["kept_by"]] = counts.get(e["kept_by"], 0) + 1
        if float(e["p_value"]) > 0.01:
            assert e["kept_by"] == "cluster", e
    j = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert counts == j["summary"]["edges_kept_by"] and set(counts) <= {"fdr", "cluster"} and counts["fdr"] > 0
    assert sum(counts.values()) == len(edges) == j["summary"]["edges_kept"]
    assert {p["kept_by"] for pairs in j["evidence"].values() for p in pairs} <= {"fdr", "cluster"}


def test_evidence_csv_is_bounded_and_says_so(planted, cli, tmp_path):
    """evidence.csv: each account's 20 most significant kept edges by default (what report.json's summary and the
    CLI say), every kept edge with --evidence-csv-edges 0; edges.csv has every kept edge either way."""
    d, runs = planted
    out, stdout = runs[1]
    j = json.loads((out / "report.json").read_text(encoding="utf-8"))
    said = j["summary"]["evidence_csv"]
    rows = read_csv(out / "evidence.csv")
    pairs = {(r["account_a"], r["account_b"], r["layer"]) for r in rows}
    assert len(rows) == said["rows"] and len(pairs) == said["edges"] <= said["edges_kept"] == j["summary"]["edges_kept"]
    kept = {(e["account_a"], e["account_b"], e["layer"]) for e in read_csv(out / "edges.csv")}
    assert pairs <= kept
    if said["edges"] < said["edges_kept"]:
        assert f"evidence.csv: the co-actions of {said['edges']:,} of the {said['edges_kept']:,} kept edges" in stdout
    every = tmp_path / "every"
    r = cli("analyze", d / "data" / "events.csv", "--out", every, "--evidence-csv-edges", 0, "-q")
    assert r.returncode == 0, r.stderr
    all_rows = read_csv(every / "evidence.csv")
    assert {(x["account_a"], x["account_b"], x["layer"]) for x in all_rows} == kept
    assert (every / "edges.csv").read_bytes() == (out / "edges.csv").read_bytes()
    assert json.loads((every / "report.json").read_text())["summary"]["evidence_csv"]["edges"] == len(kept)


def test_an_empty_result_says_what_to_try(planted, cli, tmp_path):
    d, _ = planted
    r = cli("analyze", d / "data" / "events.csv", "--out", tmp_path / "empty", "--layers", "co-share", "--window", "1ms")
    assert r.returncode == 0, r.stderr
    assert "0 coordinated clusters, 0 accounts flagged" in r.stdout
    tries = [l for l in r.stdout.splitlines() if l.startswith("try: ")]
    assert tries and any("--layers auto" in t for t in tries) and any("--window" in t for t in tries), r.stdout
    j = json.loads((tmp_path / "empty" / "report.json").read_text(encoding="utf-8"))
    assert j["summary"]["suggestions"] == [t[len("try: "):] for t in tries]


def test_accounts_csv_has_one_row_per_account_with_the_rankings(planted):
    _, runs = planted
    out, _ = runs[1]
    rows = read_csv(out / "accounts.csv")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    header = list(rows[0].keys())
    assert header[:9] == ["account_id", "cluster", "score", "pagerank", "betweenness", "degree", "core", "kept_edges",
                          "n_events"]
    assert {"first_seen", "last_seen"} <= set(header)
    assert len(rows) == report["summary"]["accounts"]
    assert len({r["account_id"] for r in rows}) == len(rows)
    flagged = [r for r in rows if r["cluster"]]
    assert len(flagged) == report["summary"]["accounts_flagged"] > 0
    for r in rows:
        assert 0.0 <= float(r["score"]) <= 1.0
        assert float(r["pagerank"]) >= 0 and float(r["betweenness"]) >= 0
        assert int(r["n_events"]) >= 1
        assert r["first_seen"] <= r["last_seen"]
        if int(r["kept_edges"]) == 0:
            assert r["cluster"] == "" and float(r["score"]) == 0 and int(r["degree"]) == 0
    # Flagged accounts first, by cluster, then by decreasing score.
    clusters = [int(r["cluster"]) for r in flagged]
    assert clusters == sorted(clusters)
    assert rows[:len(flagged)] == flagged
    # The members listed in clusters.csv are exactly the flagged accounts with that cluster.
    by_cluster = {}
    for r in flagged:
        by_cluster.setdefault(r["cluster"], set()).add(r["account_id"])
    crow = read_csv(out / "clusters.csv")
    assert list(crow[0].keys())[:7] == ["cluster", "size", "density", "layers", "median_delay_s", "targets", "p_value"]
    assert [c["cluster"] for c in crow] == [str(i) for i in range(1, len(crow) + 1)]
    for c in crow:
        assert set(c["members"].split(";")) == by_cluster[c["cluster"]]
        assert int(c["size"]) == len(by_cluster[c["cluster"]])
        assert c["coordinated"] == "1"
    # Ranked by strength: p-values never decrease.
    p = [float(c["p_value"]) for c in crow]
    assert p == sorted(p)


def embedded_report(html_path):
    """The report JSON report.html embeds (report.json plus its run block)."""
    html = html_path.read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="cibgraph-data">') + len(
        '<script type="application/json" id="cibgraph-data">')
    return json.loads(html[start:html.index("</script>", start)])


def test_same_bytes_on_one_and_two_threads(planted):
    _, runs = planted
    one, two = runs[1][0], runs[2][0]
    for name in ["accounts.csv", "clusters.csv", "edges.csv", "evidence.csv", "rejects.csv"]:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    # report.json has no run block: the same bytes too. The page shows the run, which differs.
    assert (one / "report.json").read_bytes() == (two / "report.json").read_bytes()
    assert "run" not in json.loads((one / "report.json").read_text(encoding="utf-8"))
    a, b = embedded_report(one / "report.html"), embedded_report(two / "report.html")
    assert a["run"]["threads"] == 1 and b["run"]["threads"] == 2
    del a["run"], b["run"]
    assert a == json.loads((one / "report.json").read_text(encoding="utf-8"))


def test_planted_accounts_all_found_and_only_fan_clubs_among_the_false_positives(planted):
    d, runs = planted
    out, _ = runs[1]
    truth = {r["account_id"]: r["kind"] for r in read_csv(d / "data" / "truth.csv")}
    flagged = {r["account_id"] for r in read_csv(out / "accounts.csv") if r["cluster"]}
    planted_accounts = {a for a, k in truth.items() if k == "campaign"}
    tp = len(flagged & planted_accounts)
    precision, recall = tp / len(flagged), tp / len(planted_accounts)
    # Fan clubs are the one kind of false positive (docs/method.md, "Fan clubs"): no organic account, no page.
    wrong = {truth[a] for a in flagged - planted_accounts}
    assert recall >= 0.95 and wrong <= {"fanclub"} and precision >= 0.7, (precision, recall, wrong)


def test_report_json_is_consistent(planted):
    _, runs = planted
    out, _ = runs[1]
    j = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert j["schema"] == "cibgraph-report/1"
    assert [s["name"] for s in embedded_report(out / "report.html")["run"]["stages"]] == [
        "ingest", "projection", "null model", "filter and clusters", "refinement", "rankings", "csv outputs", "data.h5"]
    assert j["rows"]["read"] == j["rows"]["accepted"] + j["rows"]["rejected"] == 100000
    assert j["inputs"][0]["bytes"] == (out.parent / "data" / "events.csv").stat().st_size
    assert j["summary"]["clusters"] == len(j["clusters"]) > 0
    drawn = set()
    for c in j["clusters"]:
        nodes = c["view"]["nodes"]
        assert len(nodes) == min(c["size"], 5000) and set(nodes) <= set(c["members"])
        for a, b, w, k in c["view"]["edges"]:
            assert 0 <= a < b < len(nodes) and w > 0 and k >= 1
        drawn.update(nodes)
        assert len(c["timeline"]["cluster"]) == len(c["timeline"]["background"])
        assert len(c["delays"]["observed"]) == len(c["delays"]["expected"]) == len(c["delays"]["bin_edges_s"]) - 1
        assert "accounts acted together" in c["why"]
    assert set(j["evidence"]) == drawn
    flagged = {a["id"] for a in j["accounts"] if a["cluster"] is not None}
    assert len(flagged) == j["summary"]["accounts_flagged"]
    assert sum(s["size"] * s["count"] for s in j["cluster_sizes"]) == len(flagged)
    assert {n["id"] for n in j["overview"]["nodes"]} >= {f"c{c['id']}" for c in j["clusters"]}


def test_data_h5_holds_events_network_results_and_provenance(planted):
    _, runs = planted
    out, _ = runs[1]
    rows = read_csv(out / "accounts.csv")
    with h5py.File(out / "data.h5", "r") as f:
        assert {"events", "graphs", "results", "provenance", "dictionaries"} <= set(f.keys())
        g = f["results/coaction"]
        cluster = g["accounts/cluster"][...]
        assert len(cluster) == len(rows)
        assert (cluster > 0).sum() == sum(1 for r in rows if r["cluster"])
        params = json.loads(g["analysis"].attrs["parameters_json"])
        assert params["seed"] == 1 and params["window"] == "60s"
        report = bytes(g["analysis/report_json"][...]).decode("utf-8")
        assert json.loads(report)["summary"] == json.loads((out / "report.json").read_text())["summary"]
        assert len(g["clusters/id"]) == len(read_csv(out / "clusters.csv"))


def test_rejects_reconcile(tmp_path, cli):
    rows = ["account_id,action,target,timestamp"]
    for i in range(40):
        rows.append(f"acct{i % 7},share,post{i % 5},{1709251200 + i * 30}")
    rows += ["bad,share,post1,not-a-time", "short,share", 'q,share,"unterminated,1709251200']
    (tmp_path / "events.csv").write_text("\n".join(rows) + "\n")
    r = cli("analyze", tmp_path / "events.csv", "--out", tmp_path / "out", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    rejects = read_csv(tmp_path / "out" / "rejects.csv")
    j = json.loads((tmp_path / "out" / "report.json").read_text())
    assert j["rows"]["read"] == j["rows"]["accepted"] + j["rows"]["rejected"]
    assert j["rows"]["accepted"] == 40
    assert j["rows"]["rejected"] == len(rejects) >= 2
    assert sum(x["count"] for x in j["rows"]["top_reject_reasons"]) == j["rows"]["rejected"]
    assert len(read_csv(tmp_path / "out" / "accounts.csv")) == 7


def test_help_and_exit_codes(tmp_path, cli):
    r = cli("analyze", "--help")
    assert r.returncode == 0
    for flag in ["--out", "--account", "--time-format", "--window", "--fdr", "--seed", "--threads", "--quiet",
                 "--resolution", "--view-max-nodes"]:
        assert flag in r.stdout, flag
    assert "analyze" in cli("--help").stdout
    assert cli("--version").stdout.startswith("cibgraph ")
    (tmp_path / "e.csv").write_text("account_id,action,target,timestamp\na,share,p,1709251200\n")
    for args in [[], [tmp_path / "e.csv"], [tmp_path / "e.csv", "--out", tmp_path / "o", "--bogus"],
                 [tmp_path / "e.csv", "--out", tmp_path / "o", "--fdr", "1.5"],
                 [tmp_path / "e.csv", "--out", tmp_path / "o", "--window", "soon"],
                 [tmp_path / "e.csv", "--out", tmp_path / "o", "--seed", "x"]]:
        r = cli("analyze", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.startswith("cibgraph: ") and r.stderr.count("\n") == 1, r.stderr
    for args, message in [([tmp_path / "missing.csv"], "no such file"),
                          ([tmp_path / "e.csv", "--account", "user"], "no column 'user'")]:
        r = cli("analyze", *args, "--out", tmp_path / "o")
        assert r.returncode == 3, r.stderr
        assert message in r.stderr and r.stderr.count("\n") == 1, r.stderr
    # A file where the folder should be: an input error, not a crash.
    (tmp_path / "taken").write_text("x")
    r = cli("analyze", tmp_path / "e.csv", "--out", tmp_path / "taken")
    assert r.returncode == 3, r.stderr


HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "\u202eevil\u202c",
    "\U0001F600\U0001F4A3 emoji",
    "</script><script>alert(3)</script>",
    "x" * 10000,
]


def test_hostile_strings_pass_through_intact(tmp_path, cli):
    """Adversarial account names and javascript: targets, coordinated so that they reach every output."""
    write_coordinated_csv(tmp_path / "hostile.csv", HOSTILE,
                          lambda post: f"javascript:alert({post})" if post % 2
                          else f"https://example.org/<b>{post}</b>?a=\"1\"&b='2'", posts=15)
    r = cli("analyze", tmp_path / "hostile.csv", "--out", tmp_path / "out", "-q")
    assert r.returncode == 0, r.stderr
    rows = read_csv(tmp_path / "out" / "accounts.csv")
    flagged = {r["account_id"] for r in rows if r["cluster"]}
    assert flagged == set(HOSTILE)
    j = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(j["clusters"][0]["members"]) == set(HOSTILE)
    assert set(j["evidence"]) == set(HOSTILE)
    targets = {row["target"] for e in j["evidence"].values() for edge in e for row in edge["rows"]}
    assert any(t.startswith("javascript:") for t in targets)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # The data is in the page only as escaped JSON: no hostile markup appears literally.
    for name in HOSTILE[:2] + HOSTILE[4:5]:
        assert name not in html
    assert "\u2028" not in html and "\u2029" not in html


def test_a_clusters_targets_are_not_capped_by_the_evidence_kept(cli, tmp_path):
    """Two accounts co-sharing 30 posts: 30 targets (was 20, the evidence rows a tie keeps), said to be a lower bound
    while a tie keeps fewer rows than its co-actions, exact when it keeps them all."""
    rows = ["account_id,action,target,timestamp"]
    for k in range(30):
        for i, account in enumerate(("duo_a", "duo_b")):
            rows.append(f"{account},share,post{k},2024-03-{1 + k % 28:02d}T{k % 24:02d}:00:{i * 3:02d}Z")
    for i in range(200):  # an organic background sharing the same posts at random hours
        rows.append(f"user{i},share,post{i % 30},2024-03-{1 + i % 28:02d}T{(i * 7) % 24:02d}:{(i * 13) % 60:02d}:00Z")
    data = tmp_path / "duo.csv"
    data.write_text("\n".join(rows) + "\n")
    flags = ["--min-cluster-size", "2", "--min-core", "1", "--min-triangles", "0", "-q"]
    assert cli("analyze", data, "--out", tmp_path / "a", *flags).returncode == 0
    [c] = [c for c in json.loads((tmp_path / "a" / "report.json").read_text())["clusters"] if c["size"] == 2]
    assert c["targets"] == 30 and c["targets_at_least"] is True
    assert "acted together on at least 30 targets" in c["why"]
    assert cli("analyze", data, "--out", tmp_path / "b", "--evidence-per-edge", "50", *flags).returncode == 0
    [c] = [c for c in json.loads((tmp_path / "b" / "report.json").read_text())["clusters"] if c["size"] == 2]
    assert c["targets"] == 30 and c["targets_at_least"] is False and "on 30 targets" in c["why"]


def test_an_empty_layers_warning_lists_every_layer_with_events(planted, cli, tmp_path):
    """co-text reads texts, not actions: it is among the layers with events when the data has texts."""
    d, _ = planted
    r = cli("analyze", d / "data" / "events.csv", "--out", tmp_path / "w", "--layers", "co-share,co-url", "-q")
    assert r.returncode == 0, r.stderr
    assert "co-url read no events" in r.stderr
    assert "Layers with events in this data: co-share, co-reply, co-text (--layers co-share,co-reply,co-text)" in r.stderr
