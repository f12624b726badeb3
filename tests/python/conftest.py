"""Shared pytest fixtures: where the build and the shared real data sets are."""

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
