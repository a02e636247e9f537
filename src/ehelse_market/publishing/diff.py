"""What changed between two data versions, and what reads it (``ehelse-market data diff OLD NEW``).

Value rows are matched by ``key``: a row is *changed* when any of its fields differ (the value,
its unit, source, locator, quote ...), *added* or *removed* otherwise. Other tables are matched
by their primary key (:func:`ehelse_market.inputs.datapackage.primary_key`) and reported by id.

Who reads a value is found by running the readers, not by a hand-kept list: each claim's
verification and each registered figure's data function run on the new version through
:class:`Recorder`, which notes every key they look up (a claim's and a figure's declared inputs
are added).
A reader that scans the whole value table (``inputs.values``) cannot be traced by key: it is
listed for a changed key only if its result differs between the two versions, marked
``(all values)``.
Reports read through the figures and claims they show (chapter of each figure; ``06_claims``
for the claims); every report's cache key covers the whole data version, so ``build`` rebuilds
all of them after any change and names the changed files (:func:`rebuild_reason`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ehelse_market.errors import UserError
from ehelse_market.inputs.loader import Inputs

if TYPE_CHECKING:
    from ehelse_market.inputs.scenario import Scenario

CLAIMS_REPORT = "06_claims"
#: a reader, called with one argument: an Inputs, or a Recorder standing in for it (a claim's check, a figure's data)
Run = Callable[..., object]
_FIELDS = ("variable", "segment", "year", "value", "unit", "approx", "bound", "status", "source_id", "locator", "quote", "note")


class Recorder:
    """Stands in for :class:`Inputs` and notes the value keys and tables a reader looks up."""

    def __init__(self, inputs: Inputs):
        self._inputs = inputs
        self.keys: set[str] = set()
        self.tables: set[str] = set()
        self.all_values = False

    def row(self, key: str) -> pd.Series:
        self.keys.add(key)
        return self._inputs.row(key)

    def value(self, key: str) -> float:
        return float(self.row(key)["value"])

    def select(self, prefix: str) -> pd.DataFrame:
        rows = self._inputs.select(prefix)
        self.keys.update(rows["key"])
        return rows

    def table(self, name: str) -> pd.DataFrame:
        self.tables.add(name)
        return self._inputs.table(name)

    def __getattr__(self, name: str) -> Any:
        if name == "values":
            self.all_values = True
        return getattr(self._inputs, name)


@dataclass
class Readers:
    """Who reads which value key and table: claim ids, figure ids, report stems."""

    keys: dict[str, set[str]] = field(default_factory=dict)  # reader -> keys
    tables: dict[str, set[str]] = field(default_factory=dict)  # reader -> tables
    everything: set[str] = field(default_factory=set)  # readers that scan the whole value table
    reports: dict[str, set[str]] = field(default_factory=dict)  # reader -> report stems
    runs: dict[str, Run] = field(default_factory=dict)  # reader -> run(inputs), to compare results

    def of_key(self, key: str) -> list[str]:
        direct = sorted(r for r, ks in self.keys.items() if key in ks or any(k.endswith(".") and key.startswith(k) for k in ks))
        return direct + sorted(f"{r} (all values)" for r in self.everything if r not in direct)

    def keep_changed(self, old: Inputs, new: Inputs) -> None:
        """Keep in :attr:`everything` only the readers whose result differs between ``old`` and ``new``."""
        self.everything = {r for r in self.everything if not _same(_result(self.runs[r], old), _result(self.runs[r], new))}

    def of_table(self, name: str) -> list[str]:
        return sorted(r for r, ts in self.tables.items() if name in ts)

    def reports_of(self, readers: Iterable[str]) -> list[str]:
        return sorted({s for r in readers for s in self.reports.get(r.removesuffix(" (all values)"), ())})


def _result(run: Run, inputs: Inputs | Recorder) -> object:
    try:
        return run(inputs)
    except Exception as exc:  # a reader that fails on a version: its error is its result
        return f"{type(exc).__name__}: {exc}"


def _same(a: object, b: object) -> bool:
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return a.reset_index(drop=True).equals(b.reset_index(drop=True))
    return repr(a) == repr(b)


def _trace(readers: Readers, name: str, run: Run, inputs: Inputs, report: str, declared: Iterable[str] = (), tables: Iterable[str] = ()) -> None:
    rec = Recorder(inputs)
    _result(run, rec)  # a reader that fails on this version still counts with what it read so far
    readers.runs[name] = run
    readers.keys[name] = rec.keys | set(declared)
    readers.tables[name] = rec.tables | set(tables)
    if rec.all_values:
        readers.everything.add(name)
    readers.reports[name] = {report}


def find_readers(inputs: Inputs, scenario: Scenario | None = None) -> Readers:
    """Trace every claim and every registered figure on ``inputs`` (see the module docstring)."""
    from ehelse_market.analysis import claims
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import figures

    scenario = Scenario.baseline() if scenario is None else scenario
    readers = Readers()
    if "claims" in inputs.tables:
        try:
            register = claims.register(inputs)
        except UserError:  # a register this code cannot verify (data 2026-11-22): no claim is traced
            register = inputs.table("claims").iloc[0:0]
        for c in register.itertuples(index=False):
            _trace(readers, f"claim {c.claim_id}", lambda rec, c=c: claims.verify_claim(c, rec), inputs, CLAIMS_REPORT,
                   declared=claims.input_keys(c.inputs), tables=("claims",))
    for fig in figures.FIGURES.values():
        _trace(readers, f"figure {fig.id}", lambda rec, fig=fig: fig.data(rec, scenario), inputs, fig.chapter, fig.inputs, fig.tables)
    return readers


def _text(v: object) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    return f"{v:g}" if isinstance(v, float) else str(v)


def value_changes(old: Inputs, new: Inputs) -> pd.DataFrame:
    """One row per value key that changed, was added or removed.

    Columns: change (changed | added | removed), key, fields (which changed), old, new (the
    value), unit, source_id, locator (the new row's; the old one's for a removed key).
    """
    a = old.values.set_index("key")
    b = new.values.set_index("key")
    rows = []
    for key in sorted(set(a.index) | set(b.index)):
        if key not in b.index:
            r = a.loc[key]
            rows.append(("removed", key, "", _text(r["value"]), "", r["unit"], r["source_id"], r["locator"]))
        elif key not in a.index:
            r = b.loc[key]
            rows.append(("added", key, "", "", _text(r["value"]), r["unit"], r["source_id"], r["locator"]))
        else:
            ra, rb = a.loc[key], b.loc[key]
            changed = [f for f in _FIELDS if f in ra.index and f in rb.index and _text(ra[f]) != _text(rb[f])]
            if changed:
                rows.append(("changed", key, " ".join(changed), _text(ra["value"]), _text(rb["value"]), rb["unit"], rb["source_id"], rb["locator"]))
    return pd.DataFrame(rows, columns=["change", "key", "fields", "old", "new", "unit", "source_id", "locator"])


def table_changes(old: Inputs, new: Inputs) -> pd.DataFrame:
    """Rows added, removed or changed in the non-value tables, by primary key: table, change, id."""
    from ehelse_market.inputs.datapackage import primary_key

    rows = []
    for name in sorted(set(old.tables) | set(new.tables) | {"sources"}):
        a = old.sources if name == "sources" else old.tables.get(name)
        b = new.sources if name == "sources" else new.tables.get(name)
        if a is None or b is None:
            rows.append((name, "added" if a is None else "removed", "(whole table)"))
            continue
        key = primary_key(name) or list(a.columns)
        ia = {tuple(map(_text, k)): tuple(map(_text, r)) for k, r in zip(a[key].itertuples(index=False), a.itertuples(index=False))}
        ib = {tuple(map(_text, k)): tuple(map(_text, r)) for k, r in zip(b[key].itertuples(index=False), b.itertuples(index=False))}
        for k in sorted(set(ia) | set(ib)):
            change = "removed" if k not in ib else "added" if k not in ia else "changed" if ia[k] != ib[k] else None
            if change:
                rows.append((name, change, "/".join(k)))
    return pd.DataFrame(rows, columns=["table", "change", "id"])


def diff(old: Inputs, new: Inputs, scenario: Scenario | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(value changes with their readers, table changes with their readers).

    The value frame of :func:`value_changes` gains ``claims``, ``figures`` and ``reports``
    (text, comma-separated); the table frame of :func:`table_changes` gains ``read_by``.
    """
    values = value_changes(old, new)
    tables = table_changes(old, new)
    if values.empty and tables.empty:
        return values.assign(claims="", figures="", reports=""), tables.assign(read_by="")
    readers = find_readers(new, scenario)
    readers.keep_changed(old, new)
    # a removed key was read on the old version
    old_readers = readers
    if (values["change"] == "removed").any():
        old_readers = find_readers(old, scenario)
        old_readers.keep_changed(old, new)
    who = []
    for r in values.itertuples(index=False):
        rd = (old_readers if r.change == "removed" else readers).of_key(r.key)
        reports = (old_readers if r.change == "removed" else readers).reports_of(rd)
        who.append(
            (
                ", ".join(x.removeprefix("claim ") for x in rd if x.startswith("claim ")),
                ", ".join(x.removeprefix("figure ") for x in rd if x.startswith("figure ")),
                ", ".join(reports),
            )
        )
    if who:
        values = pd.concat([values, pd.DataFrame(who, columns=["claims", "figures", "reports"], index=values.index)], axis=1)
    else:
        values = values.assign(claims="", figures="", reports="")
    tables = tables.assign(read_by=[", ".join(readers.of_table(t)) for t in tables["table"]])
    return values, tables


