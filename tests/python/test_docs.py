"""The documentation stays true: README.md and docs/*.md are checked against the program they describe.

- every relative link resolves to a file, and every #anchor to a heading of that file; every tests/ path named
  in inline code exists;
- every `cibgraph COMMAND ... --flag` in a code block (or an inline code span) names a real command and flags that
  `cibgraph COMMAND --help` lists, and docs/cli.md's flag tables list exactly the flags of each command's --help;
- the README opens with the two commands, stays short and names no commit;
- the quick starts run: the README's command lines and Python snippet, docs/python.md's tour and docs/algorithms.md's
  example, on a small generated scenario.
"""

import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, ROOT / "CHANGELOG.md", *DOCS]
EXE = BUILD / "bin" / "cibgraph"

FENCE = re.compile(r"^```([\w-]*)\n(.*?)^```", re.S | re.M)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
INLINE = re.compile(r"`([^`\n]+)`")


def text(path):
    return path.read_text(encoding="utf-8")


def code_blocks(path, language=None):
    """The fenced code blocks of a page, as (language, body); only those of `language` when given."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(text(path))]
    return [b for b in blocks if language is None or b[0] == language]


def prose(path):
    """The page without its fenced code blocks."""
    return FENCE.sub("", text(path))


def slug(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def anchors(path):
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", prose(path), re.M)}


@pytest.fixture(scope="module")
def helps():
    """`cibgraph --help`'s commands, and each command's --help text."""
    if not EXE.exists():
        pytest.fail(f"{EXE} is missing: run `make` first")
    top = subprocess.run([str(EXE), "--help"], capture_output=True, text=True, check=True).stdout
    commands = re.findall(r"^  (\w+) ", top.split("commands:", 1)[1].split("options:", 1)[0], re.M)
    assert {"ingest", "info", "generate", "project", "interactions", "analyze"} <= set(commands)
    return {c: subprocess.run([str(EXE), c, "--help"], capture_output=True, text=True, check=True).stdout
            for c in commands}


def help_flags(help_text):
    return set(re.findall(r"^  (?:-\w, )?(--[\w-]+)", help_text.split("options:", 1)[1], re.M))


# ---------------------------------------------------------------------------------------------------------- links

@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in LINK.findall(prose(page)):
        if re.match(r"^[a-z]+:", target):          # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_named_test_paths_exist(page):
    """The tests/ paths a page names in inline code (`tests/cpp/algorithms/`, `tests/python/test_docs.py`) exist, so
    moving a test file cannot leave the docs pointing at its old place. Placeholders (`tests/cpp/<room>/`) aside; the
    CHANGELOG is history and keeps the paths of its day."""
    spans = [s for s in INLINE.findall(prose(page)) if re.fullmatch(r"tests/[\w./-]*", s)]
    missing = [s for s in spans if not (ROOT / s).exists()]
    assert not missing, f"{page.name} names tests/ paths that do not exist: {missing}"


# -------------------------------------------------------------------------------------------------------- commands

def command_lines(page):
    """Every `cibgraph COMMAND ...` the page shows: the code blocks' lines that call the program (build/bin/cibgraph,
    or cibgraph in a shell block; continuation lines joined) and inline code that starts with it."""
    lines = []
    for language, body in code_blocks(page):
        if language == "python":
            continue
        for line in body.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0]
            if re.match(r"^\s*(?:\$ )?(?:[\w.-]*/)+cibgraph ", line) or \
                    (language in ("sh", "bash", "console") and re.match(r"^\s*(?:\$ )?cibgraph ", line)):
                lines.append(line)
    lines += [span for span in INLINE.findall(prose(page)) if re.match(r"^(?:[\w.-]*/)*cibgraph ", span)]
    found = []
    for line in lines:
        m = re.match(r"^\s*(?:\$ )?(?:[\w.-]*/)*cibgraph ([a-z][\w-]*)(.*)$", line)
        if m:
            found.append((m.group(1), m.group(2)))
    return found


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_commands_and_flags_exist(page, helps):
    wrong = []
    for command, rest in command_lines(page):
        if command not in helps:
            wrong.append(f"cibgraph {command}: no such command")
            continue
        known = help_flags(helps[command]) | {"--help"}
        for flag in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", rest):
            if flag not in known:
                wrong.append(f"cibgraph {command} {flag}: not in `cibgraph {command} --help`")
    assert not wrong, f"{page.name}: " + "; ".join(sorted(set(wrong)))


# Flags of other programs that the docs name in inline code (pip, Chromium).
OTHER_PROGRAMS_FLAGS = {"--break-system-packages", "--use-angle", "--enable-unsafe-swiftshader"}
TOP_LEVEL_FLAGS = {"--help", "--version"}  # `cibgraph --help`, `cibgraph --version`


@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_flags_in_prose_exist(page, helps):
    """A flag named in inline code (`--min-split-modularity 0.3`) is a flag of some command."""
    every = set().union(*(help_flags(h) for h in helps.values())) | OTHER_PROGRAMS_FLAGS | TOP_LEVEL_FLAGS
    named = {f for span in INLINE.findall(prose(page)) for f in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", span)}
    assert named <= every, f"{page.name}: {sorted(named - every)} are flags of no command"


def cli_tables():
    """docs/cli.md: the flags of the table in each command's section (## COMMAND)."""
    sections = re.split(r"^## ", prose(ROOT / "docs" / "cli.md"), flags=re.M)[1:]
    tables = {}
    for section in sections:
        name, _, body = section.partition("\n")
        rows = [l for l in body.splitlines() if l.startswith("| `-")]
        tables[name.strip()] = {f for row in rows for f in re.findall(r"(--[\w-]+)", row.split("|")[1])}
    return tables


