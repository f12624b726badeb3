"""The command line is parsed by CLI11 (issue 20): one message style, "did you mean", the usual conventions."""

import os
import subprocess

BUILD = os.environ.get("CIBGRAPH_BUILD_DIR", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
CLI = os.path.join(BUILD, "bin", "cibgraph")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def test_unknown_option_says_the_closest_flag_with_one_prefix():
    r = run("analyze", "x.csv", "--out", "o", "--windw", "30s")
    assert r.returncode == 2
    assert r.stderr == ("cibgraph: analyze: unknown option '--windw'; did you mean --window? "
                        "(see cibgraph analyze --help)\n")
    r = run("project", "x.h5", "--min-cores", "2")
    assert "did you mean --min-core?" in r.stderr and r.stderr.count("cibgraph") == 2  # prefix + the --help hint
    r = run("ingest", "x.csv", "-o", "x.h5", "--zzzzzzzz")
    assert r.returncode == 2 and "did you mean" not in r.stderr


def test_missing_value_and_bad_value_name_the_flag():
    r = run("analyze", "x.csv", "--out")
    assert r.returncode == 2 and r.stderr == "cibgraph: analyze: option --out needs a value\n"
    r = run("analyze", "x.csv", "--out", "o", "--fdr", "2")
    assert r.returncode == 2 and r.stderr == "cibgraph: --fdr must be in (0, 1), got 2\n"
    r = run("analyze", "x.csv", "--out", "o", "--min-core", "two")
    assert r.stderr == "cibgraph: --min-core needs a whole number, got 'two'\n"


def test_conventions(tmp_path):
    assert run("generate", "planted", "--events", "2000", "--out", str(tmp_path / "d"), "-q").returncode == 0
    out = tmp_path / "o"
    # --name=value and --name value, the last of a repeated option wins, -o for --out, -- before positionals.
    r = run("analyze", "-q", "--window=30s", "--window", "20s", "-o", str(out), "--", str(tmp_path / "d" / "events.csv"))
    assert r.returncode == 0, r.stderr
    assert '"window":"20s"' in (out / "report.json").read_text()


def test_openmp_threads_sleep_while_they_wait_unless_the_user_chose():
    """Spinning OpenMP threads made small work 10-20x slower beside busy processes (bench/contention/): the CLI and
    the Python module default to OMP_WAIT_POLICY=passive and leave a user's choice alone."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    r = subprocess.run([CLI, "--version"], capture_output=True, text=True, env=env)
    assert "wait policy passive" in r.stdout, r.stdout
    r = subprocess.run([CLI, "--version"], capture_output=True, text=True, env=dict(env, OMP_WAIT_POLICY="active"))
    assert "wait policy active" in r.stdout, r.stdout
    code = "import os, cibgraph; print(os.environ['OMP_WAIT_POLICY'])"
    py = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, env=env)
    assert py.stdout.strip() == "passive", py.stderr
    py = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                        env=dict(env, OMP_WAIT_POLICY="active"))
    assert py.stdout.strip() == "active", py.stderr


def test_a_flag_given_a_value_is_refused_not_switched_on(tmp_path):
    """--quiet=false used to switch --quiet on; a flag takes no value, in either form."""
    for flag, name in (("--quiet=false", "quiet"), ("--store-all-pairs=false", "store-all-pairs"), ("-q=1", "quiet")):
        r = run("analyze", "x.csv", "--out", str(tmp_path / "o"), flag)
        assert r.returncode == 2 and r.stderr == f"cibgraph: analyze: option --{name} takes no value, got '{flag}'\n"
    assert not (tmp_path / "o").exists()


def test_short_options_take_equals_too(tmp_path):
    """-o=DIR is -o DIR (not a folder named '=DIR'), -n=N is -n N."""
    d = tmp_path / "gen"
    r = run("generate", "planted", f"-o={d}", "-n=2000", "-q")
    assert r.returncode == 0, r.stderr
    assert (d / "events.csv").is_file() and not (tmp_path / f"={d}").exists()
    out = tmp_path / "o"
    r = run("analyze", str(d / "events.csv"), f"-o={out}", "-w=30s", "-q")
    assert r.returncode == 0, r.stderr
    assert (out / "report.json").is_file() and '"window":"30s"' in (out / "report.json").read_text()


def test_a_missing_value_names_the_whole_flag():
    """--top-targets with no value is --top-targets' error, not --top's (a flag that is a prefix of another)."""
    r = run("analyze", "x.csv", "--out", "o", "--top-targets")
    assert r.returncode == 2 and r.stderr == "cibgraph: analyze: option --top-targets needs a value\n"
    r = run("project", "x.h5", "--no-store", "--evidence-per-edge")
    assert r.returncode == 2 and r.stderr == "cibgraph: project: option --evidence-per-edge needs a value\n"
