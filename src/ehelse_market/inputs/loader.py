"""Load a versioned data folder: verify its hashes, validate every table, return typed tables.

This is the package's only reader of ``data/``. A data version is a folder of CSV files plus a
``manifest.json`` recording each file's sha256; ``data/versions.csv`` lists the versions and the
sha256 of each released manifest. Checking runs in three passes and collects *every* problem
before it reports: file integrity (hashes, missing or unknown files), table schemas (pandera,
row by row), and cross-table rules (keys unique across tables, sources registered).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ehelse_market import paths
from ehelse_market.errors import DataError, UserError
from ehelse_market.files import atomic_write, sha256_file
from ehelse_market.inputs.schemas import TABLE_SCHEMAS, VALUE_TABLES, bool_columns

MANIFEST = "manifest.json"
VERSIONS = "versions.csv"
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


@dataclass(frozen=True)
class Failure:
    """One problem in the data: where it is and which rule it breaks."""

    file: str
    row: int | None  # line number in the CSV file (header = line 1), None for file-level problems
    column: str | None
    rule: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        got = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.rule}{got}"


def format_failures(failures: list[Failure]) -> str:
    """A readable list, one failure a line, in file and line order."""
    ordered = sorted(failures, key=lambda f: (f.file, f.row or 0, f.column or "", f.rule))
    return "\n".join(f"  - {f}" for f in ordered)


# --------------------------------------------------------------------------- versions


def read_versions(data_root: Path) -> pd.DataFrame:
    """``versions.csv`` as a frame (version, status, manifest_sha256, note); empty if absent."""
    path = data_root / VERSIONS
    if not path.exists():
        return pd.DataFrame(columns=["version", "status", "manifest_sha256", "note"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def resolve_version_dir(version: str | None = None, data_dir: Path | str | None = None) -> Path:
    """The folder of one data version.

    ``data_dir`` may be a data root (holding ``versions.csv``) or a version folder itself (holding
    ``manifest.json``). Without ``version`` the newest released version is used (the last row of
    ``versions.csv``; a draft counts when nothing is released yet).
    """
    root = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    if not root.exists():
        raise UserError(f"data folder {root} does not exist")
    if version is None and (root / MANIFEST).exists() and not (root / VERSIONS).exists():
        return root
    versions = read_versions(root)
    if version is None:
        if versions.empty:
            raise UserError(f"{root / VERSIONS} lists no data version; pass a version folder instead")
        released = versions[versions["status"] == "released"]
        version = (released if not released.empty else versions)["version"].iloc[-1]
    vdir = root / version
    if not vdir.is_dir():
        known = ", ".join(versions["version"]) or "none"
        raise UserError(f"data version '{version}' not found in {root} (known versions: {known})")
    return vdir


def new_version_hint(vdir: Path) -> str:
    return (
        f"Released data versions are immutable. To correct it, copy {vdir} to a new version folder "
        f"(e.g. {vdir.parent}/<YYYY-MM-DD>), edit the copy, run 'ehelse-market data freeze {vdir.parent}/<YYYY-MM-DD>' "
        f"and add the new version to {vdir.parent / VERSIONS}."
    )


def check_integrity(vdir: Path) -> tuple[dict[str, str], list[Failure]]:
    """Recompute each file's sha256 and compare with the manifest (and the manifest with versions.csv)."""
    failures: list[Failure] = []
    hashes = {p.name: sha256_file(p) for p in sorted(vdir.glob("*.csv"))}
    mpath = vdir / MANIFEST
    if not mpath.exists():
        failures.append(Failure(MANIFEST, None, None, f"no manifest in {vdir}; run 'ehelse-market data freeze {vdir}'"))
        return hashes, failures
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        recorded = {name: meta["sha256"] for name, meta in manifest["files"].items()}
    except (ValueError, KeyError, TypeError) as exc:
        failures.append(Failure(MANIFEST, None, None, f"manifest is not valid ({exc}); run 'ehelse-market data freeze {vdir}'"))
        return hashes, failures
    for name in sorted(set(recorded) | set(hashes)):
        if name not in hashes:
            failures.append(Failure(name, None, None, "listed in the manifest but missing from the folder"))
        elif name not in recorded:
            failures.append(Failure(name, None, None, "not listed in the manifest (a file added without a new version)"))
        elif recorded[name] != hashes[name]:
            failures.append(
                Failure(
                    name,
                    None,
                    None,
                    f"sha256 {hashes[name][:12]}… differs from the manifest's {recorded[name][:12]}…: the file was edited in place. "
                    + new_version_hint(vdir),
                )
            )
    versions = read_versions(vdir.parent)
    row = versions[versions["version"] == vdir.name]
    if not row.empty and row["status"].iloc[0] == "released":
        if row["manifest_sha256"].iloc[0] != sha256_file(mpath):
            failures.append(Failure(MANIFEST, None, None, "manifest differs from the sha256 recorded in versions.csv. " + new_version_hint(vdir)))
    return hashes, failures


