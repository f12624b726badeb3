"""The `cibgraph` command: ingest, info, generate; exit codes and messages; reconciliation on real data."""

import csv
import gzip
import hashlib
import json
import os
import subprocess

import h5py
import numpy as np

from conftest import BUILD

CLI = str(BUILD / "bin" / "cibgraph")


def write(path, text):
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


GOOD = ("account_id,action,target,timestamp,text\n"
        "alice,share,p1,2024-03-01T00:00:00Z,\n"
        "bob,share,p1,2024-03-01T00:00:05Z,\"hello, world\"\n"
        "carol,comment,p2,2024-03-01T00:01:00Z,\"two\nlines\"\n")


def test_version_and_help(cli):
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("cibgraph ")
    r = cli("ingest", "--help")
    assert r.returncode == 0 and "--account COL" in r.stdout and "--action-value" in r.stdout
    assert cli("info", "--help").returncode == 0
    assert cli("generate", "--help").returncode == 0


def test_usage_errors_exit_2(cli, tmp_path):
    assert cli().returncode == 2
    assert cli("frobnicate").returncode == 2
    r = cli("ingest", "--bogus")
    assert r.returncode == 2 and "unknown option" in r.stderr
    r = cli("ingest", str(write(tmp_path / "a.csv", GOOD)))
    assert r.returncode == 2 and "-o" in r.stderr


def test_input_errors_exit_3_with_one_clear_line(cli, tmp_path):
    r = cli("ingest", tmp_path / "nope.csv", "-o", tmp_path / "x.h5")
    assert r.returncode == 3
    assert r.stderr.strip() == f"cibgraph: error: {tmp_path / 'nope.csv'}: no such file"
    r = cli("ingest", write(tmp_path / "a.csv", GOOD), "-o", tmp_path / "x.h5", "--account", "user")
    assert r.returncode == 3
    assert "no column 'user' for the account" in r.stderr and "a.csv" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("info", write(tmp_path / "junk.h5", b"not hdf5 at all" * 100))
    assert r.returncode == 3 and "junk.h5" in r.stderr


def test_ingest_writes_hdf5_readable_by_h5py(cli, tmp_path):
    src = write(tmp_path / "events.csv", GOOD)
    out = tmp_path / "data.h5"
    r = cli("ingest", src, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        assert f.attrs["format"] == "cibgraph"
        assert int(f.attrs["format_version"]) == 1
        ev = f["events"]
        assert ev["time"].dtype == np.int64 and ev["account"].dtype == np.uint32
        assert list(ev["time"][:]) == [1709251200000, 1709251205000, 1709251260000]
        d = f["dictionaries/accounts"]
        data, offs = d["bytes"][:].tobytes(), d["offsets"][:]
        names = [data[offs[i]:offs[i + 1]].decode() for i in range(len(offs) - 1)]
        assert names == ["alice", "bob", "carol"]
        prov = f["provenance"]
        assert int(prov.attrs["rows_read"]) == 3
        inp = prov["inputs"][sorted(prov["inputs"])[0]]
        assert inp.attrs["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
        assert int(inp.attrs["size_bytes"]) == src.stat().st_size
        mapping = json.loads(prov.attrs["mapping_json"])
        assert mapping["account"] == "account_id"
    r = cli("info", out)
    assert r.returncode == 0
    assert "3" in r.stdout and "alice" not in r.stdout


def test_ingest_summary_reconciles_and_rejects_file(cli, tmp_path):
    body = GOOD + "dave,share,p3,yesterday,\n" + "eve,share,p3\n" + ",share,p3,2024-03-01T00:00:00Z,\n"
    src = write(tmp_path / "mixed.csv", body)
    r = cli("ingest", src, "-o", tmp_path / "d.h5")
    assert r.returncode == 0, r.stderr
    assert "rows read 6 = accepted 3 + rejected 3" in r.stdout
    assert "rejected by reason: missing_field 1, unparseable_time 1, wrong_column_count 1" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "rejects.csv", newline="")))
    assert [int(x["line"]) for x in rows] == [6, 7, 8]
    assert rows[0]["field"] == "timestamp" and rows[0]["reason"].startswith("unparseable_time")
    assert rows[0]["raw"] == "dave,share,p3,yesterday,"
    assert all(x["source_file"] == str(src) for x in rows)


