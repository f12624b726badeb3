"""Where the shared real data sets are, for the tests, the notebooks they run and the benchmark scripts.

The rule: $CIBGRAPH_SHARED_DATASETS if set, else ../shared/datasets beside the checkout. A user's clone has neither:
the tests that need the data skip, saying where they looked. Where the data is required (CIBGRAPH_REQUIRE_DATASETS=1,
as CI sets it), a missing data set fails the test instead, so a misplaced folder cannot turn every real-data test
into a skip that passes. The notebooks' test runner passes the folder on to each notebook and requires the data
whenever the folder exists (tests/python/test_py_notebooks.py).
"""

import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOCATION_ENV = "CIBGRAPH_SHARED_DATASETS"
REQUIRE_ENV = "CIBGRAPH_REQUIRE_DATASETS"


def shared_datasets_dir():
    env = os.environ.get(LOCATION_ENV)
    return pathlib.Path(env) if env else ROOT.parent / "shared" / "datasets"


def datasets_required():
    return os.environ.get(REQUIRE_ENV, "").strip() == "1"


def missing_datasets(what):
    """Skips the test (a user's clone) or, when the data is required, fails it: `what` was not found."""
    import pytest

    msg = (f"real data sets not found: {what} (set {LOCATION_ENV} to their folder; a user's clone has no "
           f"../shared/datasets)")
    if datasets_required():
        pytest.fail(f"{msg}, but {REQUIRE_ENV}=1 says they must be there", pytrace=False)
    pytest.skip(msg)