# --------------------------------------------------------------------------- tables


def read_table(path: Path) -> tuple[pd.DataFrame | None, list[Failure]]:
    """Read a CSV as text (BOM accepted, nothing guessed); file-level problems become failures."""
    name = path.name
    raw = path.read_bytes()
    if not raw.strip():
        return None, [Failure(name, None, None, "file is empty: expected a header row and at least one data row")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Failure(name, None, None, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8")]
    ragged = _ragged_rows(name, text)
    if ragged:
        return None, ragged
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, index_col=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        return None, [Failure(name, None, None, f"not a well-formed CSV: {exc}")]
    if df.empty:
        return None, [Failure(name, None, None, "file has a header but no data rows")]
    df = df.replace({"": None})
    return df, []


def _ragged_rows(name: str, text: str) -> list[Failure]:
    """A failure for each row whose field count differs from the header's (line numbers as in an
    editor). The usual cause is a decimal comma ("13,6") or a comma in unquoted text."""
    try:
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        failures, start = [], reader.line_num + 1
        for fields in reader:
            if fields and len(fields) != len(header):
                hint = " (a decimal comma? write 13.6, not 13,6)" if len(fields) > len(header) else ""
                rule = f"row has {len(fields)} fields, the header has {len(header)}: quote text that contains a comma{hint}"
                failures.append(Failure(name, start, None, rule, ",".join(fields)[:80]))
            start = reader.line_num + 1
    except csv.Error as exc:
        return [Failure(name, None, None, f"not a well-formed CSV: {exc}")]
    return failures


def _friendly(rule: str, value: object) -> str:
    if rule.startswith("coerce_dtype") or rule.startswith("dtype("):
        text = str(value)
        if _DECIMAL_COMMA.match(text):
            return f"decimal comma is not accepted: write {text.strip().replace(',', '.')} ('.' is the decimal separator in data files)"
        wanted = rule.split("'")[1] if "'" in rule else rule
        return "must be a number" if "float" in wanted else ("must be a whole number" if "int" in wanted.lower() else f"must be {wanted}")
    if rule == "field_uniqueness":
        return "duplicate value: must be unique"
    if rule.startswith("column_in_dataframe"):
        return "required column is missing"
    if rule.startswith("column_in_schema"):
        return "unknown column (not in the schema)"
    if rule == "not_nullable":
        return "must not be empty"
    return rule


def validate_table(name: str, df: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Failure]]:
    """Validate one table with its pandera schema; return the coerced frame or the failures."""
    fname = f"{name}.csv"
    schema = TABLE_SCHEMAS.get(name)
    if schema is None:
        known = ", ".join(sorted(TABLE_SCHEMAS))
        return None, [Failure(fname, None, None, f"no schema for table '{name}' (known tables: {known})")]
    try:
        valid = schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = []
        for fc in exc.failure_cases.itertuples(index=False):
            column = fc.column if isinstance(fc.column, str) else None
            idx = fc.index
            row = int(idx) + 2 if idx is not None and not (isinstance(idx, float) and pd.isna(idx)) else None
            rule, value = str(fc.check), fc.failure_case
            if rule.startswith("column_in_dataframe") or rule.startswith("column_in_schema"):
                column, value, row = str(value), None, None
            if column is None and row is not None and "value" in df.columns:
                value = df.loc[int(idx), "key"] if "key" in df.columns else None
            if isinstance(value, str) and value.startswith(("TypeError", "ValueError")):
                continue  # a check that could not run because the column failed to coerce; reported already
            failures.append(Failure(fname, row, column, _friendly(rule, value), None if value is None else str(value)))
        return None, sorted(set(failures), key=lambda f: (f.row or 0, f.column or "", f.rule))
    for col in bool_columns(schema):
        if col in valid.columns:
            mapped = valid[col].map({"true": True, "false": False, None: None})
            # bool dtype whenever no value is missing (pandas 2.2 infers object from the mapping)
            valid[col] = mapped.astype(bool) if mapped.notna().all() else mapped
    return valid, []


# --------------------------------------------------------------------------- the loaded version


@dataclass(frozen=True)
class Inputs:
    """One validated data version: value rows, other tables, sources and file hashes."""

    version: str
    path: Path
    values: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    file_hashes: dict[str, str] = field(default_factory=dict)

    def row(self, key: str) -> pd.Series:
        """The value row with this key (raises UserError naming the key if absent)."""
        hit = self.values[self.values["key"] == key]
        if hit.empty:
            raise UserError(f"data version {self.version} has no value with key '{key}'")
        return hit.iloc[0]

    def value(self, key: str) -> float:
        """The published (or assumed) number under ``key``, in its row's unit."""
        return float(self.row(key)["value"])

    def select(self, prefix: str) -> pd.DataFrame:
        """Value rows whose key starts with ``prefix``, in file order."""
        return self.values[self.values["key"].str.startswith(prefix)]

    def table(self, name: str) -> pd.DataFrame:
        """A non-value table by file stem, e.g. ``williamson_attributes``."""
        if name not in self.tables:
            raise UserError(f"data version {self.version} has no table '{name}' (has: {', '.join(sorted(self.tables))})")
        return self.tables[name]

    def source(self, source_id: str) -> pd.Series:
        hit = self.sources[self.sources["source_id"] == source_id]
        if hit.empty:
            raise UserError(f"data version {self.version} has no source '{source_id}'")
        return hit.iloc[0]


def check_version(vdir: Path) -> tuple[Inputs | None, list[Failure]]:
    """Run every check on one version folder; the Inputs only when there are no failures."""
    hashes, failures = check_integrity(vdir)
    frames: dict[str, pd.DataFrame] = {}
    for path in sorted(vdir.glob("*.csv")):
        raw, problems = read_table(path)
        failures += problems
        if raw is None:
            continue
        valid, problems = validate_table(path.stem, raw)
        failures += problems
        if valid is not None:
            frames[path.stem] = valid
    if "sources" not in frames and not any(f.file == "sources.csv" for f in failures):
        failures.append(Failure("sources.csv", None, None, "the source registry is missing"))
    value_frames = [frames[n].assign(table=n) for n in VALUE_TABLES if n in frames]
    values = pd.concat(value_frames, ignore_index=True) if value_frames else pd.DataFrame(columns=["key", "source_id", "table"])
    dup = values[values["key"].duplicated(keep=False)]
    for key, rows in dup.groupby("key", sort=True):
        tables = ", ".join(sorted(set(rows["table"])))
        failures.append(Failure(f"{rows['table'].iloc[0]}.csv", None, "key", f"key appears more than once across tables ({tables})", key))
    if "sources" in frames:
        known = set(frames["sources"]["source_id"])
        for name, frame in frames.items():
            if "source_id" in frame.columns and name != "sources":
                for idx, sid in frame["source_id"].items():
                    if sid is not None and sid not in known:
                        failures.append(Failure(f"{name}.csv", int(idx) + 2, "source_id", "source id not in sources.csv", sid))
    if failures:
        return None, failures
    others = {n: f for n, f in frames.items() if n not in VALUE_TABLES and n != "sources"}
    return Inputs(vdir.name, vdir, values, others, frames["sources"], hashes), []


@lru_cache(maxsize=8)
def _load_cached(vdir: Path, stamp: tuple) -> Inputs:
    inputs, failures = check_version(vdir)
    if failures:
        raise DataError(f"data version {vdir} failed validation ({len(failures)} problems):\n" + format_failures(failures), failures)
    return inputs


def load_inputs(version: str | None = None, data_dir: Path | str | None = None) -> Inputs:
    """Load, verify and validate one data version (default: the newest); raise DataError listing every problem."""
    vdir = resolve_version_dir(version, data_dir).resolve()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(vdir.iterdir()))
    return _load_cached(vdir, stamp)


def freeze(vdir: Path) -> dict:
    """Write ``manifest.json`` for a draft version folder (refused for a released one); return it."""
    vdir = Path(vdir)
    if not vdir.is_dir():
        raise UserError(f"{vdir} is not a folder")
    versions = read_versions(vdir.parent)
    row = versions[versions["version"] == vdir.name]
    if not row.empty and row["status"].iloc[0] == "released":
        raise UserError(f"data version {vdir.name} is released and cannot be re-frozen. " + new_version_hint(vdir))
    files = {}
    for p in sorted(vdir.glob("*.csv")):
        raw, _ = read_table(p)
        files[p.name] = {"sha256": sha256_file(p), "rows": 0 if raw is None else int(len(raw))}
    manifest = {"version": vdir.name, "files": files}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    atomic_write(vdir / MANIFEST, text)
    if not row.empty:
        versions.loc[row.index, "manifest_sha256"] = sha256_file(vdir / MANIFEST)
        _write_versions(vdir.parent, versions)
    return manifest


def _write_versions(root: Path, versions: pd.DataFrame) -> None:
    atomic_write(root / VERSIONS, versions.to_csv(index=False, lineterminator="\n"))
