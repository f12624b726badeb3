"""`make bench` / `make bench-quick` (bench/run.py): results go to an untracked folder unless published, every
Markdown table has its JSON beside it (schema cibgraph-bench/1, peers side by side as ratios), and a quick run is
never published. The runs here are the real scripts at tiny sizes: seconds, not the benchmark itself."""

import json
import os
import subprocess
import sys

import pytest

from conftest import BUILD, ROOT

PYTHON = "/usr/bin/python3"
sys.path.insert(0, str(ROOT / "bench"))
import bench_results  # noqa: E402


def tracked_state():
    """`git status --porcelain` of the files the benchmarks may write: bench/ and docs/."""
    try:
        r = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "bench", "docs"],
                           capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return r.stdout


def run(*args, env=None, cwd=ROOT):
    return subprocess.run([PYTHON, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
                          env={**os.environ, "CIBGRAPH_BUILD_DIR": str(BUILD), **(env or {})})


def check_document(doc, benchmark, mode):
    assert doc["schema"] == "cibgraph-bench/1" and doc["benchmark"] == benchmark and doc["mode"] == mode
    for key in ("started", "seconds", "commit", "dirty", "cores", "settings", "ratio", "rows", "notes"):
        assert key in doc, key
    assert "cibgraph seconds / peer seconds" in doc["ratio"]


def test_quick_run_writes_json_and_markdown_outside_the_tracked_files(tmp_path, cli):
    """bench/run.py --quick, the co-action comparison at 2,000 planted events (the real data set left out): the
    results folder holds run.json, the Markdown table and its JSON, and no file under bench/ or docs/ changed."""
    before = tracked_state()
    out = tmp_path / "results"
    r = run(ROOT / "bench" / "run.py", "--build", BUILD, "--quick", "--only", "coaction_pandas", "--out", out,
            env={"CIBGRAPH_BENCH_SIZES": "2000", "CIBGRAPH_SHARED_DATASETS": str(tmp_path / "absent")})
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert tracked_state() == before, "a quick run changed tracked files"

    index = json.loads((out / "run.json").read_text())
    assert index["mode"] == "quick" and not index["published"]
    assert index["environment"]["CIBGRAPH_BENCH_SIZES"] == "2000"
    assert index["environment"]["CIBGRAPH_BENCH_MAX_EDGES"] == "1e5"  # the quick defaults, where not set
    [step] = index["steps"]
    assert step["name"] == "coaction_pandas" and step["exit_code"] == 0 and "--quick" in step["command"]
    assert {"coaction_results.md", "coaction_results.json"} <= set(step["outputs"])

    md = (out / "coaction_results.md").read_text()
    assert "<!-- compare:start -->" in md and "<!-- compare:end -->" in md and "A quick run" in md
    assert "| planted 2000 | 2,000 |" in md and "same pairs, co_actions and distinct_targets" in md

    doc = json.loads((out / "coaction_results.json").read_text())
    check_document(doc, "coaction_pandas", "quick")
    assert doc["settings"]["sizes"] == "2000" and doc["settings"]["real"].endswith("russian_coord_tweets.csv.gz")
    [row] = doc["rows"]
    assert row["input"] == "planted 2000" and row["events"] == 2000 and row["same_pairs"] is True
    ours, pandas = row["cibgraph"]["seconds"], row["peers"]["pandas"]
    assert ours > 0 and pandas["seconds"] > 0
    assert pandas["ratio"] == pytest.approx(ours / pandas["seconds"], rel=1e-3) == row["ratio"]
    assert row["cibgraph"]["peak_rss_bytes"] > 0 and pandas["peak_rss_bytes"] > 0


def test_quick_runs_are_never_published(tmp_path):
    before = tracked_state()
    r = run(ROOT / "bench" / "run.py", "--build", BUILD, "--quick", "--publish", "--out", tmp_path)
    assert r.returncode == 2 and "a quick run is not published" in r.stderr
    r = run(ROOT / "bench" / "run.py", "--build", BUILD, "--out", ROOT / "bench" / "compare")
    assert r.returncode == 2 and "tracked tables" in r.stderr
    r = run(ROOT / "bench" / "run.py", "--build", BUILD, "--only", "no-such-family", "--out", tmp_path)
    assert r.returncode == 2 and "no family no-such-family" in r.stderr
    for script, flag in (("coaction_pandas.py", ["compare", "--results"]), ("compare_algorithms.py", ["--out"])):
        target = ROOT / "bench" / "compare" / ("coaction_results.md" if "coaction" in script else "algorithms_results.md")
        r = run(ROOT / "bench" / "compare" / script, *flag, target, "--quick")
        assert r.returncode == 2 and "--quick results are not published" in r.stderr, (script, r.stderr)
    assert tracked_state() == before


def test_quality_scripts_write_outside_the_tracked_files_by_default(tmp_path):
    """bench/quality/detection.py (its squad part: seconds) with no --out writes build/bench-results/
    quality_results.md and the run's JSON beside it, and no tracked file; run_quality.py and russian.py default there
    too (their --help)."""
    before = tracked_state()
    r = run(ROOT / "bench" / "quality" / "detection.py", "--parts", "squads", "--work", tmp_path / "work")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert tracked_state() == before, "detection.py changed tracked files"
    out = ROOT / "build" / "bench-results" / "quality_results.md"
    text = out.read_text()
    assert "<!-- detection:begin -->" in text and "<!-- detection:end -->" in text and "squad" in text
    raw = json.loads(out.with_name("quality_results.detection.json").read_text())
    assert raw["parts"] == ["squads"] and len(raw["rows"]) >= 7
    for script in ("run_quality.py", "russian.py", "detection.py"):
        r = run(ROOT / "bench" / "quality" / script, "--help")
        assert r.returncode == 0 and "build/bench-results/quality_results.md" in " ".join(r.stdout.split()), script


def test_comparison_rows_put_every_peer_beside_cibgraph():
    """compare_algorithms' JSON rows: a finished peer has seconds and ratio, a stopped one a bound, a skipped one
    its reason; the row's ratio is against the fastest finished peer, as in the Markdown table."""
    pytest.importorskip("graph_tool", reason="python3-graph-tool is not installed (scripts/bootstrap)")
    sys.path.insert(0, str(ROOT / "bench" / "compare"))
    import compare_algorithms as ca

    args = ca.parse_args(["--quick", "--out", "/tmp/unused.md"])
    assert args.repeat == 1 and args.generated_edges == 20_000 and str(args.json) == "/tmp/unused.json"
    assert ca.parse_args(["--quick", "--repeat", "3", "--out", "/tmp/u.md"]).repeat == 3  # the command line wins
    assert ca.parse_args(["--out", "/tmp/u.md"]).generated_edges == 10_000_000
    rows = [("Louvain", "g", {"igraph": 2.0, "networkx": None, "leidenalg": ca.Stopped(600)}, 1.0, 4.0, "Q 0.5"),
            ("Harmonic", "g", {}, None, None, "skipped: exact shortest paths above 1e+05 edges")]
    louvain, harmonic = ca.json_rows(rows, {"g": (10, 20)}, args)
    assert louvain["cibgraph"] == {"seconds": 1.0} and louvain["vertices"] == 10 and louvain["edges"] == 20
    assert louvain["peers"]["igraph"] == {"seconds": 2.0, "ratio": 0.5}
    assert louvain["peers"]["networkx"] == {"skipped": "above 2e+05 edges"}
    assert louvain["peers"]["leidenalg"] == {"stopped_after": 600.0, "ratio_below": round(1 / 600, 4)}
    assert louvain["ratio"] == 0.5 and louvain["ratio_at_equal_quality"] == 0.25 and louvain["quality"] == "Q 0.5"
    assert harmonic["cibgraph"] is None and harmonic["ratio"] is None and harmonic["skipped"].startswith("skipped")
    json.dumps([louvain, harmonic])


def test_google_benchmark_json_becomes_a_markdown_table(tmp_path):
    (tmp_path / "bench_x.json").write_text(json.dumps({
        "context": {"date": "2026-12-08T10:00:00+00:00", "num_cpus": 2, "load_avg": [1.0, 0.5, 0.25]},
        "benchmarks": [{"name": "BM_Pagerank/10000/real_time", "run_type": "iteration", "iterations": 12,
                        "real_time": 1.5, "cpu_time": 0.75, "time_unit": "ms", "edges": 9876.0},
                       {"name": "BM_Broken/10", "error_occurred": True, "error_message": "unexpected rejects"}]}))
    md = bench_results.gbench_markdown([tmp_path / "bench_x.json"])
    assert "## bench_x" in md and "| BM_Pagerank/10000/real_time | 1.5 ms | 0.75 ms | 12 | edges 9.88k |" in md
    assert "| BM_Broken/10 | | | | error: unexpected rejects |" in md
    (tmp_path / "bench_y.json").write_text('{"context": {}, "benchmarks": [')  # a program that crashed
    assert "`bench_y.json` is not valid JSON" in bench_results.gbench_markdown(sorted(tmp_path.glob("*.json")))
