"""A store touched with h5py (issue 20): refused with a message that says how to re-seal it, `cibgraph seal` and
cibgraph.seal_store re-seal it and say what changed, and a file that does not read back is never sealed."""

import os
import shutil
import subprocess

import h5py
import pytest

import cibgraph as cg

BUILD = os.environ.get("CIBGRAPH_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CLI = os.path.join(BUILD, "bin", "cibgraph")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


@pytest.fixture
def store(tmp_path):
    csv = tmp_path / "e.csv"
    csv.write_text("account_id,action,target,timestamp\n" +
                   "".join(f"u{i % 7},share,p{i % 5},2024-03-01T10:00:{i:02d}Z\n" for i in range(40)))
    path = tmp_path / "data.h5"
    assert run("ingest", str(csv), "-o", str(path), "-q").returncode == 0
    return path


def test_h5py_touched_store_is_refused_with_the_fix_then_sealed(store):
    with h5py.File(store, "a") as f:
        f.attrs["analyst_note"] = "checked by hand"
    r = run("info", str(store))
    assert r.returncode == 3 and "cibgraph seal" in r.stderr
    r = run("seal", str(store))
    assert r.returncode == 0, r.stderr
    assert "sealed; it changed since it was written" in r.stdout and "reads as a valid store" in r.stdout
    assert run("info", str(store)).returncode == 0
    with h5py.File(store, "r") as f:
        assert f.attrs["analyst_note"] == "checked by hand"  # the change itself is kept
    assert "already sealed, unchanged" in run("seal", str(store)).stdout
    assert len(cg.load_events(store)) == 40


def test_python_seal_store_reports_what_changed(store):
    before = os.path.getsize(store)
    with h5py.File(store, "a") as f:
        f.attrs["x"] = 1
    with pytest.raises(cg.FormatError, match="cibgraph seal"):
        cg.load_events(store)
    report = cg.seal_store(store)
    assert report["changed"] and report["recorded_size"] == before and report["size"] == os.path.getsize(store)
    assert report["recorded_sha256"] != report["sha256"] and len(report["sha256"]) == 64
    assert len(cg.load_events(store)) == 40


def test_a_store_that_does_not_read_back_is_not_sealed(store, tmp_path):
    # Damage the event columns' bytes (the checksummed chunks near the end), then try to seal.
    data = bytearray(store.read_bytes())
    for k in range(1, 200):
        data[-k] ^= 0xFF
    store.write_bytes(bytes(data))
    damaged = store.read_bytes()
    r = run("seal", str(store))
    assert r.returncode != 0 and r.stderr.startswith("cibgraph: error:")
    assert store.read_bytes() == damaged  # the old record is back: still refused as corrupted
    assert run("info", str(store)).returncode == 3
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
    r = run("seal", str(foreign))
    assert r.returncode != 0 and "user block" in r.stderr


def test_seal_reads_back_every_column_and_network_first(store, tmp_path):
    """A value only a full reader checks (an account id beyond the dictionary in /events, an unknown kept_by code in
    a stored network) keeps the file from being sealed, exit code 3, the file left as it was; a foreign file is an
    input error too (exit 3)."""
    with h5py.File(store, "a") as f:
        f["events/account"][5] = 10**9
    damaged = store.read_bytes()
    r = run("seal", str(store))
    assert r.returncode == 3 and "account" in r.stderr, r.stderr
    assert store.read_bytes() == damaged
    with pytest.raises(cg.Error):
        cg.seal_store(store)
    assert store.read_bytes() == damaged

    assert run("generate", "planted", "--out", str(tmp_path / "p"), "--events", "10000", "-q").returncode == 0
    out = tmp_path / "run"
    assert run("analyze", str(tmp_path / "p" / "events.csv"), "--out", str(out), "-q").returncode == 0
    h5 = out / "data.h5"
    with h5py.File(h5, "a") as f:
        layers = [k for k in f["graphs"][list(f["graphs"])[0]]["layers"]]
        kept_by = f["graphs"][list(f["graphs"])[0]]["layers"][layers[0]]["kept_by"]
        assert len(kept_by) > 0
        kept_by[0] = 99
    damaged = h5.read_bytes()
    r = run("seal", str(h5))
    assert r.returncode == 3 and "kept_by" in r.stderr, r.stderr
    assert h5.read_bytes() == damaged

    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = [1, 2, 3]
    assert run("seal", str(foreign)).returncode == 3
