#!/usr/bin/env python3
"""Scores `cibgraph project --clusters` output against the planted ground truth (truth.csv).

An account is flagged when it belongs to a cluster marked coordinated. Positives are the accounts of kind
`campaign` (the planted networks' members); pages, organic accounts and fan-club members are negatives.
Prints precision, recall, F1, the false-positive rate among organic accounts and among fan-club members, and how
many planted networks were found (at least half of their members flagged).
"""
import csv
csv.field_size_limit(1 << 30)
import json
import sys
from collections import Counter, defaultdict


def score(clusters_csv, truth_csv):
    truth = {}
    groups = defaultdict(set)
    with open(truth_csv, newline="") as f:
        for row in csv.DictReader(f):
            truth[row["account_id"]] = row["kind"]
            if row["kind"] == "campaign":
                groups[row["group"]].add(row["account_id"])
    flagged = set()
    n_clusters = 0
    with open(clusters_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["coordinated"] == "1":
                n_clusters += 1
                flagged.update(row["members"].split(";"))
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


if __name__ == "__main__":
    print(json.dumps(score(sys.argv[1], sys.argv[2])))
