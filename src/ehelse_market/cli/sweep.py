"""``ehelse-market sweep``: a grid or a random sample of scenarios, written as one tidy CSV.

Grid (default): every combination of the values given (each option defaults to the scenario's
value). Random (``--samples N``): N scenarios drawn uniformly, reproducibly from ``--seed``
(default: the scenario's seed); each option then takes exactly two values, LOW HIGH, and
defaults to the range in the scenario or the data (docs/scenarios.md). The CSV is written
chunk by chunk to a temporary file beside the target and moved into place at the end, so a
failed or interrupted sweep never leaves half a file over a good one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ehelse_market.analysis import sweep
from ehelse_market.cli.options import number
from ehelse_market.errors import UserError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from ehelse_market.inputs import Inputs

#: decimals written: 10 significant digits (fte to well below one årsverk), same bytes every run
FLOAT_FORMAT = "%.10g"
#: how every sweep CSV starts: an existing --out file is replaced only if it starts so (written here)
CSV_HEADER_START = b"scenario,"

#: swept parameter -> (flag, metavar, help, kind, example)
_OPTIONS = {
    "productivity_growth": ("--productivity", "G", "productivity growth, fraction/yr (0.02 = 2 %%)", "float", "0.02"),
    "reference_level_2060": ("--level-2060", "FTE", "2060 level of SSB's reference path, fte (published: 618000)", "float", "618000"),
    "base_year": ("--base-year", "YEAR", "base year t0 of the productivity paths", "int", "2017"),
    "share_rounding_halfwidth": ("--halfwidth", "PP", "rounding half-width of a 'ca' share, percentage points", "float", "0.5"),
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        help="evaluate a grid or random sample of scenarios in one process; write a tidy CSV",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("--out", type=Path, required=True, help="CSV file to write (replaced atomically)")
    p.add_argument("--scenario", type=Path, help="scenario YAML the sweep starts from (default: scenarios/baseline.yaml)")
    p.add_argument("--samples", type=number("int", "1000"), help="draw this many random scenarios instead of a grid")
    p.add_argument("--seed", type=number("int", "42"), help="random seed (default: the scenario's seed)")
    p.add_argument("--to", dest="horizon", type=number("int", "2060"), help="last year (default: the scenario's horizon)")
    p.add_argument("--chunk-size", type=number("int", "20000"), default=sweep.DEFAULT_CHUNK_SIZE, help="scenarios computed per chunk (bounds memory)")
    for name, (flag, metavar, text, kind, example) in _OPTIONS.items():
        p.add_argument(flag, dest=name, nargs="+", type=number(kind, example), metavar=metavar, help=text)
    p.set_defaults(func=run)


def checked(args: argparse.Namespace, scenario: Scenario) -> tuple[Scenario, dict]:
    """The scenario with ``--seed`` and ``--to`` applied, and every swept value given, all checked by the Scenario.

    Each value goes through :meth:`Scenario.with_updates`, so a sweep refuses exactly what a
    scenario file, ``project`` or a notebook refuses, in the same words.
    """
    if args.samples is None and args.seed is not None:
        raise UserError("--seed applies to random sweeps only: add --samples N")
    scenario = scenario.with_updates(**{k: v for k, v in (("seed", args.seed), ("horizon", args.horizon)) if v is not None})
    given = {}
    for name in _OPTIONS:
        values = getattr(args, name)
        if values is None:
            continue
        if name == "productivity_growth":
            scenario.with_updates(productivity_growth=values)
        else:
            for v in values:
                scenario.with_updates(**{name: v})
        given[name] = values
    return scenario, given


def parameter_table(args: argparse.Namespace, inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """The sweep's parameter table from the command-line options and the scenario."""
    scenario, given = checked(args, scenario)
    if args.samples is None:
        return sweep.grid_from_scenario(inputs, scenario, **given)
    ranges = sweep.ranges_from_scenario(inputs, scenario)
    for name, values in given.items():
        if len(values) != 2:
            raise UserError(f"{_OPTIONS[name][0]} takes two values LOW HIGH with --samples (got {len(values)})")
        ranges[name] = (values[0], values[1])
    return sweep.random_sample(args.samples, scenario.seed, ranges, prefix=scenario.name)


