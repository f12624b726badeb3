"""The shared data sets' location and the skip-or-fail rule (tests/python/shared_datasets.py)."""

import pytest

from conftest import ROOT
from shared_datasets import missing_datasets, shared_datasets_dir


def test_location_is_the_variable_else_beside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setenv("CIBGRAPH_SHARED_DATASETS", str(tmp_path))
    assert shared_datasets_dir() == tmp_path
    monkeypatch.delenv("CIBGRAPH_SHARED_DATASETS")
    assert shared_datasets_dir() == ROOT.parent / "shared" / "datasets"
    monkeypatch.setenv("CIBGRAPH_SHARED_DATASETS", "")
    assert shared_datasets_dir() == ROOT.parent / "shared" / "datasets"


def test_missing_data_skips_in_a_users_clone_and_fails_where_required(monkeypatch):
    monkeypatch.delenv("CIBGRAPH_REQUIRE_DATASETS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="real data sets not found: /nowhere.*CIBGRAPH_SHARED_DATASETS"):
        missing_datasets("/nowhere")
    monkeypatch.setenv("CIBGRAPH_REQUIRE_DATASETS", "1")
    with pytest.raises(pytest.fail.Exception, match="CIBGRAPH_REQUIRE_DATASETS=1 says they must be there"):
        missing_datasets("/nowhere")
