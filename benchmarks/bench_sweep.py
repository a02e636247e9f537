"""Benchmark of the scenario sweep (issue 5, item 6). Prints figures; not a test.

    .venv/bin/python benchmarks/bench_sweep.py [--scenarios 100000] [--loop-sample 2000]

Measures, in one process:

1. the array kernel (:func:`ehelse_market.analysis.sweep.demand_paths`): N scenarios x 44 years
   (2017..2060), random productivity growth and 2060 level, base year 2017; best of 5 runs;
2. the same scenarios as tidy result chunks (:func:`ehelse_market.analysis.sweep.iter_sweep`, all variables);
3. a plain Python loop over the same scenarios (``math`` only, no numpy), timed on a subsample and
   scaled linearly to N (said so in the output), checked against the kernel on that subsample;
4. peak traced memory (tracemalloc, numpy and pandas allocations included) of 1 and 2, and from
   it how large a sweep fits in 1 GB: unchunked (kernel arrays) and chunked (tidy chunks streamed
   to CSV: memory is set by the chunk size, not by the number of scenarios).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import time
import tracemalloc

import numpy as np

from ehelse_market.analysis import sweep
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

GB = 1024**3
TARGET_SECONDS = 1.0


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_memory(fn) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def python_loop(sin: sweep.SweepInputs, years, growth, level, base_year) -> list[list[float]]:
    """The same model, one scenario and one year at a time, in plain Python (the naive route)."""
    ry = [float(y) for y in sin.ref_years]
    rv = [float(v) for v in sin.ref_values]
    p_b = sin.basis_growth
    out = []
    for g, lv, t0 in zip(growth, level, base_year):
        vals = rv[:-1] + [lv]
        row = []
        for t in years:
            for k in range(len(ry) - 1):  # geometric interpolation between published years
                if ry[k] <= t <= ry[k + 1]:
                    w = (t - ry[k]) / (ry[k + 1] - ry[k])
                    d_b = math.exp(math.log(vals[k]) * (1 - w) + math.log(vals[k + 1]) * w)
                    break
            row.append(d_b * ((1 + p_b) / (1 + g)) ** (t - t0))
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", type=int, default=100_000)
    ap.add_argument("--loop-sample", type=int, default=2_000)
    ap.add_argument("--chunk-size", type=int, default=sweep.DEFAULT_CHUNK_SIZE)
    args = ap.parse_args()
    n = args.scenarios

    inputs = load_inputs()
    base = Scenario.baseline()
    sin = sweep.SweepInputs.from_inputs(inputs)
    ranges = sweep.ranges_from_scenario(inputs, base)
    ranges["base_year"] = (2017, 2017)  # every scenario spans the full 44 years
    params = sweep.random_sample(n, base.seed, ranges, prefix="bench")
    years = np.arange(2017, 2061)
    g = params["productivity_growth"].to_numpy()
    lv = params["reference_level_2060"].to_numpy()
    t0 = params["base_year"].to_numpy()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, numpy {np.__version__}")
    print(f"sweep: {n:,} scenarios x {years.size} years = {n * years.size:,} demand values (data {inputs.version})")

    kernel = lambda: sweep.demand_paths(sin, years, g, lv, t0)  # noqa: E731
    kernel()  # warm-up
    t_kernel = best_of(kernel)
    m_kernel = peak_memory(kernel)
    verdict = "meets" if t_kernel < TARGET_SECONDS else "MISSES"
    print(f"1. array kernel (demand + basis paths): {t_kernel:.3f} s (best of 5) -> {verdict} the {TARGET_SECONDS:g} s target; peak {m_kernel / 2**20:.0f} MiB")

    def tidy():
        rows = 0
        for chunk in sweep.iter_sweep(sin, params, chunk_size=args.chunk_size):
            rows += len(chunk.paths) + len(chunk.amounts)
        return rows

    t0_ = time.perf_counter()
    rows = tidy()
    t_tidy = time.perf_counter() - t0_
    one_chunk = lambda: next(sweep.iter_sweep(sin, params.iloc[: args.chunk_size], chunk_size=args.chunk_size))  # noqa: E731
    m_tidy = peak_memory(one_chunk)  # the peak of a chunked sweep is the peak of one chunk
    print(f"2. tidy result chunks, all variables ({rows:,} rows, chunks of {args.chunk_size:,}): {t_tidy:.2f} s; peak {m_tidy / 2**20:.0f} MiB (one chunk)")

    k = min(args.loop_sample, n)
    t0_ = time.perf_counter()
    loop = python_loop(sin, [int(y) for y in years], g[:k].tolist(), lv[:k].tolist(), t0[:k].tolist())
    t_loop_sample = time.perf_counter() - t0_
    t_loop = t_loop_sample * n / k
    demand, _ = sweep.demand_paths(sin, years, g[:k], lv[:k], t0[:k])
    max_rel = float(np.max(np.abs(np.asarray(loop) / demand - 1)))
    print(
        f"3. plain Python loop: {t_loop_sample:.2f} s for {k:,} scenarios, scaled x{n / k:g} -> {t_loop:.1f} s estimated for {n:,} "
        f"(max relative difference to the kernel {max_rel:.1e}); kernel speed-up x{t_loop / t_kernel:,.0f}"
    )

    per_scenario_kernel = m_kernel / n
    per_scenario_tidy = m_tidy / min(args.chunk_size, n)
    fit_unchunked = int(GB / per_scenario_kernel)
    fit_chunk = int(GB / per_scenario_tidy)
    print(
        f"4. memory: kernel {per_scenario_kernel:,.0f} B/scenario -> about {fit_unchunked:,} scenarios x 44 years fit in 1 GB unchunked; "
        f"tidy chunks {per_scenario_tidy:,.0f} B/scenario -> chunks of up to about {fit_chunk:,} scenarios fit in 1 GB, "
        f"and a chunked sweep streamed to CSV (ehelse-market sweep) has no size limit but disk "
        f"(peak memory is set by --chunk-size, not by the number of scenarios)"
    )

    from ehelse_market.analysis.export import FLOAT_FORMAT

    sample = next(sweep.iter_sweep(sin, params.iloc[:2_000])).paths
    t0_ = time.perf_counter()
    sample.to_csv(io.StringIO(), index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    t_csv = time.perf_counter() - t0_
    per_row = t_csv / len(sample)
    print(
        f"5. CSV writing (pandas to_csv, as ehelse-market sweep does): {len(sample) / t_csv:,.0f} rows/s on {len(sample):,} rows "
        f"-> about {per_row * rows:.0f} s for all {rows:,} rows of this sweep; writing, not computing, dominates a large CSV "
        f"(benchmarks/bench_export.py measures Parquet against it)"
    )


if __name__ == "__main__":
    main()
