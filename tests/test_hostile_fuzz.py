"""Issue 13: a hypothesis suite fuzzing the CSV loader, scenario files, case files and command
lines. Whatever comes in: exit code 0, 1 or 2, at most one ``error:`` message, never a traceback,
and no file written outside the place the command was told to write.

Examples are bounded (``settings`` below) so the suite stays part of ``make test``.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ehelse_market import paths
from ehelse_market.cli import main
from ehelse_market.inputs import loader, schemas

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE = ["<script>alert(1)</script>", "$\\x$", "\x1b[31m", "=cmd|' /C calc'!A0", "../../etc/passwd", "\u202e", "",
           "1e308", "-1", "nan", "inf", "13,6", '"', "\n", "a" * 300, "\x00"]
CELL = st.sampled_from(HOSTILE) | st.text(max_size=12) | st.from_regex(r"-?\d{1,6}(\.\d{1,3})?", fullmatch=True)
TOKEN = st.sampled_from(HOSTILE) | st.text(max_size=8)


def _snapshot() -> dict[str, tuple[int, int]]:
    """What must not change: the project's inputs and the working folder's listing."""
    seen = {}
    for folder in (paths.DATA_DIR, paths.SCENARIOS_DIR, paths.ROOT / "cases"):
        for p in folder.rglob("*"):
            st_ = p.lstat()
            seen[str(p)] = (st_.st_mtime_ns, st_.st_size)
    return seen


def cli(argv: list[str], workdir: Path, allowed: tuple[str, ...] = ()) -> tuple[int, str]:
    """Run the CLI in ``workdir``; check the exit code, the message and what was written."""
    before, listing = _snapshot(), set(os.listdir(workdir))
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(cwd)
    text = err.getvalue()
    assert code in (0, 1, 2), (argv, code, text)
    assert "Traceback" not in text + out.getvalue(), (argv, text)
    if code:
        assert sum("error:" in ln for ln in text.splitlines()) == 1, (argv, text)
    assert _snapshot() == before, argv
    assert set(os.listdir(workdir)) - listing <= set(allowed), (argv, set(os.listdir(workdir)) - listing)
    return code, text


# --------------------------------------------------------------------------- the CSV loader


@st.composite
def csv_files(draw) -> bytes:
    columns = list(schemas.VALUE_SCHEMA.columns)
    header = draw(st.lists(st.sampled_from(columns + ["", "key", "x<y"]), min_size=1, max_size=16))
    rows = draw(st.lists(st.lists(CELL, min_size=len(header) - 1, max_size=len(header) + 1), max_size=8))
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + data


@FUZZ
@given(st.one_of(csv_files(), st.binary(max_size=300)))
def test_loader_turns_any_bytes_into_failures_or_a_table(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "market.csv"
        path.write_bytes(content)
        df, failures = loader.read_table(path)
        if df is not None:
            _, failures = loader.validate_table("market", df)
        text = loader.format_failures(failures)
        assert all(len(line) < 600 and line.isprintable() for line in text.splitlines())


# --------------------------------------------------------------------------- scenario and case files

SCENARIO_KEYS = ["name", "description", "lang", "data_version", "productivity_growth", "horizon", "seed", "mc_samples",
                 "reference_level_2060", "base_year", "extends", "share_rounding_halfwidth", "junk"]
VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) | st.sampled_from(HOSTILE),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(HOSTILE[:4] + ["a"]), inner, max_size=2),
    max_leaves=5,
)


@st.composite
def yaml_files(draw, keys) -> bytes:
    if draw(st.booleans()):
        data = draw(st.dictionaries(st.sampled_from(keys), VALUE, max_size=4))
        return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    return draw(st.binary(max_size=200) | st.sampled_from([b"!!python/object/apply:os.system ['touch pwned']\n",
                                                            b"&a [*a]\n", b"\xff\xfe", b"a: b: c\n", b"- - -\n"]))


@FUZZ
@given(yaml_files(SCENARIO_KEYS))
def test_any_scenario_file_is_one_message(content):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "s.yaml").write_bytes(content)
        cli(["sweep", "--scenario", "s.yaml", "--samples", "2", "--out", "out.csv"], tmp, allowed=("out.csv", "out-amounts.csv"))
        assert not (tmp / "pwned").exists()


CASE_KEYS = ["title", "description", "notes", "contract_risk", "in_house_resources", "contract_years", "need_years",
             "spesifisitet", "usikkerhet", "frekvens", "markedet", "kompetanse", "junk"]


@FUZZ
@given(yaml_files(CASE_KEYS))
def test_any_case_file_is_one_message(content):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "case.yaml").write_bytes(content)
        cli(["advise", "case.yaml", "--out", "rec.html"], tmp, allowed=("rec.html", "rec.md"))


# --------------------------------------------------------------------------- command lines

ARGS = {
    "validate": ["--version", "data", "2026-11-22", "nope"],
    "verify": ["--version", "--format", "csv", "table", "x"],
    "project": ["--productivity", "-g", "--from", "--to", "--step", "--format", "csv", "--data"],
    "sweep": ["--out", "o.csv", "--samples", "--seed", "--to", "--chunk-size", "--productivity", "--level-2060",
              "--base-year", "--halfwidth", "--scenario"],
    "advise": [str(paths.ROOT / "cases" / "seed002-case.yaml"), "--out", "r.html", "r.md", "--lang", "en", "--data-version"],
    "data": ["freeze", "data", "."],
    "figures": ["--only", "--list", "--lang", "--out", "figs"],
}
NUMBER = st.sampled_from(["0", "0.02", "-0.5", "1e308", "2017", "2060", "99999999999", "-1", "1", "3", "nan", "0x10"])


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(ARGS)))
    tokens = draw(st.lists(st.sampled_from(ARGS[command]) | NUMBER | TOKEN, max_size=6))
    if command == "figures" and "--list" not in tokens:
        tokens += ["--only", draw(st.sampled_from(["000-figur-5", "nope", "<x>"]))]
    return [command, *tokens]


@FUZZ
@given(command_lines())
@example(["figures", "--out", "0", "--only", "000-figur-5"])  # found by the fuzzer: a valid folder name
def test_any_command_line_is_one_message(argv):
    # what the line itself asks for: the file or folder after --out, with the names a command
    # derives from it (sweep's NAME-amounts.csv and NAME-meta.csv, advise's NAME.html and NAME.md)
    asked = [argv[i + 1] for i, token in enumerate(argv[:-1]) if token == "--out" and "/" not in argv[i + 1]]
    derived = [f"{Path(name).stem}{end}" for name in asked for end in ("", "-amounts.csv", "-meta.csv", ".html", ".md")]
    with tempfile.TemporaryDirectory() as tmp:
        cli(argv, Path(tmp), allowed=("o.csv", "o-amounts.csv", "o-meta.csv", "r.html", "r.md", "figs", *asked, *derived))