def test_ingest_gzip_and_jsonl_mapping(cli, tmp_path):
    gz = tmp_path / "e.csv.gz"
    with gzip.open(gz, "wt") as f:
        f.write(GOOD)
    jl = write(tmp_path / "e.jsonl",
               '{"u":{"id":"x"},"t":"2024-03-01T00:00:00Z","post":"p9"}\n{"broken\n')
    r = cli("ingest", gz, "-o", tmp_path / "a.h5", "-q")
    assert r.returncode == 0, r.stderr
    r = cli("ingest", jl, "-o", tmp_path / "b.h5", "--account", "u.id", "--time", "t", "--target", "post",
            "--action-value", "share")
    assert r.returncode == 0, r.stderr
    assert "rows read 2 = accepted 1 + rejected 1" in r.stdout


def test_generate_is_deterministic(cli, tmp_path):
    for d in ("a", "b"):
        r = cli("generate", "planted", "--out", tmp_path / d, "--events", 20000, "--seed", 7, "-q")
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "a/events.csv").read_bytes() == (tmp_path / "b/events.csv").read_bytes()
    assert (tmp_path / "a/truth.csv").read_bytes() == (tmp_path / "b/truth.csv").read_bytes()
    r = cli("ingest", tmp_path / "a/events.csv", "-o", tmp_path / "a/data.h5")
    assert r.returncode == 0, r.stderr
    assert "rejected 0" in r.stdout


def test_russian_coord_tweets_reconcile(cli, tmp_path, shared_datasets):
    src = shared_datasets / "russian_coord_tweets.csv.gz"
    r = cli("ingest", src, "-o", tmp_path / "ru.h5", "--account", "account_id", "--target", "object_id",
            "--time", "timestamp_share", "--action-value", "share")
    assert r.returncode == 0, r.stderr
    assert "rows read 35,125 = accepted 35,125 + rejected 0" in r.stdout
    with h5py.File(tmp_path / "ru.h5", "r") as f:
        assert f["events/time"].shape == (35125,)
        assert len(f["dictionaries/accounts/offsets"]) - 1 == 9509
        assert len(f["dictionaries/targets/offsets"]) - 1 == 7285


def test_german_elections_missing_urls_are_rejected_with_reasons(cli, tmp_path, shared_datasets):
    src = shared_datasets / "german_elections.csv.gz"
    r = cli("ingest", src, "-o", tmp_path / "de.h5", "--target", "url_id", "--time", "timestamp",
            "--action-value", "share", "--rejects", tmp_path / "rej.csv")
    assert r.returncode == 0, r.stderr
    with gzip.open(src, "rt") as f:
        rows = list(csv.DictReader(f))
    with_url = sum(1 for x in rows if x["url_id"] != "")
    assert f"rows read {len(rows):,} = accepted {with_url:,} + rejected {len(rows) - with_url:,}" in r.stdout
    rejected = list(csv.DictReader(open(tmp_path / "rej.csv", newline="")))
    assert len(rejected) == len(rows) - with_url
    assert {x["reason"] for x in rejected} == {"missing_field: empty"}
    assert {x["field"] for x in rejected} == {"url_id"}


def test_an_output_never_overwrites_an_input(cli, tmp_path):
    """A rejects ledger, a data set or an analysis file that is one of the inputs is refused (exit 2) before anything
    is written: the input stays as it was (it used to be emptied or replaced)."""
    d = tmp_path / "case"
    d.mkdir()
    for name in ("rejects.csv", "edges.csv", "data.csv"):
        write(d / name, GOOD)
    r = cli("ingest", d / "rejects.csv", "-o", d / "out.h5")
    assert r.returncode == 2 and "is both an input and an output" in r.stderr, r.stderr
    r = cli("ingest", d / "data.csv", "-o", d / "data.csv")
    assert r.returncode == 2 and "is both an input and an output" in r.stderr
    for name in ("rejects.csv", "edges.csv"):
        r = cli("analyze", d / name, "--out", d, "-q")
        assert r.returncode == 2 and "is both an input and an output" in r.stderr, (name, r.stderr)
    for name in ("rejects.csv", "edges.csv", "data.csv"):
        assert (d / name).read_text() == GOOD, name
    assert not (d / "out.h5").exists() and not (d / "report.json").exists()