def format_diff(old: Inputs, new: Inputs, values: pd.DataFrame, tables: pd.DataFrame) -> str:
    """The diff as text for a terminal: one block per changed key, then the other tables."""
    lines = [f"data {old.version} -> {new.version}: {len(values)} value row(s) and {len(tables)} other row(s) differ"]
    for change in ("changed", "added", "removed"):
        part = values[values["change"] == change]
        if part.empty:
            continue
        lines.append(f"\n{change} ({len(part)}):")
        for r in part.itertuples(index=False):
            what = f"{r.old} -> {r.new}" if change == "changed" else (r.new or r.old)
            extra = f" [{r.fields}]" if change == "changed" and r.fields != "value" else ""
            lines.append(f"  {r.key}: {what} {r.unit}{extra}  (source {r.source_id}, {r.locator})")
            read = [f"claims: {r.claims}" if r.claims else "", f"figures: {r.figures}" if r.figures else "", f"reports: {r.reports}" if r.reports else ""]
            read = [x for x in read if x]
            lines.append("    read by " + "; ".join(read) if read else "    read by no claim or figure")
    if not tables.empty:
        lines.append(f"\nother tables ({len(tables)}):")
        for r in tables.itertuples(index=False):
            lines.append(f"  {r.table}.csv {r.change}: {r.id}")
    return "\n".join(lines)


def rebuild_reason(old_manifest: dict, data_version: str, input_hashes: dict[str, str], parameters: dict) -> str:
    """Why a report is out of date, in words, from the previous build's manifest (``build``'s progress)."""
    if not old_manifest:
        return "first build into this folder"
    reasons = []
    old_inputs = old_manifest.get("inputs", {})
    files = sorted(n for n in set(old_inputs) | set(input_hashes) if old_inputs.get(n) != input_hashes.get(n))
    if old_manifest.get("data_version") != data_version:
        reasons.append(f"data {old_manifest.get('data_version')} -> {data_version}")
    if files:
        reasons.append("changed inputs: " + ", ".join(files))
    if old_manifest.get("parameters") != parameters:
        reasons.append("parameters changed")
    return "; ".join(reasons) if reasons else "notebook, cases or package changed, or --force"
