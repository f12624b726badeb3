#!/usr/bin/python3
"""Detection at DEFAULT settings on four kinds of data, with a naive baseline beside each.

`cibgraph analyze INPUT --out DIR` with every flag at its default (plus one IRA row with three layers), judged on:

1. planted  `cibgraph generate planted --events N --seed S`, scored against its truth.csv: precision, recall, fan-club
            and organic accounts flagged, recall per squad group (groups named sqNN, when the generator has them).
2. squads   small hand-made CSVs (this script writes them, deterministic numpy seeds): a 30-account squad sharing the
            same 25 posts within 20 s amid 3,000 organic accounts, and variants (camouflage, organic sharers of the
            squad's posts, a 100 s burst, a 10-account squad, a fan club, a viral post). Scored as squad members flagged
            / squad size and non-squad accounts flagged.
3. ira      the IRA 2014-2015 tweets (every account an operator; roles of Linvill & Warren): share of the 2,041
            operators flagged, cluster purity by role, NMI between clusters and roles. Defaults, and
            `--layers co-share,co-url,co-hashtag`.
4. higgs    the SNAP Higgs retweet/mention/reply cascade (organic, no operation known): share of accounts flagged, and
            every flagged group listed (second section of results.md) so a reader can judge it.

The naive baseline beside every row: pairs of accounts with >= 3 co-actions within 60 s on the same target (co-actions
= pairs of their events on the same (action, target) at most 60 s apart; planted and squads: shares; IRA: retweets,
urls and hashtags together; Higgs: all actions), as a graph weighted by co-actions, Leiden (leidenalg, modularity,
seed 1); accounts in communities of >= 3 members are flagged. It is computed here in numpy (bounded memory), scored
exactly like cibgraph.

    /usr/bin/python3 bench/quality/detection.py                       # everything (planted 10^4..10^6 x seeds 1,2,3)
    /usr/bin/python3 bench/quality/detection.py --quick               # planted 10^4 seed 1, squads, IRA, Higgs
    /usr/bin/python3 bench/quality/detection.py --parts squads,ira    # some parts only
    /usr/bin/python3 bench/quality/detection.py --extra 1e7:1         # plus planted 10^7 seed 1

Writes the table between `<!-- detection:begin -->` and `<!-- detection:end -->` of --out (default
build/bench-results/quality_results.md, untracked; `--out bench/quality/results.md` publishes it) (and the
Higgs groups between `<!-- higgs-groups:begin -->` and `<!-- higgs-groups:end -->`), prints it, and keeps raw numbers
in WORK/detection.json. Scratch goes to --work (/tmp/quality-detection), never into the repository. The real data
sets are read from $CIBGRAPH_SHARED_DATASETS, else ../shared/datasets; when absent, parts 3 and 4 are skipped.
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from run_quality import parse_size, run, size_label, write_section  # noqa: E402
from score_clusters import find_cibgraph, score_flagged  # noqa: E402

BEGIN, END = "<!-- detection:begin -->", "<!-- detection:end -->"
HIGGS_BEGIN, HIGGS_END = "<!-- higgs-groups:begin -->", "<!-- higgs-groups:end -->"
PARTS = ["planted", "squads", "ira", "higgs"]
WINDOW_MS = 60_000  # the baseline's window (inclusive, as cibgraph's)
MIN_CO, MIN_COMMUNITY = 3, 3  # the baseline's pair threshold and community size
IRA_LAYERS = "co-share,co-url,co-hashtag"
BIG_OUTPUTS = ["data.h5", "evidence.csv"]  # removed after scoring (10^6-10^7 planted: GBs)


# ----------------------------------------------------------------------------------------------------------------
# common pieces


def datasets_dir():
    env = os.environ.get("CIBGRAPH_SHARED_DATASETS")
    return Path(env) if env else ROOT.parent / "shared" / "datasets"


def analyze(binary, inputs, out, log, extra=()):
    """`cibgraph analyze INPUT --out OUT [extra]`; returns (wall s, stdout). Big outputs are removed afterwards."""
    if out.exists():
        shutil.rmtree(out)
    stdout, wall, cpu, rss = run([binary, "analyze", *inputs, "--out", out, *extra], log)
    for big in BIG_OUTPUTS:
        (out / big).unlink(missing_ok=True)
    rows = json.loads((out / "report.json").read_text()).get("rows", {})
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rss_mib": round(rss),
            "rows_read": rows.get("read"), "rows_rejected": rows.get("rejected")}, stdout


def flagged_clusters(accounts_csv):
    """account -> cluster for the accounts of accounts.csv with a non-empty `cluster` (flagged)."""
    out = {}
    with open(accounts_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["cluster"]:
                out[row["account_id"]] = row["cluster"]
    return out


def to_ms(timestamps):
    """ISO 8601 strings -> int64 ms since the epoch."""
    return pd.to_datetime(pd.Series(timestamps), utc=True).astype("int64").to_numpy() // 10**6


def iso_ms(ms):
    """int64 ms since the epoch -> ISO 8601 UTC with milliseconds and 'Z' (what `cibgraph analyze` reads)."""
    ms = np.asarray(ms, dtype=np.int64)
    sec = pd.to_datetime(ms // 1000, unit="s").strftime("%Y-%m-%dT%H:%M:%S")
    return [f"{s}.{m:03d}Z" for s, m in zip(sec, ms % 1000)]


class PairCounter:
    """Counts pair codes (int64) in bounded memory: pending chunks are folded into sorted (code, count) arrays."""

    def __init__(self, fold_at=20_000_000):
        self.codes = np.empty(0, np.int64)
        self.counts = np.empty(0, np.int64)
        self.pending, self.n_pending, self.fold_at = [], 0, fold_at

    def add(self, codes):
        if codes.size:
            self.pending.append(codes)
            self.n_pending += codes.size
            if self.n_pending >= self.fold_at:
                self.fold()

    def fold(self):
        if not self.pending:
            return
        codes = np.concatenate([self.codes, *self.pending])
        counts = np.concatenate([self.counts, np.ones(self.n_pending, np.int64)])
        self.pending, self.n_pending = [], 0
        order = np.argsort(codes, kind="stable")
        codes, counts = codes[order], counts[order]
        start = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        self.codes, self.counts = codes[start], np.add.reduceat(counts, start)

    def result(self):
        self.fold()
        return self.codes, self.counts


def coaction_pairs(acc, key, t_ms, window_ms=WINDOW_MS):
    """Co-actions of every pair of distinct accounts: pairs of their events on the same key at most window_ms apart.
    acc and key are integer codes. Returns (a, b, co_actions) with a < b. Events are sorted by (key, time) and the
    partner i+d of each event i is tried for d = 1, 2, ... while it is on the same key within the window (once i+d is
    out, so is every later one), so the work is the number of event pairs, and memory is bounded by PairCounter."""
    acc = np.asarray(acc, np.int64)
    n_acc = int(acc.max()) + 1 if acc.size else 1
    order = np.lexsort((t_ms, key))
    a, k, t = acc[order], np.asarray(key)[order], np.asarray(t_ms, np.int64)[order]
    n = a.size
    counter = PairCounter()
    i = np.arange(max(n - 1, 0), dtype=np.int64)
    d = 1
    while i.size:
        j = i + d
        m = j < n
        i, j = i[m], j[m]
        m = (k[j] == k[i]) & (t[j] - t[i] <= window_ms)
        i, j = i[m], j[m]
        ai, aj = a[i], a[j]
        m = ai != aj
        lo, hi = np.minimum(ai[m], aj[m]), np.maximum(ai[m], aj[m])
        counter.add(lo * n_acc + hi)
        d += 1
    codes, counts = counter.result()
    return codes // n_acc, codes % n_acc, counts


def naive_baseline(accounts, keys, t_ms):
    """The naive baseline: pairs with >= MIN_CO co-actions within 60 s, graph weighted by co-actions, Leiden
    (modularity, seed 1), communities of >= MIN_COMMUNITY flagged. Returns (account -> community, info)."""
    import igraph as ig
    import leidenalg

    t0 = time.perf_counter()
    acc_codes, names = pd.factorize(pd.Series(accounts))
    key_codes, _ = pd.factorize(pd.Series(keys))
    a, b, co = coaction_pairs(acc_codes, key_codes, t_ms)
    keep = co >= MIN_CO
    a, b, co = a[keep], b[keep], co[keep]
    info = {"co_acting_pairs": int(len(keep)), "pairs_ge3": int(keep.sum())}
    flagged = {}
    if a.size:
        verts, inv = np.unique(np.concatenate([a, b]), return_inverse=True)
        g = ig.Graph(n=len(verts), edges=np.column_stack([inv[:a.size], inv[a.size:]]).tolist())
        g.es["weight"] = co.astype(float).tolist()
        part = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, weights="weight", seed=1)
        n_comm = 0
        for c, members in enumerate(part):
            if len(members) >= MIN_COMMUNITY:
                n_comm += 1
                for v in members:
                    flagged[str(names[verts[v]])] = f"b{c}"
        info["communities_ge3"] = n_comm
    else:
        info["communities_ge3"] = 0
    info["wall_s"] = round(time.perf_counter() - t0, 2)
    return flagged, info


def group_recall(flagged, truth_csv, prefix="sq"):
    """Recall of every campaign group whose name starts with prefix: {group: [flagged, size]}."""
    groups = {}
    with open(truth_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] == "campaign" and row.get("group", "").startswith(prefix):
                g = groups.setdefault(row["group"], [0, 0])
                g[1] += 1
                g[0] += row["account_id"] in flagged
    return dict(sorted(groups.items()))


def judge_truth(flagged, truth_csv):
    """score_flagged's scores, with the flagged fan-club / organic counts and the sqNN groups' recall."""
    s = score_flagged(set(flagged), len(set(flagged.values())), truth_csv)
    fp = s["false_positives_by_kind"]
    s["fanclub_flagged"], s["organic_flagged"] = fp.get("fanclub", 0), fp.get("organic", 0)
    with open(truth_csv, newline="") as f:
        kinds = Counter(row["kind"] for row in csv.DictReader(f))
    s["fanclub_accounts"], s["organic_accounts"] = kinds["fanclub"], kinds["organic"]
    s["squad_groups"] = group_recall(flagged, truth_csv)
    return s


# ----------------------------------------------------------------------------------------------------------------
# 1. planted


def snapshot(source, work):
    """A private copy of the binary for the whole run (build/ is rebuilt by others while this runs): WORK/bin/cibgraph,
    taken when two reads of the source agree. Returns (copy, sha256, build time of the source)."""
    for _ in range(30):
        built = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(source.stat().st_mtime))
        data = source.read_bytes()
        time.sleep(1)
        if data == source.read_bytes():
            break
    else:
        sys.exit(f"detection.py: {source} keeps changing (a build is running?); try again later")
    copy = work / "bin" / "cibgraph"
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.unlink(missing_ok=True)
    copy.write_bytes(data)
    copy.chmod(0o755)
    return copy, hashlib.sha256(data).hexdigest(), built


def planted_data(binary, work, events, seed, digest, log):
    d = work / "planted" / f"e{events}_s{seed}"
    stamp = d / "stamp.json"
    want = {"events": events, "seed": seed, "binary_sha256": digest}  # the generator lives in the binary
    if stamp.exists() and json.loads(stamp.read_text()) == want and (d / "events.csv").exists():
        return d
    if d.exists():
        shutil.rmtree(d)
    run([binary, "generate", "planted", "--out", d, "--events", events, "--seed", seed, "-q"], log)
    stamp.write_text(json.dumps(want))
    return d


def part_planted(binary, work, plan, digest, log):
    rows = []
    for events, seed in plan:
        label = f"planted {size_label(events)} seed {seed}"
        print(f"{label}", flush=True)
        d = planted_data(binary, work, events, seed, digest, log)
        timing, _ = analyze(binary, [d / "events.csv"], d / "out", log)
        cib = judge_truth(flagged_clusters(d / "out" / "accounts.csv"), d / "truth.csv")
        ev = pd.read_csv(d / "events.csv", usecols=["account_id", "action", "target", "timestamp"], dtype=str)
        ev = ev[ev.action == "share"]
        flagged, binfo = naive_baseline(ev.account_id.to_numpy(), ev.target.to_numpy(), to_ms(ev.timestamp))
        del ev
        base = judge_truth(flagged, d / "truth.csv")
        base.update(binfo)
        rows.append({"part": "planted", "scenario": label, "events": events, "seed": seed, "cibgraph": cib,
                     "baseline": base, **timing})
        print(f"  cibgraph {truth_cell(cib)}; baseline {truth_cell(base)}; analyze {timing['wall_s']:.1f} s",
              flush=True)
    return rows


def truth_cell(s):
    p = f"{s['precision']:.3f}" if s["flagged"] else "–"
    tp = round(s["recall"] * s["planted"])
    out = f"P {p} · R {s['recall']:.3f} ({tp}/{s['planted']}) · fan club {s['fanclub_flagged']}/" \
          f"{s['fanclub_accounts']:,} · organic {s['organic_flagged']}/{s['organic_accounts']:,}"
    if s.get("squad_groups"):
        out += " · " + ", ".join(f"{g} {f}/{n}" for g, (f, n) in s["squad_groups"].items())
    return out


# ----------------------------------------------------------------------------------------------------------------
# 2. squads

T0_MS = int(pd.Timestamp("2024-03-01T00:00:00Z").value // 10**6)
HOUR, MIN = 3_600_000, 60_000
DAYS = 3


def organic_background(rng, n_accounts=3000, n_posts=3000, prefix="o"):
    """Organic sharing: each account makes 1-20 shares (P(k) ~ k^-2), of posts picked by a Zipf-like popularity
    (weight 1/rank), at log-normal delays (median 30 min, sigma 1.3: minutes to hours) after each post's birth
    (uniform over the first DAYS-1 days)."""
    birth = T0_MS + rng.integers(0, (DAYS - 1) * 24 * HOUR, n_posts)
    pop = 1.0 / rng.permutation(np.arange(1, n_posts + 1))
    pop /= pop.sum()
    k = np.arange(1, 21)
    pk = k ** -2.0
    n_shares = rng.choice(k, size=n_accounts, p=pk / pk.sum())
    accounts, posts = [], []
    for i, m in enumerate(n_shares):
        accounts += [f"{prefix}{i:05d}"] * int(m)
        posts.append(rng.choice(n_posts, size=int(m), replace=False, p=pop))
    posts = np.concatenate(posts)
    delay = np.exp(rng.normal(np.log(30 * MIN), 1.3, posts.size)).astype(np.int64)
    return pd.DataFrame({"account_id": accounts, "target": [f"op{p:05d}" for p in posts],
                         "t": birth[posts] + delay}), birth, pop


def organic_shares_for(rng, accounts, per_account, birth, pop):
    """per_account organic shares for each of the given accounts (camouflage, fans' ordinary activity)."""
    rows = []
    for acc in accounts:
        m = int(per_account(rng))
        posts = rng.choice(len(birth), size=m, replace=False, p=pop)
        delay = np.exp(rng.normal(np.log(30 * MIN), 1.3, m)).astype(np.int64)
        rows.append(pd.DataFrame({"account_id": acc, "target": [f"op{p:05d}" for p in posts],
                                  "t": birth[posts] + delay}))
    return pd.concat(rows, ignore_index=True)


def squad_events(rng, n_members=30, n_posts=25, burst_s=20, group="sq01", start=6 * HOUR, gap=2 * HOUR):
    """A squad: every member shares each of its posts; the first share at the post's slot (posts gap apart), the
    others uniformly within burst_s of it."""
    members = [f"{group}m{i:02d}" for i in range(n_members)]
    rows = []
    for p in range(n_posts):
        t_first = T0_MS + start + p * gap
        offsets = rng.uniform(0, burst_s * 1000, n_members).astype(np.int64)
        offsets[rng.integers(n_members)] = 0  # the first share
        rows.append(pd.DataFrame({"account_id": members, "target": f"{group}p{p:03d}", "t": t_first + offsets}))
    return pd.concat(rows, ignore_index=True), members


SQUAD_VARIANTS = {
    "a": "base: 30 accounts share the same 25 posts (2 h apart) within 20 s; 3,000 organic accounts",
    "b": "base + camouflage: each squad member also makes 25 organic shares",
    "c": "base + 20 organic accounts share each squad post over the next hours",
    "d": "base with the burst spread over 100 s",
    "e": "10 accounts on 10 posts (within 20 s)",
    "f": "base + a fan club: 200 fans share a page's 40 posts (p 0.3-0.8 each, log-normal delay, median 3 min)",
    "g": "base + a viral post: 2,000 organic accounts share one post within an hour",
}


def make_squad_variant(variant, seed):
    """Events and truth of one variant. The organic background is the same for every variant (rng seed), the
    squad and the variant's extras come from their own streams (seed + 1, seed + 2)."""
    rng_bg, rng_sq, rng_x = (np.random.default_rng(seed + i) for i in range(3))
    organic, birth, pop = organic_background(rng_bg)
    organic_accounts = sorted(set(organic.account_id))
    if variant == "d":
        squad, members = squad_events(rng_sq, burst_s=100)
    elif variant == "e":
        squad, members = squad_events(rng_sq, n_members=10, n_posts=10)
    else:
        squad, members = squad_events(rng_sq)
    parts = [organic, squad]
    truth = [(a, "organic", "") for a in organic_accounts] + [(m, "campaign", "sq01") for m in members]
    if variant == "b":
        parts.append(organic_shares_for(rng_x, members, lambda r: 25, birth, pop))
    elif variant == "c":
        pool = np.array(organic_accounts)
        for post, first in squad.groupby("target").t.min().items():
            who = rng_x.choice(pool, 20, replace=False)
            delay = np.exp(rng_x.normal(np.log(1 * HOUR), 0.8, 20)).astype(np.int64)  # minutes to hours
            parts.append(pd.DataFrame({"account_id": who, "target": post, "t": first + 30_000 + delay}))
    elif variant == "f":
        fans = [f"fan{i:03d}" for i in range(200)]
        page_posts = T0_MS + np.sort(rng_x.integers(0, (DAYS - 1) * 24 * HOUR, 40))
        p_fan = rng_x.uniform(0.3, 0.8, len(fans))
        # as the generator's fan clubs: each fan's own median (3 min x lognormal(0, 0.4)), sigma 0.8, >= 3 s
        pace = np.log(3 * MIN) + rng_x.normal(0, 0.4, len(fans))
        for j, born in enumerate(page_posts):
            who = rng_x.random(len(fans)) < p_fan
            delay = np.maximum(3000, np.exp(rng_x.normal(pace[who], 0.8))).astype(np.int64)
            parts.append(pd.DataFrame({"account_id": np.array(fans)[who], "target": f"page01p{j:02d}",
                                       "t": born + delay}))
        k = np.arange(1, 21)
        pk = k ** -2.0
        parts.append(organic_shares_for(rng_x, fans, lambda r: r.choice(k, p=pk / pk.sum()), birth, pop))
        truth += [(f, "fanclub", "fan01") for f in fans]
    elif variant == "g":
        who = rng_x.choice(np.array(organic_accounts), 2000, replace=False)
        delay = rng_x.exponential(10 * MIN, 2000)
        while (bad := delay >= HOUR).any():  # within the hour
            delay[bad] = rng_x.exponential(10 * MIN, bad.sum())
        parts.append(pd.DataFrame({"account_id": who, "target": "viral01", "t": T0_MS + 30 * HOUR +
                                   delay.astype(np.int64)}))
    ev = pd.concat(parts, ignore_index=True).sort_values(["t", "account_id"], kind="stable")
    ev = ev.drop_duplicates(["account_id", "target"])  # one share of a post per account
    viral = set(ev.account_id[ev.target == "viral01"])
    truth = pd.DataFrame(truth, columns=["account_id", "kind", "group"])
    truth.loc[truth.account_id.isin(viral), "group"] = "viral01"
    return ev.reset_index(drop=True), truth


def part_squads(binary, work, seed, log):
    rows = []
    for variant, what in SQUAD_VARIANTS.items():
        label = f"squads ({variant}) {what.split(':')[0]}"
        print(f"squads ({variant}): {what}", flush=True)
        d = work / "squads" / variant
        d.mkdir(parents=True, exist_ok=True)
        ev, truth = make_squad_variant(variant, seed)
        out = pd.DataFrame({"account_id": ev.account_id, "action": "share", "target": ev.target,
                            "timestamp": iso_ms(ev.t)})
        out.to_csv(d / "events.csv", index=False)
        truth.to_csv(d / "truth.csv", index=False)
        timing, _ = analyze(binary, [d / "events.csv"], d / "out", log)
        cib = squad_scores(flagged_clusters(d / "out" / "accounts.csv"), truth)
        flagged, binfo = naive_baseline(ev.account_id.to_numpy(), ev.target.to_numpy(), ev.t.to_numpy())
        base = squad_scores(flagged, truth)
        base.update(binfo)
        rows.append({"part": "squads", "variant": variant, "scenario": label, "description": what,
                     "events": len(ev), "accounts": int(ev.account_id.nunique()), "seed": seed,
                     "cibgraph": cib, "baseline": base, **timing})
        print(f"  cibgraph {squad_cell(cib)}; baseline {squad_cell(base)}; analyze {timing['wall_s']:.1f} s",
              flush=True)
    return rows


def squad_scores(flagged, truth):
    squad = set(truth.account_id[truth.kind == "campaign"])
    fans = set(truth.account_id[truth.kind == "fanclub"])
    viral = set(truth.account_id[truth.group == "viral01"])
    f = set(flagged)
    return {"squad_flagged": len(f & squad), "squad_size": len(squad),
            "recall": round(len(f & squad) / len(squad), 4), "non_squad_flagged": len(f - squad),
            "fans_flagged": len(f & fans), "fans": len(fans), "viral_flagged": len(f & viral), "viral": len(viral),
            "flagged": len(f), "clusters": len(set(flagged.values()))}


def squad_cell(s):
    out = f"squad {s['squad_flagged']}/{s['squad_size']} · non-squad {s['non_squad_flagged']}"
    if s["fans"]:
        out += f" (fans {s['fans_flagged']}/{s['fans']})"
    if s["viral"]:
        out += f" (viral sharers {s['viral_flagged']}/{s['viral']})"
    return out


# ----------------------------------------------------------------------------------------------------------------
# 3. IRA


def nmi(u, v):
    """Normalised mutual information of two labelings, arithmetic-mean normalisation: I(U;V) / ((H(U) + H(V)) / 2),
    natural logs (the normalisation cancels the base); 1.0 when both labelings have a single label (H = 0)."""
    u = pd.factorize(pd.Series(u))[0]
    v = pd.factorize(pd.Series(v))[0]
    if u.size == 0:
        return float("nan")
    cont = np.zeros((u.max() + 1, v.max() + 1))
    np.add.at(cont, (u, v), 1)
    pij = cont / u.size
    pu, pv = pij.sum(1), pij.sum(0)
    nz = pij > 0
    mi = float((pij[nz] * np.log(pij[nz] / np.outer(pu, pv)[nz])).sum())

    def entropy(p):
        p = p[p > 0]
        return float(-(p * np.log(p)).sum())
    hu, hv = entropy(pu), entropy(pv)
    return 1.0 if hu + hv == 0 else mi / ((hu + hv) / 2)


def role_scores(flagged, roles):
    """Share flagged, purity by role (size-weighted mean of each cluster's majority-role share), share of operators
    in clusters of purity >= 0.9, NMI(cluster, role) over flagged accounts, the role mix of each cluster."""
    n = len(roles)
    members = {}
    for a, c in flagged.items():
        members.setdefault(c, []).append(a)
    majority, pure, mix = 0, 0, []
    for c, accs in sorted(members.items(), key=lambda kv: -len(kv[1])):
        counts = Counter(roles.get(a, "unknown-account") for a in accs)
        top = counts.most_common(1)[0][1]
        majority += top
        pure += len(accs) if top / len(accs) >= 0.9 else 0
        mix.append({"cluster": c, "size": len(accs), "purity": round(top / len(accs), 4),
                    "roles": dict(counts.most_common())})
    nf = len(flagged)
    accs = sorted(flagged)
    return {"flagged": nf, "operators": n, "flagged_share": round(nf / n, 4) if n else 0.0,
            "clusters": len(members), "purity": round(majority / nf, 4) if nf else float("nan"),
            "share_in_pure_clusters": round(pure / n, 4) if n else 0.0,
            "nmi": round(nmi([flagged[a] for a in accs], [roles.get(a, "?") for a in accs]), 4) if nf else
            float("nan"), "cluster_roles": mix}


def role_cell(s):
    if not s["flagged"]:
        return "flagged 0 of {:,}".format(s["operators"])
    return (f"flagged {100 * s['flagged_share']:.1f}% ({s['flagged']:,} of {s['operators']:,}) in {s['clusters']} "
            f"clusters · purity {s['purity']:.2f} · in purity ≥ 0.9: {100 * s['share_in_pure_clusters']:.1f}% · "
            f"NMI {s['nmi']:.2f}")


def part_ira(binary, work, data_dir, log):
    data, roles_csv = data_dir / "ira_2014_2015.csv.gz", data_dir / "ira_2014_2015_roles.csv"
    roles = dict(pd.read_csv(roles_csv, dtype=str).itertuples(index=False, name=None))
    d = work / "ira"
    d.mkdir(parents=True, exist_ok=True)
    print("ira: baseline", flush=True)
    ev = pd.read_csv(data, dtype=str)
    flagged, binfo = naive_baseline(ev.account_id.to_numpy(), (ev.action + "\x1f" + ev.target).to_numpy(),
                                    to_ms(ev.timestamp))
    n_events, actions = len(ev), ev.action.value_counts().to_dict()
    del ev
    base = role_scores(flagged, roles)
    base.update(binfo)
    print(f"  baseline {role_cell(base)} ({binfo['wall_s']:.1f} s)", flush=True)
    rows = []
    for name, extra in [("IRA, defaults", []), (f"IRA, --layers {IRA_LAYERS}", ["--layers", IRA_LAYERS])]:
        print(f"{name}", flush=True)
        out = d / ("out_default" if not extra else "out_layers")
        timing, stdout = analyze(binary, [data], out, log, extra)
        report = json.loads((out / "report.json").read_text())
        cib = role_scores(flagged_clusters(out / "accounts.csv"), roles)
        layers = ",".join(report["summary"].get("layers") or [])
        rows.append({"part": "ira", "scenario": f"{name} (layers: {layers})" if not extra else name, "args": extra, "events": n_events, "actions": actions,
                     "layers": report["summary"].get("layers"),
                     "cibgraph": cib, "baseline": base, **timing})
        print(f"  cibgraph {role_cell(cib)}; analyze {timing['wall_s']:.1f} s", flush=True)
    return rows


# ----------------------------------------------------------------------------------------------------------------
# 4. Higgs

HIGGS_ACTIONS = {"RT": "retweet", "MT": "mention", "RE": "reply"}


def part_higgs(binary, work, data_dir, log):
    d = work / "higgs"
    d.mkdir(parents=True, exist_ok=True)
    raw = pd.read_csv(data_dir / "higgs-activity_time.txt.gz", sep=" ", header=None,
                      names=["a", "b", "ts", "kind"], dtype={"a": str, "b": str, "ts": np.int64, "kind": str})
    ev = pd.DataFrame({"account_id": raw.a, "action": raw.kind.map(HIGGS_ACTIONS), "target": raw.b,
                       "timestamp": pd.to_datetime(raw.ts, unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ")})
    users = len(set(raw.a) | set(raw.b))
    csv_path = d / "higgs.csv"
    ev.to_csv(csv_path, index=False)
    n_accounts = int(ev.account_id.nunique())
    print("higgs: cibgraph analyze", flush=True)
    timing, _ = analyze(binary, [csv_path], d / "out", log)
    report = json.loads((d / "out" / "report.json").read_text())
    flagged = flagged_clusters(d / "out" / "accounts.csv")
    cib = {"flagged": len(flagged), "accounts": n_accounts, "users": users,
           "flagged_share": round(len(flagged) / n_accounts, 6), "clusters": len(set(flagged.values())),
           "layers": report["summary"].get("layers")}
    print(f"  cibgraph {higgs_cell(cib)}; analyze {timing['wall_s']:.1f} s", flush=True)
    print("higgs: baseline", flush=True)
    bflag, binfo = naive_baseline(ev.account_id.to_numpy(), (ev.action + "\x1f" + ev.target).to_numpy(),
                                  raw.ts.to_numpy() * 1000)
    base = {"flagged": len(bflag), "accounts": n_accounts, "flagged_share": round(len(bflag) / n_accounts, 6),
            "clusters": len(set(bflag.values())), **binfo}
    print(f"  baseline {higgs_cell(base)} ({binfo['wall_s']:.1f} s)", flush=True)
    groups = higgs_groups(report, ev)
    row = {"part": "higgs", "scenario": f"Higgs, defaults (layers: {','.join(cib['layers'] or [])})", "events": len(ev),
           "actions": ev.action.value_counts().to_dict(), "cibgraph": cib, "baseline": base, "groups": groups,
           **timing}
    return [row]


def higgs_cell(s):
    return (f"flagged {100 * s['flagged_share']:.3f}% ({s['flagged']:,} of {s['accounts']:,}) in "
            f"{s['clusters']} clusters")


def higgs_groups(report, ev):
    """Every flagged cluster of report.json with what a reader needs to judge it: size, layers, p-value, observed
    vs expected, median delay, targets, the top targets with the cluster's actions on each beside all the data's
    events on that target (a sliver of a huge crowd, or the target's whole audience?), the members' median number
    of events, and the `why` text."""
    per_target = ev.groupby("target").size()
    per_account = ev.groupby("account_id").size()
    out = []
    for c in report.get("clusters", []):
        tops = [(t["target"], t["actions"], int(per_target.get(t["target"], 0))) for t in c.get("top_targets", [])]
        members = c.get("members", [])
        out.append({"id": c["id"], "size": c["size"], "layers": c.get("layers"), "p_value": c.get("p_value"),
                    "evidence": c.get("evidence", ""), "sync_p": c.get("sync_p"), "cotarget_p": c.get("cotarget_p"),
                    "observed": c.get("observed"), "expected": c.get("expected"),
                    "median_delay_s": c.get("median_delay_s"), "targets": c.get("targets"),
                    "density": c.get("density"), "split": c.get("split"),
                    "second_stage_members": len(c.get("second_stage_members", [])),
                    "members_median_events": float(np.median([per_account.get(m, 0) for m in members]))
                    if members else None,
                    "top_targets": tops, "why": c.get("why", "")})
    return out


def higgs_section(row, date, commit):
    g = row["groups"]
    cib = row["cibgraph"]
    lines = ["## Higgs: every group `cibgraph analyze` flags at its defaults",
             "",
             f"Written by `bench/quality/detection.py` on {date} (HEAD {commit}). The SNAP Higgs cascade is organic "
             "(people reacting to the announcement within seconds); nothing in it is known to be coordinated, so "
             f"each group below is either a finding or a false positive. {cib['flagged']:,} of {cib['accounts']:,} "
             f"accounts flagged ({100 * cib['flagged_share']:.3f}%; the accounts are the users who act, column account_id; "
             f"{cib['users']:,} users appear as actor or target) in {len(g)} clusters, layers "
             f"{', '.join(cib.get('layers') or [])}. Targets are the anonymised ids of the retweeted / mentioned / "
             "replied-to users; beside each, the cluster's actions on it / all events on it in the data.",
             "",
             "| cluster | size | layers | evidence (synchrony p, co-targeting p) | p-value | observed / expected | "
             "median delay (s) | targets | members' median events | top targets (cluster actions / all events) |",
             "|---:|---:|---|---|---:|---:|---:|---:|---:|---|"]
    for c in g:
        tops = ", ".join(f"{t} ({a} / {n:,})" for t, a, n in c["top_targets"][:5])
        pair = (f" ({c['sync_p']:.2g}, {c['cotarget_p']:.2g})" if c.get("sync_p") is not None
                and c.get("cotarget_p") is not None else "")
        lines.append(f"| {c['id']} | {c['size']} | {', '.join(c['layers'] or [])} | {c.get('evidence') or '-'}{pair} | "
                     f"{c['p_value']:.2g} | "
                     f"{c['observed']:.0f} / {c['expected']:.1f} | {c['median_delay_s']:.0f} | {c['targets']} | "
                     f"{c['members_median_events']:.0f} | {tops} |")
    lines += ["", "What cibgraph says about each (`why` of report.json):", ""]
    for c in g:
        lines.append(f"- **{c['id']}** ({c['size']} accounts): {c['why'].strip()}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------------------
# the table


def cells(row):
    part = row["part"]
    if part == "planted":
        return truth_cell(row["cibgraph"]), truth_cell(row["baseline"])
    if part == "squads":
        return squad_cell(row["cibgraph"]), squad_cell(row["baseline"])
    if part == "ira":
        return role_cell(row["cibgraph"]), role_cell(row["baseline"])
    return higgs_cell(row["cibgraph"]), higgs_cell(row["baseline"])


def section(rows, date, commit, version, part_times, skipped, seconds):
    lines = ["## Detection at default settings, with a naive baseline",
             "",
             f"Date {date} (UTC), commit {commit}, {version}; written by `bench/quality/detection.py` "
             f"({os.cpu_count()} cores shared with other work; the run took {seconds:.0f} s"
             + "".join(f", {p} {t:.0f} s" for p, t in part_times.items()) + ").",
             "",
             "cibgraph: `cibgraph analyze INPUT --out DIR` with every flag at its default (the IRA row with `--layers` "
             "adds only that flag); an account is flagged when its `cluster` in accounts.csv is not empty. Baseline: "
             "pairs of accounts with ≥ 3 co-actions within 60 s on the same (action, target) (planted and squads: "
             "shares; IRA: retweets, urls and hashtags together; Higgs: all actions), graph weighted by co-actions, "
             "Leiden (modularity, seed 1), accounts in communities of ≥ 3 flagged. "
             "Planted: P = precision, R = recall (flagged / planted campaign members), fan club and organic = "
             "flagged accounts of those kinds (sqNN = recall of squad groups, when the generator plants them). "
             "Squads: squad members flagged / squad size; non-squad = flagged accounts outside the squad. "
             "IRA (every account an operator): share of the operators flagged; purity = size-weighted mean over "
             "flagged clusters of the majority role's share; in purity ≥ 0.9 = operators flagged in such clusters / "
             "all operators; NMI between cluster and role over flagged accounts, I(C;R) / ((H(C) + H(R)) / 2). "
             "Higgs (organic): share of the accounts (users who act, column account_id) flagged; the groups are "
             "listed in the next section. Wall time: the whole `cibgraph analyze` process.",
             "",
             "Every input is read with `analyze`'s default columns (account_id, action, target, timestamp); rows "
             "rejected by ingest: " + (", ".join(f"{r['scenario']} {r.get('rows_rejected')} of {r.get('rows_read'):,}"
                                                 for r in rows if r.get("rows_rejected")) or "none") + ".",
             "",
             "| scenario | cibgraph | baseline | cibgraph wall (s) |",
             "|---|---|---|---:|"]
    for r in rows:
        c, b = cells(r)
        lines.append(f"| {r['scenario']} | {c} | {b} | {r['wall_s']:.1f} |")
    for s in skipped:
        lines.append(f"| {s} | skipped: ../shared/datasets not found | | |")
    squads = [r for r in rows if r["part"] == "squads"]
    if squads:
        lines += ["", "Squad variants (events, accounts): " + "; ".join(
            f"({r['variant']}) {r['description']} ({r['events']:,}, {r['accounts']:,})" for r in squads) + "."]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default=",".join(PARTS), help="comma-separated subset of planted,squads,ira,higgs [all]")
    ap.add_argument("--sizes", default="1e4,1e5,1e6", help="planted: events per scenario [1e4,1e5,1e6]")
    ap.add_argument("--seeds", default="1,2,3", help="planted: generator seeds [1,2,3]")
    ap.add_argument("--extra", action="append", default=[], metavar="EVENTS:SEED",
                    help="planted: one more scenario (e.g. 1e7:1); repeatable")
    ap.add_argument("--squad-seed", type=int, default=1, help="squads: numpy seed of the generated variants [1]")
    ap.add_argument("--quick", action="store_true", help="planted 10^4 seed 1 only (squads, IRA, Higgs as usual)")
    ap.add_argument("--bin", default=str(ROOT / "build/bin/cibgraph"), help="cibgraph binary [build/bin/cibgraph]")
    ap.add_argument("--out", default=str(ROOT / "build" / "bench-results" / "quality_results.md"),
                    help="markdown file [build/bench-results/quality_results.md, untracked; --out bench/quality/results.md "
                         "publishes]")
    ap.add_argument("--work", default="/tmp/quality-detection", help="scratch folder [/tmp/quality-detection]")
    args = ap.parse_args()

    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if any(p not in PARTS for p in parts):
        sys.exit(f"detection.py: --parts takes {','.join(PARTS)}, not {args.parts}")
    source = find_cibgraph(args.bin, "detection.py")
    work = Path(args.work)
    if work.resolve().is_relative_to(ROOT.resolve()):
        sys.exit(f"detection.py: --work {work} is inside the repository; use a scratch folder")
    work.mkdir(parents=True, exist_ok=True)
    binary, digest, built = snapshot(source, work)
    try:
        if args.quick:
            plan = [(10_000, 1)]
        else:
            plan = [(parse_size(n), int(s)) for n in args.sizes.split(",") if n.strip()
                    for s in args.seeds.split(",") if s.strip()]
        plan += [(parse_size(e), int(s)) for e, s in (x.split(":") for x in args.extra)]
    except ValueError as exc:
        sys.exit(f"detection.py: bad --sizes/--seeds/--extra: {exc}")

    date = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip() or "cibgraph ?"
    data_dir = datasets_dir()
    rows, skipped, part_times = [], [], {}
    t_all = time.perf_counter()
    log_path = work / "detection.log"
    with open(log_path, "w") as log:
        for part in parts:
            t0 = time.perf_counter()
            try:
                if part == "planted":
                    rows += part_planted(binary, work, plan, digest, log)
                elif part == "squads":
                    rows += part_squads(binary, work, args.squad_seed, log)
                elif not data_dir.is_dir():
                    print(f"{part}: skipped: ../shared/datasets not found ({data_dir})", flush=True)
                    skipped.append({"ira": "IRA", "higgs": "Higgs"}[part])
                    continue
                elif part == "ira":
                    rows += part_ira(binary, work, data_dir, log)
                else:
                    rows += part_higgs(binary, work, data_dir, log)
            except RuntimeError as exc:
                sys.exit(f"detection.py: {exc}\n(full log: {log_path})")
            part_times[part] = time.perf_counter() - t0
            print(f"{part}: {part_times[part]:.1f} s", flush=True)
    seconds = time.perf_counter() - t_all
    raw = {"date": date, "commit": commit, "version": version, "binary": str(source), "binary_sha256": digest,
           "binary_built": built, "parts": parts,
           "part_seconds": {p: round(t, 2) for p, t in part_times.items()}, "skipped": skipped, "rows": rows}
    (work / "detection.json").write_text(json.dumps(raw, indent=1, default=str))
    body = section(rows, date, commit, f"{version} (binary built {built}, sha256 {digest[:12]}…)", part_times,
                   skipped, seconds)
    out = Path(args.out)
    write_section(out, body, BEGIN, END)
    higgs = [r for r in rows if r["part"] == "higgs"]
    higgs_md = higgs_section(higgs[0], date, commit) if higgs else ""
    if higgs:
        write_section(out, higgs_md, HIGGS_BEGIN, HIGGS_END)
    raw_beside = out.with_name(out.stem + ".detection.json")  # the same run's raw numbers, beside the table
    raw_beside.write_text(json.dumps(raw, indent=1, default=str))
    print()
    print(body)
    if higgs_md:
        print(higgs_md)
    print(f"wrote {out}; raw numbers {raw_beside} (and {work / 'detection.json'}); log {log_path}")


if __name__ == "__main__":
    main()
