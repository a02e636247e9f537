"""Tidy results: one constructor for every model's output and a public assertion helper.

Every domain function returns a long DataFrame whose first columns are
``scenario, variable, segment, unit, year, value`` (``RESULT_COLUMNS``). Extra columns (for
example ``productivity_growth`` or ``asset_specificity``) follow, in the order the model gives
them. ``segment`` is ``""`` where no breakdown applies, ``year`` is nullable ``Int64`` and ``value``
is ``float64``, so frames from different models concatenate, filter, export and plot generically.

``assert_results_equal`` compares two such frames the way xarray's ``testing`` module does:
rows are matched on every non-value column, and the error lists missing rows, extra rows and
value differences in a readable table instead of a bare ``False``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ehelse_market.inputs.loader import Inputs

RESULT_COLUMNS: tuple[str, ...] = ("scenario", "variable", "segment", "unit", "year", "value")
_TEXT_COLUMNS = ("scenario", "variable", "segment", "unit")


def scenario_name(params: Any) -> str:
    """The name results computed under ``params`` carry: the scenario's name, "" without one.

    Results computed from the data alone (no scenario) are not labelled "baseline": that name
    belongs to ``scenarios/baseline.yaml``.
    """
    return "" if params is None else str(params.name)


def frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame, scenario: str = "") -> pd.DataFrame:
    """Build a tidy result frame from records (dicts) or a DataFrame.

    Missing ``segment`` becomes ``""``, missing ``year`` becomes ``<NA>`` and ``scenario``
    defaults to the given name ("" for results computed without a scenario). Columns beyond
    ``RESULT_COLUMNS`` are kept after them.
    """
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for col in RESULT_COLUMNS:
        if col not in df.columns:
            df[col] = pd.NA
    if "variable" not in df or df["variable"].isna().any():
        raise ValueError("every result row needs a 'variable'")
    df["scenario"] = df["scenario"].where(df["scenario"].notna(), scenario)
    for col in _TEXT_COLUMNS:
        df[col] = df[col].where(df[col].notna(), "").astype(str)
    df["year"] = pd.array(df["year"], dtype="Int64")
    df["value"] = pd.to_numeric(df["value"], errors="raise").astype("float64")
    extra = [c for c in df.columns if c not in RESULT_COLUMNS]
    return df[list(RESULT_COLUMNS) + extra].reset_index(drop=True)


def concat(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy frames (columns missing in some frames become ``<NA>``) and re-tidy them."""
    frames = list(frames)
    if not frames:
        return frame([])
    return frame(pd.concat(frames, ignore_index=True))


def _key_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c != "value"]


def assert_results_equal(
    actual: pd.DataFrame,
    expected: pd.DataFrame,
    *,
    rtol: float = 1e-9,
    atol: float = 0.0,
    check_order: bool = False,
) -> None:
    """Assert two tidy result frames hold the same rows and (within tolerance) the same values.

    Rows are matched on every column except ``value`` (so a different unit, segment or year is
    a missing row plus an extra row, not a silent match). Values match when
    ``|a - e| <= atol + rtol * |e|``; ``NaN`` equals ``NaN``. The error message lists the
    columns that differ, the rows only in one frame and the values that differ.
    """
    problems: list[str] = []
    a_cols, e_cols = list(actual.columns), list(expected.columns)
    if set(a_cols) != set(e_cols):
        problems.append(
            f"columns differ: only in actual {sorted(set(a_cols) - set(e_cols))}, "
            f"only in expected {sorted(set(e_cols) - set(a_cols))}"
        )
        raise AssertionError("results differ:\n  " + "\n  ".join(problems))
    if check_order and a_cols != e_cols:
        problems.append(f"column order differs: {a_cols} != {e_cols}")
    keys = _key_columns(expected)

    def keyed(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        for k in keys:
            out[k] = out[k].astype("object").where(out[k].notna(), None).astype(str)
        return out

    a, e = keyed(actual), keyed(expected)
    for name, df in (("actual", a), ("expected", e)):
        dup = df[df.duplicated(keys, keep=False)]
        if len(dup):
            problems.append(f"{name} has duplicate keys:\n{dup[keys].to_string(index=False)}")
    if problems:
        raise AssertionError("results differ:\n  " + "\n  ".join(problems))
    merged = e.merge(a, on=keys, how="outer", suffixes=("_expected", "_actual"), indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    extra = merged[merged["_merge"] == "right_only"]
    both = merged[merged["_merge"] == "both"]
    if len(missing):
        problems.append(f"{len(missing)} row(s) missing from actual:\n{missing[keys].to_string(index=False)}")
    if len(extra):
        problems.append(f"{len(extra)} unexpected row(s) in actual:\n{extra[keys].to_string(index=False)}")
    ev = both["value_expected"].to_numpy(dtype=float)
    av = both["value_actual"].to_numpy(dtype=float)
    close = np.isclose(av, ev, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        bad = both.loc[~close, keys + ["value_expected", "value_actual"]].copy()
        bad["difference"] = bad["value_actual"] - bad["value_expected"]
        problems.append(
            f"{len(bad)} value(s) differ (rtol={rtol}, atol={atol}):\n{bad.to_string(index=False)}"
        )
    if check_order and not problems:
        if list(a[keys].itertuples(index=False)) != list(e[keys].itertuples(index=False)):
            problems.append("row order differs")
    if problems:
        raise AssertionError("results differ:\n  " + "\n  ".join(problems))


# --------------------------------------------------------------------------- units

_PERCENT_UNITS = ("percent", "percent/yr", "percentage points")


def to_fraction(value: float, unit: str) -> float:
    """A value in ``percent`` / ``percent/yr`` / ``percentage points`` as a fraction (5.2 -> 0.052).

    ``ratio`` values are already fractions. Any other unit is refused, so a count or an amount
    is never silently divided by 100.
    """
    if unit in _PERCENT_UNITS:
        return float(value) / 100.0
    if unit == "ratio":
        return float(value)
    raise ValueError(f"cannot read a value in unit {unit!r} as a fraction (expected percent or ratio)")


def input_fraction(inputs: Inputs, key: str) -> float:
    """The input row ``key`` (a percent or ratio) as a fraction."""
    row = inputs.row(key)
    return to_fraction(row["value"], row["unit"])
