"""Jupyter display (_repr_html_, escaped) and numpydoc docstrings on every public name."""

import inspect
import re

import numpy as np
import pandas as pd
import pytest

import cibgraph as cg

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def clique_network():
    """Five accounts (one with a hostile name) co-sharing ten posts within seconds, in an organic crowd of 300
    accounts sharing three posts each at random times: one coordinated cluster of five."""
    rng = np.random.default_rng(1)
    accounts = [EVIL, "bob & co", "carol", "dave", "eve"]
    rows = []
    for post in range(10):
        for k, a in enumerate(accounts):
            rows.append((a, "share", f"post{post}", 1709251200 + 86400 * post + 5 * k))
    for i in range(300):
        for post in rng.choice(60, 3, replace=False):
            rows.append((f"user{i}", "share", f"post{post}", 1709251200 + int(rng.integers(0, 30 * 86400))))
    df = pd.DataFrame(rows, columns=["account_id", "action", "target", "timestamp"])
    return cg.coordination_network(cg.from_pandas(df), progress=False)


def test_html_of_events_network_clusters_and_graph(clique_network):
    net = clique_network
    ev_html = net.events._repr_html_()
    assert "cibgraph.Events" in ev_html and "events: <b>950</b>" in ev_html and "share" in ev_html
    net_html = net._repr_html_()
    assert "cibgraph.CoordinationNetwork" in net_html and "co-share" in net_html
    assert "kept edges: <b>10</b>" in net_html  # K5
    assert "clusters: <b>1</b>" in net_html
    cl_html = net.clusters._repr_html_()
    assert ">5<" in cl_html  # the cluster's size
    g_html = net.graph._repr_html_()
    assert "vertices: <b>305</b>" in g_html and "edges: <b>10</b>" in g_html
    for html in (ev_html, net_html, cl_html, g_html):
        assert "<script>" not in html and 'alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in cl_html
    assert "bob &amp; co" in cl_html
    assert set(net.clusters.to_pandas().members[0]) == {EVIL, "bob & co", "carol", "dave", "eve"}
    assert net.clusters.flagged_accounts() == sorted([EVIL, "bob & co", "carol", "dave", "eve"])
    assert len(net.evidence(EVIL, "carol")) == 10


def test_displays_spell_numbers_as_the_cli_and_report(clique_network):
    """One number, one spelling: a notebook's tables and reprs use the format rules of the CLI and the report
    (tests/format_cases.json): counts with separators, other reals to 3 significant digits, p-values as p-values,
    nouns agreeing with their counts."""
    net = clique_network
    row = net.clusters.to_pandas().iloc[0]
    cl_html = net.clusters._repr_html_()
    assert f">{cg._core.format_p(row.p_value)}<" in cl_html
    assert f">{cg._core.format_ratio(row.density)}<" in cl_html and f">{row.density!r}<" not in cl_html
    assert repr(net.clusters) == "<cibgraph.Clusters 1 cluster, 1 coordinated>"
    assert repr(net) == "<cibgraph.CoordinationNetwork window 60 s, layers co-share: 10 kept edges, 1 cluster, 1 coordinated>"
    assert repr(net.events) == "<cibgraph.Events 950 events, 305 accounts, 60 targets>"
    # A p-value that underflowed is "below 1e-300", as in the report, never "0".
    from cibgraph import _display
    html = _display.table(["p", "n", "x"], [[0.0, 12345, 0.638138]], p_columns=(0,))
    assert ">below 1e-300<" in html and ">12,345<" in html and ">0.638<" in html


def test_summaries(clique_network):
    s = clique_network.summary()
    layer = s["layers"][0]
    assert layer["layer"] == "co-share" and layer["events"] == 950 and layer["kept"] == 10
    assert layer["capped_targets"] == 0 and layer["pairs_left_out"] == 0 and layer["pairs"] >= 10
    assert s["clusters"] == 1 and s["coordinated_clusters"] == 1 and s["flagged_accounts"] == 5
    assert s["window_s"] == 60.0 and s["window_method"] is None
    e = clique_network.events.summary()
    assert e["events"] == 950 and e["accounts"] == 305 and e["actions"] == {"share": 950}
    assert e["first"] == "2024-03-01T00:00:00+00:00" and e["rows_rejected"] == 0
    g = clique_network.graph.summary()
    assert g["vertices"] == 305 and g["edges"] == 10 and g["max_degree"] == 4 and g["isolated_vertices"] == 300


def _public_members(cls):
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            yield name, member.fget, False
        elif inspect.isfunction(member):
            yield name, member, True


def _takes_parameters(fn) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in sig.parameters.values())


def test_every_public_name_has_a_numpydoc_docstring():
    missing, no_params = [], []
    for name in cg.__all__:
        if name == "__version__":
            continue
        obj = getattr(cg, name)
        doc = inspect.getdoc(obj) or ""
        if not doc.strip():
            missing.append(name)
            continue
        if inspect.isclass(obj):
            if obj.__module__.startswith("cibgraph.") and not obj.__module__.endswith("_core"):
                for member_name, fn, is_method in _public_members(obj):
                    member_doc = inspect.getdoc(fn) or ""
                    if not member_doc.strip():
                        missing.append(f"{name}.{member_name}")
                    elif is_method and _takes_parameters(fn) and "Parameters\n----------" not in member_doc:
                        no_params.append(f"{name}.{member_name}")
        elif callable(obj) and _takes_parameters(obj) and "Parameters\n----------" not in doc:
            no_params.append(name)
    assert not missing, f"no docstring: {missing}"
    assert not no_params, f"no Parameters section: {no_params}"


def test_help_tells_what_leiden_computes():
    doc = inspect.getdoc(cg.leiden)
    assert "Leiden algorithm" in doc and "resolution : float" in doc and "Returns\n-------" in doc
    doc = inspect.getdoc(cg.coordination_network)
    for option in ("layers", "window", "filter", "fdr", "min_co_actions", "progress"):
        assert re.search(rf"^{option}\b.*:", doc, re.M), option


def test_exceptions_are_documented_classes():
    for exc in (cg.Error, cg.InputError, cg.FormatError, cg.UsageError):
        assert issubclass(exc, Exception) and exc.__doc__
    assert issubclass(cg.InputError, cg.Error)


def test_pipeline_functions_document_every_parameter():
    # coordination_network and analyze share option descriptions (filled in at import): none may go missing.
    for fn in (cg.coordination_network, cg.analyze):
        doc = fn.__doc__
        assert "@" not in doc.split("Parameters\n    ----------")[1].split("Returns")[0], fn.__name__
        documented = set()
        for line in doc.splitlines():
            if line.startswith("    ") and not line.startswith("     ") and " : " in line:
                documented.update(n.strip() for n in line.split(" : ")[0].split(","))
        missing = [p for p in inspect.signature(fn).parameters if p not in documented]
        assert not missing, f"{fn.__name__}: undocumented {missing}"