def write_csv(chunks: Iterable[pd.DataFrame], out: Path) -> int:
    """Write tidy chunks to ``out`` through a temporary file in the same folder; return the row count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.{os.getpid()}.tmp"  # same folder: os.replace is atomic; mode follows the umask
    rows = 0
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            for i, chunk in enumerate(chunks):
                chunk.to_csv(f, header=i == 0, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
                rows += len(chunk)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return rows


#: Measured on the bundled data (benchmarks/bench_sweep.py sizes): bytes of the parameter table per
#: scenario (four numbers and the name), of a result chunk per tidy row while it is computed and
#: written (the frame plus its intermediate arrays), and of the CSV per tidy row.
PARAM_BYTES, CHUNK_ROW_BYTES, CSV_ROW_BYTES = 110, 250, 135
#: Share of the memory available now that a sweep may plan to use.
MEMORY_SHARE = 0.5


def available_memory() -> int:
    """Bytes of memory available to a new allocation now (``MemAvailable``; 2 GiB if unknown)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 2 << 30


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if n < 1000 or unit == "PB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} PB"


def scenario_count(args: argparse.Namespace, scenario: Scenario) -> int:
    """How many scenarios the sweep asks for, computed from the options alone (nothing allocated)."""
    if args.samples is not None:
        return args.samples
    count = 1
    for name in _OPTIONS:
        values = getattr(args, name)
        default = list(scenario.productivity_growth) if name == "productivity_growth" else [None]
        count *= len(dict.fromkeys(values)) if values is not None else len(default)
    return count


def check_size(args: argparse.Namespace, scenario: Scenario, inputs, sin, out: Path) -> None:
    """Refuse, before anything is allocated, a sweep whose parameter table and chunks would not fit
    in memory or whose CSV would not fit on the disk; say what would fit."""
    import shutil

    from ehelse_market.files import writable_ancestor

    n = scenario_count(args, scenario)
    asked = f"--samples {n}" if args.samples is not None else f"a grid of {n:,} scenarios"
    if n < 1:
        raise UserError(f"{asked}: ask for at least one scenario")
    if args.chunk_size < 1:
        raise UserError(f"--chunk-size {args.chunk_size}: give a whole number >= 1 (default {sweep.DEFAULT_CHUNK_SIZE})")
    probe = sweep.random_sample(1, scenario.seed, sweep.ranges_from_scenario(inputs, scenario), prefix=scenario.name)
    rows_each = max(1, sum(len(c) for c in sweep.iter_sweep(sin, probe, horizon=scenario.horizon, chunk_size=1)))
    chunk = min(args.chunk_size, n)
    memory = n * PARAM_BYTES + chunk * rows_each * CHUNK_ROW_BYTES
    budget = int(available_memory() * MEMORY_SHARE)
    if memory > budget:
        if chunk * rows_each * CHUNK_ROW_BYTES > budget / 2:
            raise UserError(f"--chunk-size {args.chunk_size}: one chunk would need about {_size(chunk * rows_each * CHUNK_ROW_BYTES)} "
                            f"of memory, more than the {_size(budget)} this sweep may use; use a smaller --chunk-size "
                            f"(default {sweep.DEFAULT_CHUNK_SIZE})")
        fits = max(0, (budget - chunk * rows_each * CHUNK_ROW_BYTES) // PARAM_BYTES)
        raise UserError(f"{asked}: the sweep would need about {_size(memory)} of memory, more than the {_size(budget)} "
                        f"it may use (half of what is free); at most about {fits:,} scenarios fit: ask for fewer")
    disk = n * rows_each * CSV_ROW_BYTES
    folder = writable_ancestor(Path(os.path.abspath(out)), f"cannot write sweep CSV {out}")
    free = shutil.disk_usage(folder).free
    if disk > free:
        raise UserError(f"{asked}: the CSV would take about {_size(disk)} of disk, but {_size(free)} is free "
                        f"in {folder}; ask for fewer scenarios")


def run(args: argparse.Namespace) -> int:
    from ehelse_market.cli.options import input_file, output_file

    output_file(args.out, "sweep CSV", made_by=CSV_HEADER_START)
    if args.scenario:
        input_file(args.scenario, "scenario file")
    scenario = Scenario.load(args.scenario) if args.scenario else Scenario.baseline()
    inputs = load_inputs(scenario.data_version)
    sin = sweep.SweepInputs.from_inputs(inputs)
    check_size(args, checked(args, scenario)[0], inputs, sin, args.out)
    params = parameter_table(args, inputs, scenario)
    horizon = scenario.horizon if args.horizon is None else args.horizon
    chunks = sweep.iter_sweep(sin, params, horizon=horizon, chunk_size=args.chunk_size)
    rows = write_csv(chunks, args.out)
    print(f"wrote {args.out}: {len(params)} scenario(s), {rows} rows (data {inputs.version})", file=sys.stderr)
    return 0
