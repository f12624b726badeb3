"""Shared pytest fixtures: where the build and the shared real data sets are."""

import csv
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("CIBGRAPH_BUILD_DIR", ROOT / "build"))
SHARED = ROOT.parent / "shared" / "datasets"


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
    """The folder of real data sets beside the project, or a skip saying it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"real data sets not found at {SHARED} (a user's clone has no ../shared/datasets)")
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
