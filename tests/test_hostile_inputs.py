"""Issue 13, classes 2-4: hostile data folders are refused early, briefly and truthfully.

2. an entry that is not a regular file (symbolic link out of the folder or to a device, a folder
   named ``*.csv``, a named pipe) is refused before it is read, by name, never followed;
3. a value outside what its unit allows is refused by ``validate`` with the rule named, for every
   unit that has a bound;
4. floods are grouped and capped (the output does not grow with the junk), a broken split states
   its sum, a missing manifest is blamed on the manifest, a repeated header or a file holding only
   a byte-order mark gets a plain message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market import inputs, paths
from ehelse_market.cli import main
from ehelse_market.errors import EXCERPT_CHARS, DataError, UserError
from ehelse_market.inputs import loader, schemas

VERSION = inputs.resolve_version_dir().name
SECRET = "TOP-SECRET-LINE-never-echo"


def validate(root: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(root)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


# --------------------------------------------------------------------------- class 2: entries


def _outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside.csv"
    target.write_text("key,value\n" + "\n".join(f"{SECRET}.{i},1" for i in range(50)) + "\n", encoding="utf-8")
    return target


def plant_entry(kind: str, path: Path, tmp_path: Path) -> None:
    """Replace ``path`` by an entry of ``kind`` that is not a regular file inside the folder."""
    if path.exists() or path.is_symlink():
        path.unlink()
    if kind == "symlink-outside":
        path.symlink_to(_outside_file(tmp_path))
    elif kind == "symlink-inside":  # even a link to a sibling is refused: entries must be files
        path.symlink_to(path.parent / "sources.csv")
    elif kind == "symlink-device":
        path.symlink_to("/dev/zero")
    elif kind == "symlink-dangling":
        path.symlink_to(tmp_path / "nowhere.csv")
    elif kind == "directory":
        path.mkdir()
        (path / "inner.csv").write_text(SECRET, encoding="utf-8")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        raise AssertionError(kind)


KINDS = ["symlink-outside", "symlink-inside", "symlink-device", "symlink-dangling", "directory", "fifo"]


@pytest.mark.parametrize("name", ["market.csv", "extra.csv", "manifest.json"])
@pytest.mark.parametrize("kind", KINDS)
def test_entry_that_is_not_a_regular_file_is_refused_by_name(data_copy, tmp_path, capsys, kind, name):
    """A pipe runs in a subprocess with a time limit: a loader that opened it would hang."""
    plant_entry(kind, data_copy / VERSION / name, tmp_path)
    if kind == "fifo":
        run = subprocess.run([sys.executable, "-m", "ehelse_market", "validate", str(data_copy)],
                             capture_output=True, text=True, timeout=120)
        code, text = run.returncode, run.stdout + run.stderr
    else:
        code, text = validate(data_copy, capsys)
    assert code == 1, text
    assert "Traceback" not in text and SECRET not in text
    assert f"{name}: is " in text and ("symbolic link" in text or "not a regular file" in text), text


def test_entries_are_refused_before_reading(data_copy, tmp_path, monkeypatch):
    """No file of a refused entry is opened: reading is only allowed for regular files."""
    plant_entry("symlink-outside", data_copy / VERSION / "market.csv", tmp_path)
    opened: list[str] = []
    real = Path.read_bytes

    def spy(self):
        opened.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    with pytest.raises(DataError, match="market.csv: is a symbolic link"):
        inputs.load_inputs(data_dir=data_copy)
    assert "market.csv" not in opened and "outside.csv" not in opened


def test_freeze_refuses_such_entries_too(data_copy, tmp_path):
    plant_entry("fifo", data_copy / VERSION / "extra.csv", tmp_path)
    with pytest.raises(DataError, match="extra.csv: is a named pipe"):
        inputs.freeze(data_copy / VERSION)


def test_version_folder_that_is_a_link_is_refused(data_copy, tmp_path):
    real = data_copy / VERSION
    moved = tmp_path / "elsewhere"
    real.rename(moved)
    real.symlink_to(moved)
    with pytest.raises(UserError, match="not a link or path"):
        inputs.load_inputs(data_dir=data_copy)


@pytest.mark.parametrize("cell", ["x" * 10_000, "\x1b[2J\x1b[31mred\x07" * 50, "line\nbreak\r\t\x7f" * 500])
def test_bad_cell_is_echoed_as_a_short_clean_excerpt(data_copy, capsys, cell):
    path = data_copy / VERSION / "market.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "unit"] = cell
    df.to_csv(path, index=False, lineterminator="\n")
    inputs.freeze(data_copy / VERSION)
    code, text = validate(data_copy, capsys)
    assert code == 1
    line = next(ln for ln in text.splitlines() if "column 'unit'" in ln)
    got = line.split("(got ", 1)[1]
    assert len(got) <= EXCERPT_CHARS + 3  # the quotes and the closing parenthesis
    assert not any(not ch.isprintable() for ch in text.replace("\n", ""))


# --------------------------------------------------------------------------- class 3: bounds per unit


def _bounded_units():
    for unit, (low, high, whole, _) in schemas.UNIT_BOUNDS.items():
        if low is not None:
            yield unit, low - 1, "low"
        if high is not None:
            yield unit, high + 1, "high"
        if whole:
            yield unit, (low or 0) + 10.5, "whole"


def test_every_unit_has_its_bounds():
    assert set(schemas.UNIT_BOUNDS) == set(schemas.UNITS)


@pytest.mark.parametrize("unit, value, which", list(_bounded_units()))
def test_impossible_value_for_its_unit_is_refused_with_the_rule(unit, value, which):
    df = pd.read_csv(inputs.resolve_version_dir() / "market.csv", dtype=str, keep_default_na=False).replace({"": None})
    row = df.index[df["key"] == "market.spend_total"][0]
    df.loc[row, ["unit", "value"]] = [unit, repr(value)]
    valid, failures = loader.validate_table("market", df)
    assert valid is None
    hits = [f for f in failures if f.column == "value" and f"out of range for unit '{unit}'" in f.rule]
    assert len(hits) == 1 and hits[0].row == row + 2, [str(f) for f in failures]
    assert "allowed" in hits[0].rule


@pytest.mark.parametrize("value, ok", [("-0.5", False), ("100.5", False), ("100", True), ("0", True)])
def test_a_share_lies_within_0_and_100(value, ok):
    df = pd.read_csv(inputs.resolve_version_dir() / "assumptions.csv", dtype=str, keep_default_na=False).replace({"": None})
    row = df.index[df["variable"] == "contract_form_share_target"][0]
    df.loc[row, "value"] = value
    _, failures = loader.validate_table("assumptions", df)
    assert any("a share of a whole lies within 0..100" in f.rule for f in failures) is not ok


def test_growth_in_percent_may_exceed_100_but_not_fall_below_minus_100():
    df = pd.read_csv(inputs.resolve_version_dir() / "digital_use.csv", dtype=str, keep_default_na=False).replace({"": None})
    row = df.index[df["variable"] == "digital_consultation_growth"][0]
    assert loader.validate_table("digital_use", df)[1] == []  # 300 % growth is published
    df.loc[row, "value"] = "-150"
    assert any("cannot fall by more than everything" in f.rule for f in loader.validate_table("digital_use", df)[1])


# --------------------------------------------------------------------------- class 4: floods, figures, blame


def _junk(path: Path, rows: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    width = len(lines[0].split(","))
    path.write_text("\n".join(lines + [",".join([f"<b>junk{i}"] * width) for i in range(rows)]) + "\n", encoding="utf-8")


def test_a_flood_of_junk_rows_gives_a_bounded_grouped_report(data_copy, capsys):
    outputs = []
    for rows in (300, 3000):
        shutil.copy(paths.DATA_DIR / VERSION / "market.csv", data_copy / VERSION / "market.csv")
        _junk(data_copy / VERSION / "market.csv", rows)
        inputs.freeze(data_copy / VERSION)
        code, text = validate(data_copy, capsys)
        assert code == 1
        outputs.append(text.splitlines())
    assert len(outputs[0]) == len(outputs[1]) < 100, "the report does not grow with the junk"
    assert any(f"and {3000 - loader.SHOWN_PER_RULE} more with the same problem" in ln for ln in outputs[1])


@pytest.mark.parametrize("variable", schemas.SPLIT_VARIABLES)
def test_a_broken_split_states_its_sum_once(variable):
    vdir = inputs.resolve_version_dir()
    table = next(n for n in schemas.VALUE_TABLES
                 if variable in set(pd.read_csv(vdir / f"{n}.csv", dtype=str, keep_default_na=False)["variable"]))
    df = pd.read_csv(vdir / f"{table}.csv", dtype=str, keep_default_na=False).replace({"": None})
    rows = df.index[df["variable"] == variable]
    year = df.loc[rows[0], "year"]
    rows = [r for r in rows if df.loc[r, "year"] == year]
    before = pd.to_numeric(df.loc[rows, "value"]).sum()
    df.loc[rows[0], "value"] = str(float(df.loc[rows[0], "value"]) - 3)
    _, failures = loader.validate_table(table, df)
    split = [f for f in failures if "the shares of split" in f.rule]
    assert len(split) == 1, [str(f) for f in failures]
    assert f"sum to {before - 3:g}, not 100" in split[0].rule


def test_missing_manifest_is_blamed_on_the_manifest(tmp_path, capsys):
    vdir = tmp_path / "version"
    shutil.copytree(paths.DATA_DIR / VERSION, vdir)
    (vdir / "manifest.json").unlink()
    code, text = validate(vdir, capsys)
    assert code == 1
    assert "has no manifest.json" in text and "ehelse-market data freeze" in text
    assert "lists no data version" not in text


def test_repeated_header_is_named_plainly(data_copy, capsys):
    path = data_copy / VERSION / "market.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("key,variable,segment", "key,variable,key", 1), encoding="utf-8")
    inputs.freeze(data_copy / VERSION)
    code, out = validate(data_copy, capsys)
    assert code == 1
    assert "market.csv, line 1, column 'key': the header names this column twice (columns 1 and 3)" in out
    assert "key.1" not in out and "Error" not in out


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\n", b"   \n", b"\x00\x00"])
def test_a_file_with_no_text_is_named(data_copy, capsys, content):
    (data_copy / VERSION / "ict.csv").write_bytes(content)
    inputs.freeze(data_copy / VERSION)
    code, out = validate(data_copy, capsys)
    assert code == 1
    assert "ict.csv: file is empty" in out or "ict.csv: file holds NUL bytes" in out
