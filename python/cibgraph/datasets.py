"""Generated data sets: the planted-campaign scenario of ``cibgraph generate planted`` (events with ground truth)
and LFR benchmark graphs (:func:`cibgraph.lfr`)."""

from __future__ import annotations

import os
from typing import NamedTuple

from . import _core
from .events import PathLike

__all__ = ["LfrGraph", "PlantedData", "generate_planted", "lfr"]

LfrGraph = _core.LfrGraph


class PlantedData(NamedTuple):
    """Where :func:`generate_planted` wrote the scenario, and what it holds."""

    events_csv: str
    truth_csv: str
    summary: dict

    def truth(self):
        """The ground truth as a DataFrame: ``account_id``, ``kind`` (organic, fanclub, campaign, page) and ``group``
        (``netNN`` for a planted network's members and pages, ``fanNN`` for fan-club members, else empty).

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        return pd.read_csv(self.truth_csv, dtype=str, keep_default_na=False)


def generate_planted(out_dir: PathLike, events: int = 100_000, seed: int = 1, days: int = 30) -> PlantedData:
    """Writes the planted-campaign scenario, as ``cibgraph generate planted --out DIR``: pages and posts, an organic
    audience with heavy-tailed activity, viral posts, synchronised fan clubs (organic) and planted coordinated
    networks, and amplification squads (members share every post of their own page within seconds; truth group
    ``sqNN``), with the ground truth. Deterministic from the seed.

    Parameters
    ----------
    out_dir : path
        Folder for ``events.csv`` (account_id, action, target, timestamp, text, target_time) and ``truth.csv``
        (account_id, kind, group); created when missing.
    events : int
        Number of events (2,000 to 20,000,000; 10^5 takes about a second).
    seed : int
        Random seed.
    days : int
        Length of the scenario in days.

    Returns
    -------
    PlantedData
        ``events_csv``, ``truth_csv`` and ``summary`` (counts, ``network_sizes``, ``squad_sizes``, ``fan_club_sizes``, ...).

    Raises
    ------
    UsageError
        Options the generator cannot honour (too few events, days < 1).
    """
    events = int(events)
    if events > 20_000_000:
        raise _core.UsageError("events is at most 20000000")
    out = os.fspath(out_dir)
    os.makedirs(out, exist_ok=True)
    events_csv = os.path.join(out, "events.csv")
    truth_csv = os.path.join(out, "truth.csv")
    summary = _core.generate_planted(events_csv, truth_csv, events, int(seed), int(days))
    return PlantedData(events_csv, truth_csv, dict(summary))


def lfr(n: int = 1000, average_degree: float = 20.0, max_degree: int = 50, degree_exponent: float = 2.0,
        community_exponent: float = 1.0, mixing: float = 0.1, min_community: int = 20, max_community: int = 100,
        seed: int = 0) -> "_core.LfrGraph":
    """An LFR benchmark graph (Lancichinetti, Fortunato & Radicchi 2008) with its planted communities.

    Degrees and community sizes follow power laws; each vertex gives a share ``mixing`` of its edges to other
    communities. Deterministic from the seed.

    Parameters
    ----------
    n : int
        Vertices.
    average_degree : float
    max_degree : int
    degree_exponent : float
        Exponent of the degree distribution.
    community_exponent : float
        Exponent of the community size distribution.
    mixing : float
        Share of each vertex's edges leaving its community (mu).
    min_community, max_community : int
        Community size bounds.
    seed : int

    Returns
    -------
    LfrGraph
        ``src``, ``dst`` (edge arrays), ``community`` (planted community of each vertex), ``n`` and
        ``realised_mixing``; ``cibgraph.Graph.from_edges(g.src, g.dst, n=g.n)`` builds the graph.
    """
    return _core.lfr(int(n), float(average_degree), int(max_degree), float(degree_exponent),
                     float(community_exponent), float(mixing), int(min_community), int(max_community), int(seed))
