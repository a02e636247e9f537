"""The data contract: hashes, schemas and group rules, and the messages a user gets.

Each test plants one error in a copy of the bundled data (re-freezing the manifest so that only the
planted error shows, except in the hash tests) and checks that `ehelse-market validate` names the
file, line, column and rule, exits 1 and prints no traceback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market import inputs, paths
from ehelse_market.cli import main
from ehelse_market.errors import DataError

VERSION = inputs.resolve_version_dir().name


def vdir(root: Path) -> Path:
    return root / VERSION


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the test's anchor moved"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_validate(root: Path, capsys) -> tuple[int, str]:
    code = main(["validate", str(root)])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def test_bundled_data_validates(capsys):
    code, out = run_validate(paths.DATA_DIR, capsys)
    assert code == 0, out
    assert "hashes verified" in out


def test_load_inputs_gives_typed_values():
    data = inputs.load_inputs()
    assert data.values["value"].dtype == float
    assert data.values["approx"].dtype == bool
    assert str(data.values["year"].dtype) == "Int64"
    assert data.value("market.spend_total") == pytest.approx(13.6)
    assert data.row("market.spend_total")["unit"] == "NOK bn"


def test_unknown_key_is_named():
    with pytest.raises(Exception, match="no value with key 'market.nope'"):
        inputs.load_inputs().value("market.nope")


def _plant_and_validate(root: Path, capsys, file: str, old: str, new: str) -> str:
    edit_csv(vdir(root) / file, old, new)
    inputs.freeze(vdir(root))
    code, out = run_validate(root, capsys)
    assert code == 1, out
    return out


def test_missing_column(data_copy, capsys):
    path = vdir(data_copy) / "market.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.drop(columns=["unit"]).to_csv(path, index=False, lineterminator="\n")
    inputs.freeze(vdir(data_copy))
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "market.csv, column 'unit': required column is missing" in out


def _row_of(path: Path, key: str) -> tuple[int, str]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(key + ","):
            return lineno, line
    raise AssertionError(f"{key} not found in {path}")


def _replace_field(line: str, column: str, path: Path, new: str) -> str:
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    import csv
    import io

    row = next(csv.reader(io.StringIO(line)))
    row[header.index(column)] = new
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    return buf.getvalue()


def _plant_field(root: Path, key: str, column: str, new: str) -> int:
    path = vdir(root) / "market.csv"
    lineno, line = _row_of(path, key)
    edit_csv(path, line, _replace_field(line, column, path, new))
    inputs.freeze(vdir(root))
    return lineno


def test_non_numeric_value(data_copy, capsys):
    line = _plant_field(data_copy, "market.spend_total", "value", "tretten")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"market.csv, line {line}, column 'value': must be a number (got 'tretten')" in out


def test_decimal_comma_rejected_with_explanation(data_copy, capsys):
    line = _plant_field(data_copy, "market.spend_total", "value", "13,6")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"market.csv, line {line}, column 'value': decimal comma is not accepted: write 13.6" in out


def test_split_not_summing_to_100(data_copy, capsys):
    _plant_field(data_copy, "market.care_level.specialist_care", "value", "54")  # 54 + 24 + 19 = 97
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    # one problem for the split, stating the sum and what is allowed, naming its rows
    assert "1 problem(s)" in out
    assert "the shares of split 'care_level_share' sum to 97, not 100 (allowed 100 ± 1.5" in out
    assert "market.care_level.primary_care" in out


def test_split_within_rounding_accepted(data_copy, capsys):
    _plant_field(data_copy, "market.care_level.specialist_care", "value", "57.4")
    code, out = run_validate(data_copy, capsys)
    assert code == 0, out


def test_duplicated_key(data_copy, capsys):
    line = _plant_field(data_copy, "market.care_level.primary_care", "key", "market.care_level.specialist_care")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"market.csv, line {line}, column 'key': duplicate value: must be unique" in out


def test_unknown_unit(data_copy, capsys):
    line = _plant_field(data_copy, "market.spend_total", "unit", "milliarder")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"market.csv, line {line}, column 'unit': unit must be one of: NOK bn" in out


def test_year_out_of_range(data_copy, capsys):
    line = _plant_field(data_copy, "market.spend_total", "year", "3021")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert f"market.csv, line {line}, column 'year': year must be 1900..2100" in out


def test_empty_file(data_copy, capsys):
    (vdir(data_copy) / "market.csv").write_text("", encoding="utf-8")
    inputs.freeze(vdir(data_copy))
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "market.csv: file is empty" in out


def test_utf8_bom_is_accepted(data_copy, capsys):
    """Excel writes a byte-order mark; it is accepted deliberately and changes nothing but the hash."""
    path = vdir(data_copy) / "market.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    inputs.freeze(vdir(data_copy))
    code, out = run_validate(data_copy, capsys)
    assert code == 0, out
    with_bom = inputs.load_inputs(data_dir=data_copy)
    plain = inputs.load_inputs()
    pd.testing.assert_frame_equal(with_bom.values, plain.values)


def test_hash_mismatch_names_file_and_remedy(data_copy, capsys):
    edit_csv(vdir(data_copy) / "market.csv", "13.6", "13.7")  # edited in place, no re-freeze
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "market.csv: sha256" in out and "edited in place" in out
    assert "ehelse-market data freeze" in out
    with pytest.raises(DataError, match="edited in place"):
        inputs.load_inputs(data_dir=data_copy)


def test_every_failure_reported_at_once(data_copy, capsys):
    _plant_field(data_copy, "market.spend_total", "unit", "milliarder")
    _plant_field(data_copy, "market.contract_form.project", "value", "abc")
    code, out = run_validate(data_copy, capsys)
    assert code == 1
    assert "milliarder" in out and "'abc'" in out


def test_released_version_is_immutable(data_copy):
    root = data_copy
    inputs.freeze(root / VERSION)
    versions = pd.read_csv(root / "versions.csv", dtype=str, keep_default_na=False)
    versions["status"] = "released"
    versions.to_csv(root / "versions.csv", index=False, lineterminator="\n")
    assert inputs.load_inputs(data_dir=root).version == VERSION
    with pytest.raises(Exception, match="released and cannot be re-frozen"):
        inputs.freeze(root / VERSION)
    # editing a file and re-writing its manifest by hand is caught through versions.csv
    edit_csv(root / VERSION / "market.csv", "13.6", "13.7")
    manifest = json.loads((root / VERSION / "manifest.json").read_text())
    manifest["files"]["market.csv"]["sha256"] = inputs.sha256_file(root / VERSION / "market.csv")
    (root / VERSION / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(DataError, match="manifest differs from the sha256 recorded in versions.csv"):
        inputs.load_inputs(data_dir=root)


def test_earlier_version_stays_loadable(tmp_path):
    """A correction is a new version; the old one still loads by name."""
    root = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, root)
    new = root / "2099-01-01"
    shutil.copytree(root / VERSION, new)
    edit_csv(new / "market.csv", "13.6", "13.7")
    versions = pd.read_csv(root / "versions.csv", dtype=str, keep_default_na=False)
    versions.loc[len(versions)] = ["2099-01-01", "draft", "", "test correction"]
    versions.to_csv(root / "versions.csv", index=False, lineterminator="\n")
    inputs.freeze(new)
    assert inputs.load_inputs("2099-01-01", root).value("market.spend_total") == pytest.approx(13.7)
    assert inputs.load_inputs(VERSION, root).value("market.spend_total") == pytest.approx(13.6)


def test_unknown_version_lists_known(capsys):
    code = main(["validate", str(paths.DATA_DIR), "--version", "1999-01-01"])
    out = capsys.readouterr()
    assert code == 1
    assert "data version '1999-01-01' not found" in out.err and VERSION in out.err


def test_a_table_reads_an_empty_cell_as_missing_and_keeps_every_other_text(tmp_path):
    """Empty cells (quoted or not) are missing values; text pandas would guess to be missing
    ("NA", "null", "nan", "-") stays as written."""
    path = tmp_path / "sources.csv"
    path.write_text('a,b,c\nNA,,null\n"",nan,-\n', encoding="utf-8")
    df, failures = inputs.read_table(path)
    assert not failures
    assert [[None if pd.isna(v) else v for v in row] for row in df.itertuples(index=False)] == [["NA", None, "null"], [None, "nan", "-"]]


def test_unquoted_decimal_comma_shifts_fields_and_is_named(tmp_path):
    """'13,6' without quotes makes a row one field longer than the header: named by line, no traceback."""
    path = tmp_path / "market.csv"
    path.write_text("key,value,unit\nmarket.a,13,6,NOK bn\nmarket.b,1.0,NOK bn\nmarket.c,2\n", encoding="utf-8")
    df, failures = inputs.read_table(path)
    assert df is None
    assert [(f.row, f.rule.split(":")[0]) for f in failures] == [
        (2, "row has 4 fields, the header has 3"),
        (4, "row has 2 fields, the header has 3"),
    ]
    assert "write 13.6, not 13,6" in failures[0].rule and "decimal comma" not in failures[1].rule
