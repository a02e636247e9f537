"""Export tidy results in formats other tools read: CSV, Parquet (pyarrow) and IAMC.

One shape goes in: the tidy result layout of :mod:`ehelse_market.domain.results` (``scenario,
variable, segment, unit, year, value`` then parameter columns), as one frame or as an iterable
of chunks (a sweep of any size streams through in bounded memory). Yearly and year-less rows
never share a file: :func:`split_by_year` separates them; the yearly table has an integer
``year`` column, the year-less one has none. Each writer goes through a temporary file beside
the target and renames it at the end, so a failure never leaves half a file over a good one.

* ``csv``: UTF-8, ``\\n`` line ends, numbers with 10 significant digits (:data:`FLOAT_FORMAT`);
* ``parquet``: one file, one row group per chunk, text columns dictionary-encoded; reads back
  with ``pandas.read_parquet`` with the same columns and an ``int64`` year;
* ``iamc``: the IAMC long format ``model, scenario, region, variable, unit, year, value`` as CSV,
  which ``pyam.IamDataFrame`` reads. ``variable`` is ``variable|segment``; where a scenario name
  alone does not tell rows apart (``project`` gives several growth rates one scenario), the
  varying parameters are added to it: ``baseline (productivity_growth=0.02)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from ehelse_market.domain.results import RESULT_COLUMNS
from ehelse_market.errors import ParameterError, UserError

FORMATS = ("csv", "parquet", "iamc")
#: decimals written to text formats: 10 significant digits, same bytes every run
FLOAT_FORMAT = "%.10g"
IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")
IAMC_MODEL = "ehelse-market"
IAMC_REGION = "Norway"
#: the columns that identify a row of the tidy layout (value and parameters excluded)
KEY_COLUMNS = ("scenario", "variable", "segment", "year")
SUFFIXES = {"csv": ".csv", "parquet": ".parquet", "iamc": ".csv"}


# --------------------------------------------------------------------------- shapes


def split_by_year(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(yearly rows with an ``int64`` year, year-less rows without a year column)."""
    if "year" not in df.columns:
        return df.iloc[0:0].assign(year=np.array([], dtype="int64")), df.reset_index(drop=True)
    has_year = df["year"].notna().to_numpy()
    yearly = df[has_year].reset_index(drop=True)
    yearly["year"] = yearly["year"].to_numpy(dtype="int64")
    return yearly, df[~has_year].drop(columns="year").reset_index(drop=True)


def check_one_kind(df: pd.DataFrame) -> None:
    """Refuse a frame that mixes yearly and year-less rows (they go to separate files)."""
    if "year" in df.columns and df["year"].isna().any() and df["year"].notna().any():
        raise ParameterError("results", "yearly and year-less rows in one frame", "one kind per file: split them with export.split_by_year")


def to_iamc(df: pd.DataFrame, model: str = IAMC_MODEL, region: str = IAMC_REGION) -> pd.DataFrame:
    """The yearly rows of a tidy frame in the IAMC long format (:data:`IAMC_COLUMNS`), one row per key."""
    if "year" not in df.columns or df["year"].isna().any():
        raise ParameterError("results", "rows without a year", "yearly rows only: IAMC data needs a year (export.split_by_year)")
    params = [c for c in df.columns if c not in RESULT_COLUMNS and pd.api.types.is_numeric_dtype(df[c])]
    scenario = df["scenario"].astype(str)
    segment = df["segment"].astype(str)
    if df.duplicated(list(KEY_COLUMNS)).any():
        varying = [c for c in params if (df.groupby(scenario, observed=True)[c].nunique() > 1).any()]
        if varying:
            extra = [", ".join(f"{c}={v:g}" for c, v in zip(varying, row)) for row in df[varying].itertuples(index=False)]
            scenario = scenario + " (" + pd.Series(extra, index=df.index) + ")"
    variable = df["variable"].astype(str).where(segment == "", df["variable"].astype(str) + "|" + segment)
    out = pd.DataFrame(
        {
            "model": model,
            "scenario": scenario.to_numpy(),
            "region": region,
            "variable": variable.to_numpy(),
            "unit": df["unit"].astype(str).to_numpy(),
            "year": df["year"].to_numpy(dtype="int64"),
            "value": df["value"].to_numpy(dtype="float64"),
        }
    )
    if out.duplicated(list(IAMC_COLUMNS[:-1])).any():
        raise ParameterError("results", "duplicate keys", "one value per model, scenario, region, variable, unit and year")
    return out


def scenario_meta(df: pd.DataFrame, model: str = IAMC_MODEL) -> pd.DataFrame:
    """One row per scenario: ``model, scenario`` and the parameter columns (pyam's ``meta``)."""
    params = [c for c in df.columns if c not in RESULT_COLUMNS]
    meta = df[["scenario", *params]].drop_duplicates("scenario").reset_index(drop=True)
    meta["scenario"] = meta["scenario"].astype(str)
    meta.insert(0, "model", model)
    return meta