def test_inputs_that_are_not_regular_files_are_refused_at_once(cli, tmp_path):
    """/dev/zero and a FIFO used to hang (the input is read twice: its SHA-256, then its rows); a pipe looked empty."""
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    for source in ("/dev/zero", str(fifo)):
        r = subprocess.run([CLI, "ingest", source, "-o", str(tmp_path / "x.h5")], capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 3 and "not a regular file" in r.stderr, (source, r.stderr)
    r = cli("ingest", tmp_path, "-o", tmp_path / "y.h5")
    assert r.returncode == 3 and "is a directory" in r.stderr


def test_names_that_are_not_utf8_and_huge_limits(cli, tmp_path):
    """A file name in invalid UTF-8 is recorded with U+FFFD (was an internal JSON error); a --max-record-bytes near
    2^64 is refused (limit + 1 overflowed and every row was lost)."""
    odd = os.path.join(os.fsencode(tmp_path), b"bad\xff\xfename.csv")
    with open(odd, "w") as f:
        f.write(GOOD)
    r = subprocess.run([os.fsencode(CLI), b"ingest", odd, b"-o", os.fsencode(tmp_path / "z.h5")], capture_output=True)
    assert r.returncode == 0, r.stderr
    r = cli("ingest", write(tmp_path / "ok.csv", GOOD), "-o", tmp_path / "w.h5", "--max-record-bytes",
            "18446744073709551615")
    assert r.returncode == 2 and "max-record-bytes is too large" in r.stderr, r.stderr


def test_messages_about_odd_headers_are_bounded_and_say_the_cause(cli, tmp_path):
    """A UTF-16 export is named as such (it got a 'mapped columns are missing' message echoing NUL bytes); a header
    is echoed with each name cut at 60 bytes and control bytes escaped (a 15 MB name filled stderr, escape sequences
    reached the terminal)."""
    utf16 = write(tmp_path / "u16.csv", GOOD.encode("utf-16"))
    r = cli("ingest", utf16, "-o", tmp_path / "a.h5")
    assert r.returncode == 3 and "is UTF-16" in r.stderr and "iconv" in r.stderr, r.stderr
    long_name = "x" * 1_000_000
    odd = write(tmp_path / "odd.csv", f"\x1b[31mred,{long_name},target,timestamp\nu,share,p,2024-03-01T00:00:00Z\n")
    r = cli("ingest", odd, "-o", tmp_path / "b.h5")
    assert r.returncode == 3 and "mapped columns are missing" in r.stderr
    assert len(r.stderr) < 5000 and "\x1b" not in r.stderr and "\\x1b[31mred" in r.stderr, r.stderr[:300]
    assert "x" * 60 + "\u2026" in r.stderr


def test_a_unix_seconds_time_in_a_milliseconds_file_is_rejected(cli, tmp_path):
    """The unit is detected from a file's first time; a later time in the other unit used to be read in the first's
    (seconds as milliseconds: a date in January 1970)."""
    data = write(tmp_path / "units.csv", "account_id,action,target,timestamp\n"
                 "a,share,p,1704067200000\nb,share,p,1704067200\nc,share,p,1704067201000\n")
    r = cli("ingest", data, "-o", tmp_path / "u.h5")
    assert r.returncode == 0, r.stderr
    assert "rows read 3 = accepted 2 + rejected 1" in r.stdout
    rows = list(csv.DictReader(open(tmp_path / "rejects.csv", newline="")))
    assert len(rows) == 1 and rows[0]["line"] == "3" and rows[0]["field"] == "timestamp"
    assert "reads as unix seconds" in rows[0]["reason"] and rows[0]["reason"].startswith("unparseable_time")
    # An explicit format reads them all in that unit, as asked.
    r = cli("ingest", data, "-o", tmp_path / "v.h5", "--time-format", "unix_ms", "--rejects", tmp_path / "r2.csv")
    assert r.returncode == 0 and "rows read 3 = accepted 3 + rejected 0" in r.stdout
