"""Every data version is a Frictionless Data Package that ``frictionless validate`` (a client
nobody here wrote) accepts, and ``data diff`` names what changed and what reads it."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate as frictionless_validate

from ehelse_market import paths
from ehelse_market.cli import main
from ehelse_market.files import sha256_file
from ehelse_market.inputs import MANIFEST, datapackage, load_inputs, read_versions
from ehelse_market.publishing import diff as datadiff

VERSIONS = list(read_versions(paths.DATA_DIR)["version"])
CHANGED_KEY = "workforce.ssb_reference.2060"


def edit_rows(path: Path, edit) -> None:
    """Rewrite a CSV through ``edit(rows) -> rows`` (header kept)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0])
    rows = edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_has_a_current_datapackage_that_frictionless_accepts(version):
    vdir = paths.DATA_DIR / version
    path = vdir / datapackage.DATAPACKAGE
    assert path.exists(), f"run 'ehelse-market data package {vdir}'"
    assert path.read_text(encoding="utf-8") == datapackage.render(vdir), f"stale: run 'ehelse-market data package {vdir}'"
    report = frictionless_validate(str(path))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    manifest = json.loads((vdir / MANIFEST).read_text(encoding="utf-8"))
    assert {r["path"]: r["hash"].removeprefix("sha256:") for r in descriptor["resources"]} == {n: m["sha256"] for n, m in manifest["files"].items()}
    assert descriptor["licenses"] and descriptor["sources"]


def test_frictionless_catches_a_planted_error(tmp_path):
    """The check can fail: a unit outside the vocabulary and an edited file are reported."""
    vdir = tmp_path / VERSIONS[0]
    shutil.copytree(paths.DATA_DIR / VERSIONS[0], vdir)
    edit_rows(vdir / "workforce.csv", lambda rows: [{**r, "unit": "fte!" if r["key"] == CHANGED_KEY else r["unit"]} for r in rows])
    report = frictionless_validate(str(vdir / datapackage.DATAPACKAGE))
    types = {e[0] for e in report.flatten(["type"])}
    assert not report.valid and "constraint-error" in types and "hash-count" in types


def test_schema_follows_pandera():
    header = ["key", "variable", "segment", "year", "value", "unit", "approx", "bound", "status", "source_id", "locator", "quote", "note"]
    schema = datapackage.table_schema("workforce", header)
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["year"]["type"] == "integer" and fields["year"]["constraints"] == {"minimum": 1900, "maximum": 2100}
    assert fields["value"]["type"] == "number" and fields["approx"]["type"] == "boolean"
    assert "fte" in fields["unit"]["constraints"]["enum"] and fields["key"]["constraints"]["unique"]
    assert schema["primaryKey"] == ["key"] and schema["foreignKeys"][0]["reference"]["resource"] == "sources"


@pytest.fixture
def two_versions(tmp_path):
    """A data root with the newest version and a draft copy: one value changed, one added, one removed."""
    root = tmp_path / "data"
    root.mkdir()
    old = VERSIONS[-1]
    shutil.copy2(paths.DATA_DIR / "versions.csv", root / "versions.csv")
    shutil.copytree(paths.DATA_DIR / old, root / old)
    new = root / "2099-01-01"
    shutil.copytree(paths.DATA_DIR / old, new)
    (new / datapackage.DATAPACKAGE).unlink()

    def edit(rows):
        out = []
        for r in rows:
            if r["key"] == CHANGED_KEY:
                r = {**r, "value": "640000"}
            if r["key"] == "workforce.ssb_reference.2035":
                continue  # removed
            out.append(r)
        out.append({**rows[0], "key": "workforce.test.added", "value": "1"})
        return out

    edit_rows(new / "workforce.csv", edit)
    with open(root / "versions.csv", "a", encoding="utf-8") as f:
        f.write("2099-01-01,draft,,test\n")
    return root, old, new


def test_freeze_writes_the_datapackage(two_versions, capsys):
    root, _, new = two_versions
    assert main(["data", "freeze", str(new)]) == 0
    assert "datapackage.json" in capsys.readouterr().out
    assert frictionless_validate(str(new / datapackage.DATAPACKAGE)).valid


def test_package_leaves_a_released_version_untouched(tmp_path):
    vdir = tmp_path / "data" / VERSIONS[0]
    shutil.copytree(paths.DATA_DIR, tmp_path / "data")
    (vdir / datapackage.DATAPACKAGE).unlink()
    before = {p.name: sha256_file(p) for p in vdir.iterdir()}
    assert main(["data", "package", str(vdir)]) == 0
    after = {p.name: sha256_file(p) for p in vdir.iterdir()}
    assert set(after) - set(before) == {datapackage.DATAPACKAGE}
    assert all(after[n] == h for n, h in before.items())
    assert main(["validate", str(tmp_path / "data"), "--version", VERSIONS[0]]) == 0


def test_data_diff_names_the_change_and_what_reads_it(two_versions, capsys):
    root, old, new = two_versions
    assert main(["data", "freeze", str(new)]) == 0
    capsys.readouterr()
    assert main(["data", "diff", old, new.name, "--data", str(root)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {CHANGED_KEY}:"))
    block = lines[at] + "\n" + lines[at + 1]
    assert "618000 -> 640000 fte" in block and "ssb_rapporter_2019_12" in block
    assert "workforce.extra_fte_150000" in block and "004-figur-2" in block and "04_workforce" in block and "06_claims" in block
    assert "added (1):\n  workforce.test.added" in out
    assert "removed (1):\n  workforce.ssb_reference.2035" in out
    assert main(["data", "diff", old, str(new), "--data", str(root), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    changed = next(r for r in rows if r["key"] == CHANGED_KEY)
    assert (changed["change"], changed["old"], changed["new"], changed["fields"]) == ("changed", "618000", "640000", "value")


def test_no_change_no_readers(capsys):
    v = load_inputs()
    values, tables = datadiff.diff(v, v)
    assert values.empty and tables.empty


def test_rebuild_reason_names_the_changed_inputs():
    old = {"data_version": "a", "inputs": {"x.csv": "1", "y.csv": "2"}, "parameters": {"seed": 1}}
    assert datadiff.rebuild_reason(old, "b", {"x.csv": "1", "y.csv": "3"}, {"seed": 1}) == "data a -> b; changed inputs: y.csv"
    assert datadiff.rebuild_reason(old, "a", {"x.csv": "1", "y.csv": "2"}, {"seed": 2}) == "parameters changed"
    assert datadiff.rebuild_reason({}, "a", {}, {}) == "first build into this folder"