# --------------------------------------------------------------------------- writers


class _Target:
    """A temporary file beside ``path``, renamed onto it by :meth:`commit` (removed on failure)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.parent / f".{self.path.name}.{os.getpid()}.tmp"

    def __enter__(self) -> _Target:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _chunks(frames: pd.DataFrame | Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    if isinstance(frames, pd.DataFrame):
        yield frames
    else:
        yield from frames


def write_csv(frames: pd.DataFrame | Iterable[pd.DataFrame], path: Path | str) -> int:
    """Write tidy frames (one or chunks, same columns) as one CSV; return the number of rows."""
    rows = 0
    with _Target(path) as t, open(t.tmp, "w", encoding="utf-8", newline="") as f:
        for i, chunk in enumerate(_chunks(frames)):
            check_one_kind(chunk)
            chunk.to_csv(f, header=i == 0, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
            rows += len(chunk)
    return rows


def _arrow_schema(chunk: pd.DataFrame) -> Any:
    """A fixed Arrow schema for every chunk: text as dictionary<int32, string>, year int64."""
    import pyarrow as pa

    fields = []
    for name, s in chunk.items():
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object or pd.api.types.is_string_dtype(s):
            fields.append(pa.field(name, pa.dictionary(pa.int32(), pa.string())))
        elif name == "year":
            fields.append(pa.field(name, pa.int64(), nullable=False))
        elif pd.api.types.is_integer_dtype(s):
            fields.append(pa.field(name, pa.int64()))
        else:
            fields.append(pa.field(name, pa.float64()))
    return pa.schema(fields)


def _arrow_table(chunk: pd.DataFrame, schema: Any) -> Any:
    import pyarrow as pa

    arrays = []
    for f in schema:
        s = chunk[f.name]
        if pa.types.is_dictionary(f.type):
            cat = s if isinstance(s.dtype, pd.CategoricalDtype) else s.astype("category")
            arrays.append(pa.DictionaryArray.from_arrays(cat.cat.codes.to_numpy(dtype="int32"), pa.array(cat.cat.categories.astype(str), pa.string())))
        else:
            arrays.append(pa.array(s.to_numpy(), type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(frames: pd.DataFrame | Iterable[pd.DataFrame], path: Path | str) -> int:
    """Write tidy frames as one Parquet file (a row group per chunk); return the number of rows."""
    import pyarrow.parquet as pq

    rows = 0
    writer = None
    with _Target(path) as t:
        try:
            for chunk in _chunks(frames):
                check_one_kind(chunk)
                if writer is None:
                    schema = _arrow_schema(chunk)
                    writer = pq.ParquetWriter(t.tmp, schema, compression="snappy")
                writer.write_table(_arrow_table(chunk, schema))
                rows += len(chunk)
            if writer is None:
                raise UserError("nothing to write: no result rows")
        finally:
            if writer is not None:
                writer.close()
    return rows


def write_iamc(frames: pd.DataFrame | Iterable[pd.DataFrame], path: Path | str, model: str = IAMC_MODEL, region: str = IAMC_REGION) -> int:
    """Write the yearly rows of tidy frames as an IAMC CSV (:func:`to_iamc`); return the number of rows."""
    return write_csv((to_iamc(c, model, region) for c in _chunks(frames)), path)


WRITERS = {"csv": write_csv, "parquet": write_parquet, "iamc": write_iamc}


def write(frames: pd.DataFrame | Iterable[pd.DataFrame], path: Path | str, format: str = "csv") -> int:
    """Write tidy frames in ``format`` (csv, parquet or iamc); return the number of rows written."""
    if format not in WRITERS:
        raise ParameterError("format", format, "one of " + ", ".join(FORMATS))
    return WRITERS[format](frames, path)


def companion(path: Path | str, part: str, format: str = "csv") -> Path:
    """The file beside ``path`` for another part of the same result: ``sweep.csv`` -> ``sweep-amounts.csv``.

    IAMC has no year-less form, so with ``format="iamc"`` the companion is plain tidy CSV.
    """
    path = Path(path)
    suffix = ".parquet" if format == "parquet" else ".csv"
    return path.with_name(f"{path.stem}-{part}{suffix}")


def read(path: Path | str) -> pd.DataFrame:
    """Read a file written here back into a frame (Parquet or CSV); text columns as strings."""
    path = Path(path)
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        for c in df.columns:
            if isinstance(df[c].dtype, pd.CategoricalDtype):
                df[c] = df[c].astype(str)
        return df
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    for c in ("segment",):
        if c in df.columns:
            df[c] = df[c].fillna("").astype(str)
    return df