def help_descriptions(help_text):
    """--flag -> its description in --help (continuation lines joined)."""
    rows, current = {}, None
    for line in help_text.split("options:", 1)[1].splitlines():
        m = re.match(r"^  (?:-\w, )?(--[\w-]+)(?: \S+)?\s*(.*)$", line)
        if m:
            current = m.group(1)
            rows[current] = m.group(2).strip()
        elif current and line.startswith("    "):
            rows[current] = (rows[current] + " " + line.strip()).strip()
    return rows


def test_cli_reference_says_what_help_says(helps):
    """Each row's description in docs/cli.md is the command's --help line (from the one table of options)."""
    sections = re.split(r"^## ", text(ROOT / "docs" / "cli.md"), flags=re.M)[1:]
    for section in sections:
        name, _, body = section.partition("\n")
        name = name.strip()
        if name not in helps:
            continue
        described = help_descriptions(helps[name])
        for row in body.splitlines():
            m = re.match(r"^\| `(--[\w-]+)[^`]*` \| (.*) \|$", row)
            if m and m.group(1) in described:
                assert m.group(2) == described[m.group(1)], (name, m.group(1))


def test_cli_reference_lists_every_flag(helps):
    tables = cli_tables()
    for command in ("ingest", "info", "generate", "project", "interactions"):
        assert command in tables, f"docs/cli.md has no section '## {command}'"
        assert tables[command] == help_flags(helps[command]) - {"--help"}, command
    own = tables["analyze"]
    analyze = help_flags(helps["analyze"]) - {"--help"}
    assert own <= analyze, own - analyze
    assert analyze <= own | tables["ingest"] | tables["project"], analyze - own - tables["ingest"] - tables["project"]


# ---------------------------------------------------------------------------------------------------------- README

def test_readme_opens_with_the_two_commands_and_stays_short():
    readme = text(README)
    first = code_blocks(README)[0][1].splitlines()
    assert [l.split("#")[0].strip() for l in first] == ["make demo", "make test"]
    assert re.match(r"# cibgraph\n\n```\n", readme), "the two commands come first, right under the title"
    assert len(readme.splitlines()) <= 250


def test_readme_names_no_commit():
    hashes = [w for w in re.findall(r"\b[0-9a-f]{7,40}\b", text(README)) if re.search(r"[a-f]", w) and
              re.search(r"\d", w)]
    assert not hashes, hashes


# ------------------------------------------------------------------------------------------------- quick starts

def small(snippet):
    """A quick start on 10^4 events instead of 10^5 (the same code, seconds less)."""
    out = snippet.replace("events=100_000", "events=10_000").replace("--events 100000", "--events 10000")
    assert out != snippet, "the quick start no longer generates 10^5 events: adapt test_docs.py"
    return out


def test_readme_command_line_quick_start_runs(tmp_path):
    block = next(body for _, body in code_blocks(README) if "cibgraph analyze" in body)
    for line in small(block).replace("\\\n", " ").splitlines():
        args = line.split("#", 1)[0].split()
        assert args[0] == "build/bin/cibgraph"
        run = subprocess.run([str(EXE), *args[1:], "--quiet"], cwd=tmp_path, capture_output=True, text=True)
        assert run.returncode == 0, f"{line}\n{run.stderr}"
    assert (tmp_path / "planted" / "report" / "report.html").is_file()
    assert (tmp_path / "planted" / "report" / "clusters.csv").read_text().count("\n") > 1


def run_snippet(snippet, where, monkeypatch, preamble=""):
    monkeypatch.chdir(where)
    namespace = {}
    exec(compile(preamble + snippet, "<docs snippet>", "exec"), namespace)
    return namespace


def test_readme_python_quick_start_runs(tmp_path, monkeypatch):
    ns = run_snippet(small(code_blocks(README, "python")[0][1]), tmp_path, monkeypatch)
    assert len(ns["found"].clusters) > 0
    assert (tmp_path / "planted" / "report" / "report.html").is_file()


def test_python_guide_tour_runs(tmp_path, monkeypatch):
    ns = run_snippet(small(code_blocks(ROOT / "docs" / "python.md", "python")[0][1]), tmp_path, monkeypatch)
    assert len(ns["clusters"]) > 0
    assert os.path.isfile(ns["found"].report_path)


def test_algorithms_example_runs(tmp_path, monkeypatch):
    # The example takes any src, dst arrays of vertex ids: here a random graph of 200 vertices.
    preamble = "import numpy as np\nrng = np.random.default_rng(1)\nsrc = rng.integers(0, 200, 2000)\n" \
               "dst = rng.integers(0, 200, 2000)\n"
    ns = run_snippet(code_blocks(ROOT / "docs" / "algorithms.md", "python")[0][1], tmp_path, monkeypatch, preamble)
    assert len(ns["parts"]) == 200
    assert abs(float(ns["ranks"].sum()) - 1.0) < 1e-6
