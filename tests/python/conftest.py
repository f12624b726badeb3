"""Shared pytest fixtures: where the build and the shared real data sets are (shared_datasets.py: the rule)."""

import csv
import os
import pathlib
import signal
import subprocess

import pytest

from shared_datasets import missing_datasets, shared_datasets_dir

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("CIBGRAPH_BUILD_DIR", ROOT / "build"))
SHARED = shared_datasets_dir()  # $CIBGRAPH_SHARED_DATASETS, else ../shared/datasets


@pytest.fixture
def python_ctrl_c():
    """Python's own Ctrl-C handler (KeyboardInterrupt) for SIGINT during a test that sends itself SIGINT. A process
    started as a shell's background job (`make test &`, nohup) inherits SIGINT ignored, and Python then installs no
    handler, so such a test would see nothing happen; the previous handler is put back afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture(scope="session")
def cli():
    """Runs build/bin/cibgraph with arguments; returns the CompletedProcess."""
    exe = BUILD / "bin" / "cibgraph"
    if not exe.exists():
        pytest.fail(f"{exe} is missing: run `make` first")

    def run(*args, **kwargs):
        return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, **kwargs)

    return run


@pytest.fixture(scope="session")
def shared_datasets():
    """The folder of real data sets, or a skip saying it is absent (a failure when CIBGRAPH_REQUIRE_DATASETS=1)."""
    if not SHARED.is_dir():
        missing_datasets(SHARED)
    return SHARED


def write_coordinated_csv(path, accounts, target_of, posts):
    """Writes an export in which `accounts` share each of `posts` targets (target_of(post)) seconds apart, at a lag
    that differs from post to post (a campaign's signature, not a habit), among 30 organic accounts sharing the
    same targets minutes apart: small enough for a test, strong enough that the campaign is flagged."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["account_id", "action", "target", "timestamp"])
        base = 1709251200
        for post in range(posts):
            target = target_of(post)
            for i, name in enumerate(accounts):
                w.writerow([name, "share", target, base + post * 3600 + 60 + (post * 733) % 2800 + i])
            for o in range(30):
                w.writerow([f"organic{o}", "share", target, base + post * 3600 + 300 + ((o * 37 + post * 101) % 3000)])
    return path
