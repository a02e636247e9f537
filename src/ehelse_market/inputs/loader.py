"""Load a versioned data folder: verify its hashes, validate every table, return typed tables.

This is the package's only reader of ``data/``. A data version is a folder of CSV files plus a
``manifest.json`` recording each file's sha256; ``data/versions.csv`` lists the versions and the
sha256 of each released manifest. Checking runs in three passes and collects *every* problem
before it reports: file integrity (hashes, missing or unknown files), table schemas (pandera,
row by row), and cross-table rules (keys unique across tables, sources registered).

Validation cache: :func:`load_inputs` remembers that a version passed (a small JSON verdict in
the user's cache folder, :func:`cache_dir`), keyed by the sha256 of every data file, the loader's
and the schemas' source, and the package, pandas, pandera and Python versions. When the key
matches, the integrity pass still runs (it computes the key), the tables are read as text and
given the recorded types, and pandera is neither imported nor run: the same typed frames in a
fraction of the time. Anything else (no entry, another key, an unreadable or malformed entry)
validates in full. ``EHELSE_MARKET_NO_CACHE=1`` turns the cache off; ``check_version`` (``data
check``) always validates in full. Nothing is unpickled: an entry holds a verdict and dtype names.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ehelse_market import paths
from ehelse_market.errors import DataError, UserError, excerpt
from ehelse_market.files import atomic_write, sha256_bytes, sha256_file
from ehelse_market.inputs.codes import VALUE_TABLES
from ehelse_market.inputs.versions import MANIFEST, VERSIONS, resolve

_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


@dataclass(frozen=True)
class Failure:
    """One problem in the data: where it is and which rule it breaks."""

    file: str
    row: int | None  # line number in the CSV file (header = line 1), None for file-level problems
    column: str | None
    rule: str
    value: str | None = None

    def where(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return where

    def __str__(self) -> str:
        # a cell is quoted as a short, cleaned excerpt: a hostile file cannot flood or drive the terminal
        got = f" (got {excerpt(self.value)!r})" if self.value not in (None, "") else ""
        return f"{self.where()}: {self.rule}{got}"


#: Problems shown per file and rule; the rest are counted ("and N more").
SHOWN_PER_RULE = 5


def format_failures(failures: list[Failure], shown: int = SHOWN_PER_RULE) -> str:
    """A readable list grouped by file and rule, in file and line order: the first ``shown`` of
    each group one a line, then how many more break the same rule."""
    groups: dict[tuple[str, str], list[Failure]] = defaultdict(list)
    for f in sorted(failures, key=lambda f: (f.file, f.row or 0, f.column or "", f.rule)):
        groups[(f.file, f.rule)].append(f)
    lines = []
    for (file, rule), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].row or 0, kv[0][1])):
        lines += [f"  - {f}" for f in group[:shown]]
        if len(group) > shown:
            lines.append(f"  - {file}: and {len(group) - shown} more with the same problem ({rule})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- entries

#: What a data folder may hold besides its tables; other entries are ignored, as before.
DATA_SUFFIXES = (".csv",)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def entry_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file (it must be a regular file, not a link), or None.

    Only ``lstat`` is used: a symbolic link is never followed, a pipe or device never opened.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "does not exist"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "is a symbolic link: data files must be regular files inside the data folder (copy the file in)"
    if not stat.S_ISREG(st.st_mode):
        return f"is {_kind(st.st_mode)}, not a regular file: data files must be regular files inside the data folder"
    return None


def data_files(vdir: Path) -> tuple[list[Path], list[Failure]]:
    """The CSV files of a version folder, and a failure for every ``*.csv`` or manifest entry that
    is not a regular file (symbolic link, folder, pipe, device): refused before anything reads it."""
    files, failures = [], []
    for path in sorted(Path(vdir).iterdir(), key=lambda p: p.name):
        if not (path.suffix in DATA_SUFFIXES or path.name == MANIFEST):
            continue
        problem = entry_problem(path)
        if problem is not None:
            failures.append(Failure(path.name, None, None, problem))
        elif path.suffix in DATA_SUFFIXES:
            files.append(path)
    return files, failures


def _refuse_entry(path: Path, what: str) -> None:
    problem = entry_problem(path)
    if problem is not None:
        raise UserError(f"{what} {path} {problem}")


# --------------------------------------------------------------------------- versions


def read_versions(data_root: Path) -> pd.DataFrame:
    """``versions.csv`` as a frame (version, status, manifest_sha256, note); empty if absent."""
    path = Path(data_root) / VERSIONS
    if not os.path.lexists(path):
        return pd.DataFrame(columns=["version", "status", "manifest_sha256", "note"])
    _refuse_entry(path, "the version list")
    df, problems = read_table(path)
    if problems or df is None:
        raise DataError(f"{path} cannot be read:\n" + format_failures(problems), problems)
    missing = [c for c in ("version", "status", "manifest_sha256") if c not in df.columns]
    if missing:
        raise UserError(f"{path} lacks the column(s) {', '.join(missing)} (header: version,status,manifest_sha256,note)")
    return df.fillna("")


def resolve_version_dir(version: str | None = None, data_dir: Path | str | None = None) -> Path:
    """The folder of one data version (:func:`versions.resolve`), ``versions.csv`` read and checked
    in full by :func:`read_versions`. ``data_dir`` may be a data root or a version folder itself;
    without ``version`` the newest released version is used."""
    root = Path(data_dir) if data_dir is not None else paths.DATA_DIR
    return resolve(version, root, read=lambda r: read_versions(r).to_dict("records"))


def new_version_hint(vdir: Path) -> str:
    return (
        f"Released data versions are immutable. To correct it, copy {vdir} to a new version folder "
        f"(e.g. {vdir.parent}/<YYYY-MM-DD>), edit the copy, run 'ehelse-market data freeze {vdir.parent}/<YYYY-MM-DD>' "
        f"and add the new version to {vdir.parent / VERSIONS}."
    )


def check_integrity(vdir: Path) -> tuple[dict[str, str], list[Failure]]:
    """Recompute each file's sha256 and compare with the manifest (and the manifest with versions.csv)."""
    files, failures = data_files(vdir)
    hashes = {p.name: sha256_file(p) for p in files}
    mpath = vdir / MANIFEST
    if any(f.file == MANIFEST for f in failures):
        return hashes, failures
    if not mpath.exists():
        failures.append(Failure(MANIFEST, None, None, f"no manifest in {vdir}; run 'ehelse-market data freeze {vdir}'"))
        return hashes, failures
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        recorded = {name: meta["sha256"] for name, meta in manifest["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        reason = "not UTF-8 JSON" if isinstance(exc, ValueError) else f"no sha256 per file ({type(exc).__name__})"
        failures.append(Failure(MANIFEST, None, None, f"manifest is not valid ({reason}); run 'ehelse-market data freeze {vdir}'"))
        return hashes, failures
    refused = {f.file for f in failures}
    for name in sorted(set(recorded) | set(hashes)):
        if name in refused:
            continue
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
    if not text.strip():  # e.g. nothing but a byte-order mark
        return None, [Failure(name, None, None, "file is empty: expected a header row and at least one data row")]
    if "\x00" in text:
        return None, [Failure(name, None, None, "file holds NUL bytes: not a text CSV file (save it as UTF-8 CSV)")]
    header = _header_problems(name, text)
    if header:
        return None, header
    ragged = _ragged_rows(name, text)
    if ragged:
        return None, ragged
    try:
        # an empty cell is missing, any other text is kept as written ("NA" stays "NA")
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        return None, [Failure(name, None, None, f"not a well-formed CSV ({excerpt(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, 80)})")]
    if df.empty:
        return None, [Failure(name, None, None, "file has a header but no data rows")]
    return df, []


def _header_problems(name: str, text: str) -> list[Failure]:
    """A failure for an empty or repeated column name in the header row."""
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        return [Failure(name, 1, None, f"the header row is not well-formed CSV ({excerpt(str(exc), 80)})")]
    failures: list[Failure] = []
    seen: dict[str, int] = {}
    for i, col in enumerate(header, 1):
        if not col.strip():
            failures.append(Failure(name, 1, None, f"column {i} of the header has no name"))
        elif col in seen:
            failures.append(Failure(name, 1, col, f"the header names this column twice (columns {seen[col]} and {i}); each column once"))
        else:
            seen[col] = i
    return failures


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
                failures.append(Failure(name, start, None, rule, ",".join(fields)))
            start = reader.line_num + 1
    except csv.Error as exc:
        return [Failure(name, None, None, f"not a well-formed CSV ({excerpt(str(exc), 80)})")]
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


def table_rule_failures(name: str, df: pd.DataFrame) -> list[Failure]:
    """Failures of the table's row-group rules (:data:`schemas.TABLE_RULES`), each at its first row."""
    from ehelse_market.inputs.schemas import RULE_COLUMNS, TABLE_RULES

    failures = []
    for rule in TABLE_RULES.get(name, ()):
        if not set(RULE_COLUMNS.get(rule, ())) <= set(df.columns):
            continue  # the schema reports the missing column
        for p in rule(df):
            row = int(min(p.rows)) + 2 if p.rows else None
            failures.append(Failure(f"{name}.csv", row, p.column, p.rule))
    return failures


def validate_table(name: str, df: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Failure]]:
    """Validate one table with its pandera schema; return the coerced frame or the failures."""
    import pandera.pandas as pa

    from ehelse_market.inputs.schemas import TABLE_SCHEMAS, bool_columns

    fname = f"{name}.csv"
    schema = TABLE_SCHEMAS.get(name)
    if schema is None:
        known = ", ".join(sorted(TABLE_SCHEMAS))
        return None, [Failure(fname, None, None, f"no schema for table '{name}' (known tables: {known})")]
    failures = table_rule_failures(name, df)
    try:
        valid = schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
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
    if failures:
        return None, failures
    for col in bool_columns(schema):
        if col in valid.columns:
            valid[col] = _as_bool(valid[col])
    return valid, []


def _as_bool(text: pd.Series) -> pd.Series:
    """A validated true/false text column as booleans: bool dtype whenever no value is missing
    (pandas infers object from the mapping), else object with None where the cell is empty."""
    mapped = text.map({"true": True, "false": False, None: None})
    return mapped.astype(bool) if mapped.notna().all() else mapped


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

    @cached_property
    def _row_at(self) -> dict[str, int]:
        """Key -> position of its (first) value row: a key is looked up many times per report."""
        at: dict[str, int] = {}
        for i, key in enumerate(self.values["key"].tolist()):
            at.setdefault(key, i)
        return at

    def row(self, key: str) -> pd.Series:
        """The value row with this key (raises UserError naming the key if absent)."""
        at = self._row_at.get(key)
        if at is None:
            raise UserError(f"data version {self.version} has no value with key '{key}'")
        return self.values.iloc[at]

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
    inputs, failures, _ = _checked(vdir, check_integrity(vdir))
    return inputs, failures


def _checked(vdir: Path, integrity: tuple[dict[str, str], list[Failure]]) -> tuple[Inputs | None, list[Failure], dict[str, pd.DataFrame]]:
    """The schema and cross-table passes after the integrity pass: (Inputs or None, failures, the
    validated tables by file stem)."""
    hashes, failures = integrity[0], list(integrity[1])
    frames: dict[str, pd.DataFrame] = {}
    for path in data_files(vdir)[0]:
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
    values = _values(frames)
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
        return None, failures, frames
    return _inputs(vdir, frames, values, hashes), [], frames


def _values(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The value tables' rows in one frame (in :data:`VALUE_TABLES` order), with their table's name."""
    value_frames = [frames[n].assign(table=n) for n in VALUE_TABLES if n in frames]
    return pd.concat(value_frames, ignore_index=True) if value_frames else pd.DataFrame(columns=["key", "source_id", "table"])


def _inputs(vdir: Path, frames: dict[str, pd.DataFrame], values: pd.DataFrame, hashes: dict[str, str]) -> Inputs:
    others = {n: f for n, f in frames.items() if n not in VALUE_TABLES and n != "sources"}
    return Inputs(vdir.name, vdir, values, others, frames["sources"], hashes)


# --------------------------------------------------------------------------- validation cache

#: Set to 1 to validate every load in full, reading and writing no cache entry.
NO_CACHE_ENV = "EHELSE_MARKET_NO_CACHE"
#: Layout of a cache entry; a change here makes every older entry a miss.
CACHE_FORMAT = 1
#: The column types an entry may name; an entry naming another is ignored.
CACHE_DTYPES = ("str", "object", "float64", "Int64", "int64", "bool")
#: Entries kept (newest first); older ones are removed when a new one is written.
CACHE_ENTRIES = 32
_CACHE_MAX_BYTES = 1 << 20
_CACHE_GLOB = "validated-*.json"


def cache_dir() -> Path | None:
    """The validation cache folder, ``$XDG_CACHE_HOME/ehelse-market`` (else ``~/.cache/ehelse-market``),
    or None when :data:`NO_CACHE_ENV` turns the cache off or there is no home folder."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"  # a relative XDG path is ignored (XDG spec)
    except RuntimeError:
        return None
    return root / "ehelse-market"


def _cache_key(hashes: dict[str, str]) -> str | None:
    """sha256 of everything a verdict depends on: each data file's sha256 (checked against the
    manifest), the checking code (this module, the schemas, the code lists) and the versions of
    the package, pandas, pandera and Python. None if the code cannot be read."""
    from importlib.metadata import version

    from ehelse_market import __version__

    here = Path(__file__).resolve().parent
    try:
        code = {name: sha256_file(here / name) for name in ("loader.py", "schemas.py", "codes.py")}
        pandera_version = version("pandera")
    except (OSError, ValueError, ImportError):
        return None
    blob = {"format": CACHE_FORMAT, "files": hashes, "code": code, "package": __version__,
            "pandas": pd.__version__, "pandera": pandera_version, "python": sys.version}
    return sha256_bytes(json.dumps(blob, sort_keys=True).encode())


def _read_verdict(folder: Path, key: str) -> dict | None:
    """The entry for exactly ``key``, or None: missing, not a regular file, too large, not JSON,
    another format or another key all count as no entry."""
    try:
        fd = os.open(folder / f"validated-{key}.json", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > _CACHE_MAX_BYTES:
                return None
            entry = json.loads(fh.read(_CACHE_MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(entry, dict) and entry.get("format") == CACHE_FORMAT and entry.get("key") == key and isinstance(entry.get("tables"), dict):
        return entry
    return None


def _typed(frame: pd.DataFrame, layout: Any) -> pd.DataFrame | None:
    """A table as read with the column types its validation gave it (``layout``: columns with
    their dtypes, and the true/false columns), or None if the layout does not fit the table."""
    try:
        columns = [(str(name), str(dtype)) for name, dtype in layout["columns"]]
        bools = {str(c) for c in layout["bool"]}
    except (KeyError, TypeError, ValueError):
        return None
    if [c for c, _ in columns] != list(frame.columns) or not bools <= set(frame.columns):
        return None
    if any(dtype not in CACHE_DTYPES for _, dtype in columns):
        return None
    try:
        for col, dtype in columns:
            if col in bools:
                frame[col] = _as_bool(frame[col])
            elif str(frame[col].dtype) != dtype:
                frame[col] = frame[col].astype(dtype)
    except (TypeError, ValueError):
        return None
    return frame if [str(t) for t in frame.dtypes] == [d for _, d in columns] else None


def _remembered(vdir: Path, hashes: dict[str, str], entry: dict) -> Inputs | None:
    """The version's Inputs from its tables and a verdict for exactly these files, without pandera."""
    files = data_files(vdir)[0]
    if sorted(entry["tables"]) != sorted(p.stem for p in files):
        return None
    frames: dict[str, pd.DataFrame] = {}
    for path in files:
        raw, problems = read_table(path)
        typed = None if problems or raw is None else _typed(raw, entry["tables"][path.stem])
        if typed is None:
            return None
        frames[path.stem] = typed
    if "sources" not in frames:
        return None
    return _inputs(vdir, frames, _values(frames), hashes)


def _remember(folder: Path, key: str, frames: dict[str, pd.DataFrame], vdir: Path) -> None:
    """Write the verdict for ``key`` (best effort: a read-only or missing home is no error). Never
    into the data folder or the package."""
    from ehelse_market.inputs.schemas import TABLE_SCHEMAS, bool_columns

    tables: dict[str, dict[str, list]] = {
        name: {"columns": [[str(c), str(t)] for c, t in frame.dtypes.items()],
               "bool": [c for c in bool_columns(TABLE_SCHEMAS[name]) if c in frame.columns]}
        for name, frame in frames.items()
    }
    if any(dtype not in CACHE_DTYPES for t in tables.values() for _, dtype in t["columns"]):
        return  # a type the fast path could not give back
    try:
        resolved = folder.resolve()
        if any(resolved.is_relative_to(p.resolve()) for p in (vdir.parent, paths.DATA_DIR, Path(__file__).resolve().parents[1])):
            return
        entry = {"format": CACHE_FORMAT, "key": key, "data_version": vdir.name, "tables": tables}
        atomic_write(folder / f"validated-{key}.json", json.dumps(entry, indent=1, sort_keys=True) + "\n")
        old = sorted(folder.glob(_CACHE_GLOB), key=lambda p: os.lstat(p).st_mtime_ns, reverse=True)[CACHE_ENTRIES:]
        for p in old:
            p.unlink(missing_ok=True)
    except OSError:
        pass


@lru_cache(maxsize=8)
def _load_cached(vdir: Path, stamp: tuple) -> Inputs:
    integrity = check_integrity(vdir)
    folder = cache_dir() if not integrity[1] else None
    key = _cache_key(integrity[0]) if folder is not None else None
    if folder is not None and key is not None:
        entry = _read_verdict(folder, key)
        inputs = _remembered(vdir, integrity[0], entry) if entry is not None else None
        if inputs is not None:
            return inputs
    inputs, failures, frames = _checked(vdir, integrity)
    if failures or inputs is None:
        raise DataError(f"data version {vdir} failed validation ({len(failures)} problems):\n" + format_failures(failures), failures)
    if folder is not None and key is not None:
        _remember(folder, key, frames, vdir)
    return inputs


def load_inputs(version: str | None = None, data_dir: Path | str | None = None) -> Inputs:
    """Load, verify and validate one data version (default: the newest); raise DataError listing every problem.

    A version that passed before with the same files, code and libraries is not validated again
    (the validation cache, see the module doc); its tables have the same types either way."""
    vdir = resolve_version_dir(version, data_dir).resolve()
    stamp = tuple((p.name, st.st_mtime_ns, st.st_size, st.st_mode) for p in sorted(vdir.iterdir()) for st in [os.lstat(p)])
    return _load_cached(vdir, stamp)


def freeze(vdir: Path) -> dict:
    """Write ``manifest.json`` for a draft version folder (refused for a released one); return it."""
    vdir = Path(vdir)
    if not vdir.is_dir():
        raise UserError(f"{vdir} is not a folder")
    if os.path.lexists(vdir / VERSIONS):
        raise UserError(f"{vdir} is a data root (it holds {VERSIONS}): freeze one of its version folders, e.g. {vdir}/<YYYY-MM-DD>")
    versions = read_versions(vdir.parent)
    row = versions[versions["version"] == vdir.name]
    if not row.empty and row["status"].iloc[0] == "released":
        raise UserError(f"data version {vdir.name} is released and cannot be re-frozen. " + new_version_hint(vdir))
    paths_ok, refused = data_files(vdir)
    refused = [f for f in refused if f.file != MANIFEST]
    if refused:
        raise DataError(f"cannot freeze {vdir}:\n" + format_failures(refused), refused)
    if not paths_ok:
        raise UserError(f"{vdir} holds no CSV files: nothing to freeze (a data version is a folder of tables)")
    files = {}
    for p in paths_ok:
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
