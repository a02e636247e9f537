"""Benchmark: writing a large sweep as Parquet against CSV (issue 15). Prints figures; not a test.

    .venv/bin/python benchmarks/bench_export.py [--scenarios 100000] [--chunk-size 20000]

Computes the sweep's tidy chunks once (100 000 random scenarios from the baseline's ranges,
base year 2017, so every scenario spans 44 years: 10.2 million rows in all, yearly and
year-less), then writes the same chunks, in the same process, with the writers
``ehelse-market sweep`` uses (:mod:`ehelse_market.analysis.export`):

1. CSV (pandas ``to_csv``, 10 significant digits): the baseline;
2. Parquet (pyarrow, snappy, one row group per chunk).

It prints each time, the Parquet/CSV ratio against the 0.2 target, file sizes, and checks that
the Parquet file reads back with the same row count and an int64 year.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from ehelse_market.analysis import export, sweep
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

TARGET_RATIO = 0.2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=int, default=100_000)
    ap.add_argument("--chunk-size", type=int, default=sweep.DEFAULT_CHUNK_SIZE)
    args = ap.parse_args()

    inputs = load_inputs()
    base = Scenario.baseline()
    sin = sweep.SweepInputs.from_inputs(inputs)
    ranges = sweep.ranges_from_scenario(inputs, base)
    ranges["base_year"] = (2017, 2017)
    params = sweep.random_sample(args.scenarios, base.seed, ranges, prefix="bench")
    t = time.perf_counter()
    chunks = list(sweep.iter_sweep(sin, params, chunk_size=args.chunk_size))
    t_compute = time.perf_counter() - t
    paths = [c.paths for c in chunks]
    amounts = [c.amounts for c in chunks]
    rows = sum(map(len, paths)) + sum(map(len, amounts))
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
          f"pandas {pd.__version__}, pyarrow {__import__('pyarrow').__version__}")
    print(f"sweep: {args.scenarios:,} scenarios -> {rows:,} tidy rows ({sum(map(len, paths)):,} yearly + {sum(map(len, amounts)):,} year-less), "
          f"computed in {t_compute:.2f} s")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results = {}
        for fmt in ("csv", "parquet"):
            t = time.perf_counter()
            n = export.write(paths, out / f"sweep.{fmt}", fmt) + export.write(amounts, out / f"sweep-amounts.{fmt}", fmt)
            seconds = time.perf_counter() - t
            size = (out / f"sweep.{fmt}").stat().st_size + (out / f"sweep-amounts.{fmt}").stat().st_size
            assert n == rows
            results[fmt] = seconds
            print(f"{fmt:8}: {seconds:7.2f} s, {rows / seconds:12,.0f} rows/s, {size / 2**20:8.1f} MiB")
        back = pd.read_parquet(out / "sweep.parquet")
        assert len(back) == sum(map(len, paths)) and back["year"].dtype == "int64"
    ratio = results["parquet"] / results["csv"]
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"Parquet/CSV time ratio: {ratio:.3f} ({1 / ratio:.0f}x faster) -> {verdict} the <= {TARGET_RATIO} target; "
          f"Parquet reads back with {len(back):,} yearly rows and an int64 year")


if __name__ == "__main__":
    main()
