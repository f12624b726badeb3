"""The example notebooks (python/examples) run headless without errors, and their outputs say what they should.

The runner passes the shared data sets' folder (tests/python/shared_datasets.py: $CIBGRAPH_SHARED_DATASETS, else
../shared/datasets) to each notebook as CIBGRAPH_SHARED_DATASETS, and requires the data (CIBGRAPH_REQUIRE_DATASETS=1)
whenever that folder exists or the tests' own environment requires it: a notebook that then cannot find its data
fails, and one that prints SKIPPED fails too, instead of passing without having analysed anything."""

import json
import pathlib
import re
import time

import pytest

from conftest import BUILD, ROOT, SHARED
from shared_datasets import LOCATION_ENV, REQUIRE_ENV, datasets_required, missing_datasets

nbformat = pytest.importorskip("nbformat", reason="Debian python3-nbformat is needed to run the notebooks")
nbclient = pytest.importorskip("nbclient", reason="Debian python3-nbclient is needed to run the notebooks")
pytest.importorskip("ipykernel", reason="Debian python3-ipykernel is needed to run the notebooks")

EXAMPLES = ROOT / "python" / "examples"
KERNEL = "cibgraph-test-python3"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernel spec of Debian's /usr/bin/python3 (numpy, pandas, networkx, igraph) with the build on its path,
    whatever kernels the user has installed."""
    d = tmp_path_factory.mktemp("jupyter")
    spec = d / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "cibgraph tests", "language": "python",
        "env": {"PYTHONPATH": str(BUILD / "python"), "PYDEVD_DISABLE_FILE_VALIDATION": "1"}}))
    return {"JUPYTER_PATH": str(d)}


def run_notebook(name, kernel_env, monkeypatch, extra_env=None, scratch=None):
    # The notebooks' scratch folders (tempfile.mkdtemp) go under pytest's own temporary folder, never /tmp.
    env = {**kernel_env, **({"TMPDIR": str(scratch)} if scratch else {}), **(extra_env or {})}
    # The data sets' folder, and whether the notebook must find its data there (unless the test says otherwise).
    data = pathlib.Path(env.setdefault(LOCATION_ENV, str(SHARED)))
    env.setdefault(REQUIRE_ENV, "1" if data.is_dir() or datasets_required() else "0")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{name}: outputs must be cleared in git"
    start = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=120, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    elapsed = time.perf_counter() - start
    assert elapsed < 60, f"{name} took {elapsed:.0f} s"
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{name}: {out.ename}: {out.evalue}"
            if out.output_type == "stream" and out.name == "stdout":
                texts.append(out.text)
            elif "data" in out:
                texts.append(out["data"].get("text/plain", ""))
                texts.append(out["data"].get("text/html", ""))
    out = "\n".join(texts)
    if env[REQUIRE_ENV] == "1":
        assert "SKIPPED" not in out, f"{name} skipped although the data sets are required ({data})"
    return out


def test_quick_tour(kernel_env, monkeypatch, tmp_path):
    out = run_notebook("01_quick_tour.ipynb", kernel_env, monkeypatch, scratch=tmp_path)
    assert not list(tmp_path.glob("cibgraph-*")), "the notebook must remove its scratch folder"
    assert "planted networks of sizes [8, 21, 71, 267] squads of sizes [10, 30]" in out
    assert "<cibgraph.Events 100,000 events" in out
    assert "cibgraph.CoordinationNetwork" in out and "accounts flagged" in out  # the HTML display
    m = re.search(r"precision ([\d.]+), recall ([\d.]+), planted networks found (\d+)/(\d+)", out)
    assert m, out[-2000:]
    precision, recall, found, planted = float(m[1]), float(m[2]), int(m[3]), int(m[4])
    # Every planted network and squad is found; fan-club members are the only false positives (docs/method.md).
    assert precision >= 0.7 and recall >= 0.95 and found == planted == 6
    assert re.search(r"fan-club members flagged: \d+", out) and "co-targeting" in out
    assert "['tour'] 60s" in out
    # cg.analyze: the Findings' rich display, the report written, the planted networks found again.
    assert "cibgraph.Findings" in out and "flagged clusters: <b>" in out and "<cibgraph.Findings 100,000 events" in out
    assert re.search(r"report: \S+/case/report\.html", out)
    assert re.search(r"stages: ingest [\d.]+ s, .*rankings [\d.]+ s, csv outputs [\d.]+ s", out)
    m = re.search(r"analyze: (\d+) clusters, precision ([\d.]+), recall ([\d.]+)", out)
    assert m, out[-2000:]
    assert int(m[1]) >= 6 and float(m[2]) >= 0.7 and float(m[3]) >= 0.95


def test_russian_coord_tweets(kernel_env, monkeypatch, tmp_path):
    if not SHARED.is_dir():
        missing_datasets(f"{SHARED} (the notebook's skip path is tested below)")
    out = run_notebook("02_russian_coord_tweets.ipynb", kernel_env, monkeypatch, scratch=tmp_path)
    assert "35125 rows read, 0 rejected" in out
    # Co-acting pairs per window, as bench/quality/results.md reports them for the CLI.
    for pairs in ("1092", "3092", "6206", "12339", "30010"):
        assert re.search(rf"\b{pairs}\b", out), pairs
    assert "window 5 min, layers co-share: 16 kept edges, 1 cluster, 1 coordinated" in out  # 15 before the co-targeting test
    assert "SKIPPED" not in out


def test_russian_notebook_skips_gracefully_without_the_data(kernel_env, monkeypatch, tmp_path):
    """A user's clone: no data sets, none required; every cell runs and the notebook says it skipped."""
    out = run_notebook("02_russian_coord_tweets.ipynb", kernel_env, monkeypatch, scratch=tmp_path,
                       extra_env={LOCATION_ENV: str(tmp_path / "absent"), REQUIRE_ENV: "0"})
    assert "SKIPPED" in out and "not found" in out
    assert "rows read" not in out


@pytest.mark.parametrize("where", ["empty folder", "absent folder, data required"])
def test_russian_notebook_fails_when_the_data_is_required_but_not_found(kernel_env, monkeypatch, tmp_path, where):
    """The runner requires the data when the folder exists (an empty one here), or when the tests' environment
    says so (CI, with the folder misplaced): the notebook must stop with an error, not print SKIPPED and pass."""
    folder = tmp_path / "datasets"
    extra = {LOCATION_ENV: str(folder)}
    if where == "empty folder":
        folder.mkdir()
    else:
        extra[REQUIRE_ENV] = "1"
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="FileNotFoundError"):
        run_notebook("02_russian_coord_tweets.ipynb", kernel_env, monkeypatch, scratch=tmp_path, extra_env=extra)


def test_comparing_communities(kernel_env, monkeypatch, tmp_path):
    out = run_notebook("03_comparing_communities.ipynb", kernel_env, monkeypatch, scratch=tmp_path)
    assert not list(tmp_path.glob("cibgraph-*")), "the notebook must remove its scratch folder"
    assert "the three libraries agree on every modularity" in out
    m = re.search(r"best NMI vs planted: ([\d.]+)", out)
    assert m and float(m[1]) >= 0.9
    assert "networkx louvain" in out and "igraph leiden" in out and "cibgraph clusters" in out
