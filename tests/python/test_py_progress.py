"""Progress and interruption of long calls: callables, tqdm bars, silence off a terminal, Ctrl-C inside C++ work."""

import io
import os
import signal
import subprocess
import sys
import time

import pytest

import cibgraph as cg
from cibgraph import _progress
from conftest import BUILD


@pytest.fixture(scope="module")
def planted_events(tmp_path_factory):
    d = tmp_path_factory.mktemp("progress")
    data = cg.generate_planted(d, events=20_000, seed=2)
    return cg.read_events(data.events_csv, progress=False)


def test_callable_sees_the_sweep_then_the_three_stages(planted_events):
    seen = []
    net = cg.coordination_network(planted_events, layers="co-share", progress=lambda *a: seen.append(a))
    stages = [s for s in seen if s[0] in ("projection", "null model", "filter and clusters")]
    assert stages == [("projection", 1, 3), ("null model", 2, 3), ("filter and clusters", 3, 3)]
    # The sweep reports from one worker thread, paced to 50 ms: on small inputs it may finish before a report.
    sweep = [s for s in seen if s[0] == "co-action sweep"]
    assert all(seen.index(s) < seen.index(stages[0]) for s in sweep)
    assert all(0 < done <= total == net.layer(0).info["events"] for _, done, total in sweep)
    # The null model reports the edges it has tested, between the projection and its own stage end.
    tests = [s for s in seen if s[0] == "edge tests"]
    assert tests and tests[-1][1] == tests[-1][2] == len(net.layer(0))
    assert all(seen.index(stages[0]) < seen.index(s) < seen.index(stages[1]) for s in tests)
    assert set(s[0] for s in seen) <= {"co-action sweep", "projection", "edge tests", "null model", "filter and clusters"}


def test_returning_false_stops_the_pipeline(planted_events):
    seen = []

    def stop_after_projection(stage, done, total):
        seen.append(stage)
        return stage != "projection"

    with pytest.raises(KeyboardInterrupt):
        cg.coordination_network(planted_events, progress=stop_after_projection)
    assert seen[-1] == "projection"  # nothing ran after the stop


def test_sigint_during_the_call_raises_keyboard_interrupt(planted_events, python_ctrl_c):
    # The signal arrives while the C++ work is under way (sent from the first progress call); the next progress
    # point checks Python's signals, the C++ stops, and KeyboardInterrupt surfaces. No later stage runs.
    seen = []

    def send_sigint_once(stage, done, total):
        seen.append(stage)
        if len(seen) == 1:
            os.kill(os.getpid(), signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        cg.coordination_network(planted_events, progress=send_sigint_once)
    assert len(seen) == 1
    # The module still works afterwards.
    assert cg.coordination_network(planted_events, progress=False).layers == ["co-share", "co-reply", "co-text"]


def test_progress_false_and_none_off_a_terminal_are_silent(planted_events, capsys):
    assert _progress.resolve(False)[0] is None
    assert _progress.resolve(None)[0] is None  # pytest captures stderr: not a terminal, no notebook
    cg.coordination_network(planted_events, progress=None)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    with pytest.raises(TypeError, match="progress must be"):
        cg.coordination_network(planted_events, progress="yes")


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_tqdm_bars_on_a_terminal(planted_events, monkeypatch, tmp_path):
    pytest.importorskip("tqdm")
    fake = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", fake)
    callback, closer = _progress.resolve(True)
    assert isinstance(callback, _progress.TqdmProgress)
    closer.close()
    big = tmp_path / "big.csv"
    big.write_text("account_id,action,target,timestamp\n" + "a,share,p,1709251200\n" * 300_000)
    cg.read_events(big)  # progress=None: a terminal gets bars
    cg.coordination_network(planted_events)
    out = fake.getvalue()
    assert "ingest:" in out and "coordination:" in out and "/3" in out  # bars drawn (then cleared: leave=False)


def test_tqdm_adapter_one_bar_per_stage():
    bars = []

    class RecordingBar:
        def __init__(self, total=None, desc="", unit="it", unit_scale=False, leave=True):
            self.total, self.desc, self.n, self.closed, self.postfix = total, desc, 0, False, None
            bars.append(self)

        def update(self, k):
            self.n += k

        def set_postfix_str(self, s, refresh=True):
            self.postfix = s

        def close(self):
            self.closed = True

    p = _progress.TqdmProgress(RecordingBar)
    p("ingest", 10, 100)
    p("ingest", 100, 100)
    p("co-action sweep", 5, 50)
    p("projection", 1, 3)
    p("null model", 2, 3)
    p("filter and clusters", 3, 3)
    p.close()
    assert [(b.desc, b.total, b.n) for b in bars] == [("ingest", 100, 100), ("co-action sweep", 50, 5),
                                                       ("coordination", 3, 3)]
    assert bars[2].postfix == "filter and clusters" and all(b.closed for b in bars)


def test_ctrl_c_stops_the_projection_in_a_child_process(tmp_path):
    # A real Ctrl-C from outside, while the C++ sweep runs without the GIL: 10^6 events keep the projection busy
    # for seconds; the child must stop well before the work would have finished.
    data = cg.generate_planted(tmp_path, events=1_000_000, seed=3)
    cg.read_events(data.events_csv, progress=False).save(tmp_path / "big.h5")
    script = (
        "import cibgraph as cg, sys, time\n"
        f"ev = cg.load_events({str(tmp_path / 'big.h5')!r})\n"
        "try:\n"
        "    print('ready', flush=True)\n"
        "    start = time.perf_counter()\n"
        "    cg.coordination_network(ev, progress=False)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', round(time.perf_counter() - start, 2), flush=True); sys.exit(7)\n"
        "print('finished', flush=True)\n")
    env = dict(os.environ, PYTHONPATH=str(BUILD / "python"))
    proc = subprocess.Popen(["/usr/bin/python3", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline().strip() == "ready"
    # Inside the call once the child has spent a tenth of a second of CPU time after "ready" (its clock ticks, from
    # /proc), whatever the machine's load: the signal then lands in the C++ work, not before the call.
    def cpu_seconds():
        fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    base, started = cpu_seconds(), time.monotonic()
    while cpu_seconds() - base < 0.1:
        assert proc.poll() is None and time.monotonic() - started < 60, "the child never started working"
        time.sleep(0.005)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    waited = time.perf_counter() - sent
    assert proc.returncode == 7, (out, err)
    assert out.startswith("interrupted")
    assert waited < 3.0, waited  # promptly: the sweep checks at least every 50 ms


def test_save_reports_storing_and_stopping_leaves_the_file_unchanged(planted_events, tmp_path):
    net = cg.coordination_network(planted_events, progress=False)
    path = tmp_path / "store.h5"
    seen = []
    net.save(path, "first", progress=lambda *a: seen.append(a))
    storing = [s for s in seen if s[0] == "storing"]
    assert storing[0][1] == 0 and storing[-1][1] == storing[-1][2] > 0
    assert all(a[1] <= b[1] for a, b in zip(storing, storing[1:]))
    before = path.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        net.save(path, "second", progress=lambda stage, done, total: done == 0)
    assert path.read_bytes() == before and not os.path.exists(str(path) + ".tmp")
    assert cg.list_networks(path) == ["first"]
