"""`pip install .` with Debian's pip, offline, into a fresh venv that sees Debian's packages; the installed package
imports from the venv (not from the build tree) and runs the pipeline. Reuses this build's CMake folder
(CIBGRAPH_CMAKE_BUILD_DIR) so it takes seconds, not the minutes of a fresh C++ build."""

import os
import subprocess

import pytest

from conftest import BUILD, ROOT


def test_pip_install_into_a_fresh_venv(tmp_path):
    if not (BUILD / "CMakeCache.txt").is_file():
        pytest.fail(f"{BUILD} is not a CMake build folder: run `make` first")
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
                   check=True, timeout=120)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing from the build tree
    env.update(CIBGRAPH_CMAKE_BUILD_DIR=str(BUILD), CIBGRAPH_PIP_BUILD_DIR=str(tmp_path / "pip-build"),
               CMAKE_BUILD_PARALLEL_LEVEL="1", PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    # Debian's pip (from the system site-packages the venv sees), no build isolation: nothing is downloaded.
    r = subprocess.run([str(python), "-m", "pip", "install", "--no-build-isolation", str(ROOT)], cwd=tmp_path,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "Successfully installed cibgraph-" in r.stdout
    script = (
        "import cibgraph as cg, pandas as pd, sys\n"
        "df = pd.DataFrame({'account_id': ['a', 'b', 'a', 'b'], 'target': ['p', 'p', 'q', 'q'],\n"
        "                   'timestamp': [1709251200, 1709251201, 1709254800, 1709254802], 'action': 'share'})\n"
        "net = cg.coordination_network(cg.from_pandas(df), filter='none', progress=False)\n"
        "print(cg.__file__)\n"
        "print(net.to_pandas()[['account_a', 'account_b', 'co_actions']].values.tolist())\n")
    r = subprocess.run([str(python), "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(str(venv)), lines[0]  # imported from the venv's site-packages
    assert lines[1] == "[['a', 'b', 2]]"
    assert not (ROOT / "python" / "cibgraph.egg-info").exists()  # setuptools' files stay out of the source tree
