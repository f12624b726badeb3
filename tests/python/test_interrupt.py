"""Ctrl-C stops long work: the CLI exits 130 with one line, Python raises KeyboardInterrupt."""

import os
import signal
import subprocess
import time

import pytest

from conftest import BUILD


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    p = tmp_path_factory.mktemp("big") / "big.csv"
    with open(p, "w") as f:
        f.write("account_id,action,target,timestamp\n")
        chunk = "".join(f"acct{i},share,post{i % 5000},2024-03-01T00:00:{i % 60:02d}Z\n" for i in range(100000))
        for _ in range(40):
            f.write(chunk)
    return p


def test_cli_ctrl_c_exits_130(big_csv, tmp_path):
    proc = subprocess.Popen([str(BUILD / "bin" / "cibgraph"), "ingest", str(big_csv), "-o", str(tmp_path / "x.h5")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Ingest opens its rejects ledger before it reads the first row, and writes x.h5 only at the end: once the
    # ledger exists, the signal lands while it reads (4 million rows, about a second).
    started = time.monotonic()
    while not (tmp_path / "rejects.csv").exists():
        assert proc.poll() is None and time.monotonic() - started < 30, "ingest never started reading"
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1] == "cibgraph: interrupted"
    assert not (tmp_path / "x.h5").exists()


def test_python_ctrl_c_raises_keyboard_interrupt(big_csv):
    # The child says "ready" from the read's first progress report, so the signal lands inside the C++ call (the
    # read takes about a second) whatever the machine's load, not during start-up or after the read.
    script = (
        "import cibgraph as cg, sys\n"
        "said = []\n"
        "def progress(stage, done, total):\n"
        "    if not said:\n"
        "        said.append(1); print('ready', flush=True)\n"
        "try:\n"
        f"    cg.read_events({str(big_csv)!r}, progress=progress)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted'); sys.exit(7)\n"
        "print('finished')\n")
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    # A shell's background job inherits SIGINT ignored, and Python then installs no Ctrl-C handler: give the child
    # the default disposition, as an interactive session has.
    proc = subprocess.Popen(["/usr/bin/python3", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline().strip() == "ready"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 7, (out, err)
    assert out.strip() == "interrupted"
