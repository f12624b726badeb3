#!/usr/bin/env python3
"""Scores `cibgraph project --clusters` output (or `cibgraph analyze`'s accounts.csv) against the planted ground truth
(truth.csv).

An account is flagged when it belongs to a cluster marked coordinated. Positives are the accounts of kind
`campaign` (the planted networks' members); pages, organic accounts and fan-club members are negatives.
Prints precision, recall, F1, the false-positive rate among organic accounts and among fan-club members, and how
many planted networks were found (at least half of their members flagged).

    score_clusters.py CLUSTERS.csv TRUTH.csv                       # the scores, one JSON line
    score_clusters.py CLUSTERS.csv TRUTH.csv --details [EDGES.csv]  # plus where the errors are (see diagnose())
    score_clusters.py --accounts ACCOUNTS.csv TRUTH.csv             # from `cibgraph analyze`'s accounts.csv
"""
import csv
csv.field_size_limit(1 << 30)
import json
import sys
from collections import Counter, defaultdict


def score(clusters_csv, truth_csv):
    flagged = set()
    n_clusters = 0
    with open(clusters_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["coordinated"] == "1":
                n_clusters += 1
                flagged.update(m for m in row["members"].split(";") if m)
    return score_flagged(flagged, n_clusters, truth_csv)


def score_accounts(accounts_csv, truth_csv):
    """The same scores from `cibgraph analyze`'s accounts.csv: an account is flagged when its cluster is not empty."""
    flagged = set()
    clusters = set()
    with open(accounts_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["cluster"]:
                flagged.add(row["account_id"])
                clusters.add(row["cluster"])
    return score_flagged(flagged, len(clusters), truth_csv)


def score_flagged(flagged, n_clusters, truth_csv):
    truth = {}
    groups = defaultdict(set)
    with open(truth_csv, newline="") as f:
        for row in csv.DictReader(f):
            truth[row["account_id"]] = row["kind"]
            if row["kind"] == "campaign":
                groups[row["group"]].add(row["account_id"])
    positives = {a for a, k in truth.items() if k == "campaign"}
    tp = len(flagged & positives)
    fp = len(flagged - positives)
    fn = len(positives - flagged)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    kinds = Counter(truth.values())
    fp_kinds = Counter(truth.get(a, "unknown") for a in flagged - positives)
    found = sum(1 for members in groups.values() if len(members & flagged) >= len(members) / 2)
    return {
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "fpr_organic": round(fp_kinds["organic"] / max(1, kinds["organic"]), 6),
        "fpr_fanclub": round(fp_kinds["fanclub"] / max(1, kinds["fanclub"]), 6),
        "flagged": len(flagged), "planted": len(positives), "false_positives_by_kind": dict(fp_kinds),
        "coordinated_clusters": n_clusters, "networks_found": f"{found}/{len(groups)}",
    }


def diagnose(clusters_csv, truth_csv, edges_csv=None):
    """Where the errors are: recall per planted network, where the missed members ended up (a cluster not marked
    coordinated, kept edges but no cluster, no kept edge at all: the last two need the --edges CSV), and which
    coordinated clusters hold the false positives, with their kinds and groups (which fan club, for instance)."""
    truth, group_of = {}, {}
    with open(truth_csv, newline="") as f:
        for row in csv.DictReader(f):
            truth[row["account_id"]] = row["kind"]
            group_of[row["account_id"]] = row["group"]
    clusters = []
    with open(clusters_csv, newline="") as f:
        for row in csv.DictReader(f):
            members = [m for m in row["members"].split(";") if m]
            clusters.append((row["coordinated"] == "1", members, row))
    flagged = {m for coord, members, _ in clusters if coord for m in members}
    in_plain_cluster = {m for coord, members, _ in clusters if not coord for m in members}
    networks = defaultdict(lambda: {"size": 0, "flagged": 0})
    for a, k in truth.items():
        if k == "campaign":
            networks[group_of[a]]["size"] += 1
            networks[group_of[a]]["flagged"] += a in flagged
    missed = [a for a, k in truth.items() if k == "campaign" and a not in flagged]
    where = Counter()
    with_edges = None
    if edges_csv:
        with_edges = set()
        with open(edges_csv, newline="") as f:
            for row in csv.DictReader(f):
                with_edges.add(row["account_a"])
                with_edges.add(row["account_b"])
    for a in missed:
        if a in in_plain_cluster:
            where["in a cluster not marked coordinated"] += 1
        elif with_edges is None:
            where["in no cluster"] += 1
        elif a in with_edges:
            where["with kept edges but in no cluster (outside the 4-truss)"] += 1
        else:
            where["without any kept edge"] += 1
    fp_clusters = []
    for coord, members, row in clusters:
        if not coord:
            continue
        fps = [m for m in members if truth.get(m) != "campaign"]
        if fps:
            fp_clusters.append({
                "cluster": row["cluster"], "size": len(members), "campaign": len(members) - len(fps),
                "false_positives": len(fps), "median_delay_s": row.get("median_delay_s"),
                "targets": row.get("targets"), "p_value": row.get("p_value"),
                "kinds": dict(Counter(truth.get(m, "unknown") for m in fps)),
                "groups": dict(Counter(group_of.get(m, "") or "-" for m in fps).most_common(5))})
    fp_clusters.sort(key=lambda c: -c["false_positives"])
    return {"networks": dict(sorted(networks.items())), "missed_where": dict(where),
            "false_positive_clusters": fp_clusters}



def find_cibgraph(arg, script):
    """The cibgraph binary named by --bin (relative to the repository when not found as given), or exit with a
    message saying how to build it."""
    import os
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[2]
    binary = pathlib.Path(arg)
    if not binary.is_absolute() and not binary.exists():
        binary = root / binary
    if not binary.is_file() or not os.access(binary, os.X_OK):
        sys.exit(f"{script}: cibgraph binary not found or not executable: {arg}\n"
                 f"build it first (make, or cmake --build build --target cibgraph) or pass --bin PATH")
    return binary.resolve()

if __name__ == "__main__":
    if sys.argv[1:2] == ["--accounts"]:
        if len(sys.argv) != 4:
            sys.exit("usage: score_clusters.py --accounts ACCOUNTS.csv TRUTH.csv")
        print(json.dumps(score_accounts(sys.argv[2], sys.argv[3])))
        sys.exit(0)
    args = [a for a in sys.argv[1:] if a != "--details"]
    if len(args) < 2:
        sys.exit("usage: score_clusters.py CLUSTERS.csv TRUTH.csv [--details [EDGES.csv]]")
    result = score(args[0], args[1])
    if "--details" in sys.argv:
        result["details"] = diagnose(args[0], args[1], args[2] if len(args) > 2 else None)
    print(json.dumps(result))
