"""A data version as a Frictionless Data Package: ``datapackage.json`` beside its CSV files.

So that tools nobody here wrote (``frictionless validate``, R's ``frictionless``, Julia, ...)
can read and check a version, :func:`write_datapackage` describes it: one resource per CSV with
its sha256 and size, a Table Schema derived from the pandera schema of :mod:`.schemas` (types,
required, unique, enum, pattern, minimum/maximum, primary and foreign keys), the sources of
``sources.csv`` and the licence. The pandera schemas stay the one definition: rules a Table
Schema cannot express (a split sums to 100, a quote is required for published values) are
checked by ``ehelse-market validate`` only.

The file is derived, never edited by hand: ``ehelse-market data freeze`` writes it with the
manifest, and ``ehelse-market data package`` (re)writes it for any version, released ones
included, because it changes neither a CSV nor the manifest (docs/data-format.md).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandera.pandas as pa

from ehelse_market.errors import UserError
from ehelse_market.files import atomic_write, sha256_file
from ehelse_market.inputs.loader import MANIFEST
from ehelse_market.inputs.schemas import TABLE_SCHEMAS, bool_columns

DATAPACKAGE = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
LICENSES = [
    {
        "name": "MIT",
        "path": "https://opensource.org/licenses/MIT",
        "title": "MIT License: the project's transcription; the numbers and quotes are the cited documents'",
    }
]


def _field_type(name: str, column: pa.Column, bools: list[str]) -> str:
    if name in bools:
        return "boolean"
    dtype = str(column.dtype).lower()
    if "int" in dtype:
        return "integer"
    if "float" in dtype:
        return "number"
    return "string"


def _constraints(column: pa.Column, ftype: str) -> dict:
    out: dict = {}
    if not column.nullable:
        out["required"] = True
    if column.unique:
        out["unique"] = True
    for check in column.checks:
        stats = check.statistics or {}
        if check.name == "isin" and ftype != "boolean":
            values = list(stats["allowed_values"])
            out["enum"] = [int(v) for v in values] if ftype == "integer" else [str(v) for v in values]
        elif check.name == "str_matches":
            out["pattern"] = stats["pattern"].removeprefix("^").removesuffix("$")
        elif check.name == "in_range":
            out["minimum"], out["maximum"] = stats["min_value"], stats["max_value"]
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
    return out


def primary_key(name: str) -> list[str]:
    """The columns that identify a row of table ``name``: the schema's unique set, else its first unique column."""
    schema = TABLE_SCHEMAS[name]
    if schema.unique:
        return list(schema.unique)
    return next(([c] for c, col in schema.columns.items() if col.unique), [])


def table_schema(name: str, header: list[str]) -> dict:
    """The Table Schema of table ``name`` with its fields in the order of the CSV ``header``."""
    if name not in TABLE_SCHEMAS:
        raise UserError(f"{name}.csv has no schema (known tables: {', '.join(sorted(TABLE_SCHEMAS))})")
    schema = TABLE_SCHEMAS[name]
    bools = bool_columns(schema)
    fields = []
    for col in header:
        if col not in schema.columns:
            raise UserError(f"{name}.csv: column '{col}' is not in its schema; run 'ehelse-market validate' first")
        column = schema.columns[col]
        ftype = _field_type(col, column, bools)
        field: dict = {"name": col, "type": ftype}
        if ftype == "boolean":
            field.update(trueValues=["true"], falseValues=["false"])
        constraints = _constraints(column, ftype)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    out: dict = {"fields": fields, "missingValues": [""]}
    key = primary_key(name)
    if key:
        out["primaryKey"] = key
    if "source_id" in header and name != "sources":
        out["foreignKeys"] = [{"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}]
    return out


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def _sources(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        s = {"title": f"{r['title']} ({r['publisher']}, {r['year']})" if r.get("year") else f"{r['title']} ({r['publisher']})"}
        if r.get("url"):
            s["path"] = r["url"]
        out.append(s)
    return out


def datapackage(vdir: Path) -> dict:
    """The Data Package descriptor of the version folder ``vdir`` (not written)."""
    vdir = Path(vdir)
    files = sorted(vdir.glob("*.csv"))
    if not files:
        raise UserError(f"{vdir} holds no CSV files: not a data version folder")
    resources = []
    for p in files:
        resources.append(
            {
                "name": p.stem,
                "type": "table",
                "path": p.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": p.stat().st_size,
                "hash": f"sha256:{sha256_file(p)}",
                "schema": table_schema(p.stem, _header(p)),
            }
        )
    descriptor: dict[str, Any] = {
        "$schema": PROFILE,
        "name": "ehelse-market-data",
        "title": "The Norwegian e-health market reports as data: every number with its source, locator and quote",
        "version": vdir.name,
        "licenses": LICENSES,
        "sources": _sources(vdir / "sources.csv") if (vdir / "sources.csv").exists() else [],
        "resources": resources,
    }
    mpath = vdir / MANIFEST
    if mpath.exists():
        descriptor["ehelse_market"] = {"manifest": MANIFEST, "manifest_sha256": sha256_file(mpath)}
    return descriptor


def render(vdir: Path) -> str:
    """``datapackage.json``'s text for ``vdir``: same files, same bytes."""
    return json.dumps(datapackage(vdir), indent=2, ensure_ascii=False) + "\n"


def write_datapackage(vdir: Path) -> Path:
    """Write ``datapackage.json`` into the version folder ``vdir``; return its path."""
    path = Path(vdir) / DATAPACKAGE
    atomic_write(path, render(vdir))
    return path
