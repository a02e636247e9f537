"""``ehelse-market sweep``: a grid or a random sample of scenarios, written as tidy files.

Grid (default): every combination of the values given (each option defaults to the scenario's
value). Random (``--samples N``): N scenarios drawn uniformly, reproducibly from ``--seed``
(default: the scenario's seed); each option then takes exactly two values, LOW HIGH, and
defaults to the range in the scenario or the data (docs/scenarios.md).

Output (``--format csv|parquet|iamc``): ``--out`` gets the yearly rows (fte_demand, fte_vs_basis
per scenario and year), ``<out stem>-amounts.csv|.parquet`` beside it the year-less spend
intervals; iamc writes the yearly rows in the IAMC layout, the amounts as tidy CSV and
``<out stem>-meta.csv`` the parameters per scenario. Files are written chunk by chunk to a
temporary file beside the target and moved into place at the end, so a failed or interrupted
sweep never leaves half a file over a good one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehelse_market.analysis import export, sweep
from ehelse_market.cli import add_verbosity
from ehelse_market.cli.options import number
from ehelse_market.errors import UserError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

    from ehelse_market.inputs import Inputs

#: how each kind of file this command writes starts: an existing file is replaced only if it starts so
MADE_BY = {"csv": b"scenario,", "parquet": b"PAR1", "iamc": b"model,"}

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
        help="evaluate a grid or random sample of scenarios in one process; write tidy CSV, Parquet or IAMC",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument("--out", type=Path, required=True, help="file for the yearly rows (replaced atomically); the year-less amounts go beside it")
    p.add_argument("--format", choices=export.FORMATS, default="csv", help="csv (default), parquet or iamc")
    p.add_argument("--scenario", type=Path, help="scenario YAML the sweep starts from (default: scenarios/baseline.yaml)")
    p.add_argument("--samples", type=number("int", "1000"), help="draw this many random scenarios instead of a grid")
    p.add_argument("--seed", type=number("int", "42"), help="random seed (default: the scenario's seed)")
    p.add_argument("--to", dest="horizon", type=number("int", "2060"), help="last year (default: the scenario's horizon)")
    p.add_argument("--chunk-size", type=number("int", "20000"), default=sweep.DEFAULT_CHUNK_SIZE, help="scenarios computed per chunk (bounds memory)")
    for name, (flag, metavar, text, kind, example) in _OPTIONS.items():
        p.add_argument(flag, dest=name, nargs="+", type=number(kind, example), metavar=metavar, help=text)
    add_verbosity(p)
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


def output_files(out: Path, fmt: str) -> dict[str, Path]:
    """Which file each part of the sweep goes to (see the module docstring)."""
    files = {"paths": out, "amounts": export.companion(out, "amounts", fmt)}
    if fmt == "iamc":
        files["meta"] = export.companion(out, "meta", fmt)
    return files


def write_sweep(chunks: Iterable[sweep.SweepTables], files: dict[str, Path], fmt: str, progress: Any = None) -> dict[str, int]:
    """Stream :class:`sweep.SweepTables` chunks into ``files``; return the rows written per file.

    The yearly rows stream straight to their writer; the year-less amounts and the parameter
    table (a few rows per scenario) are gathered and written after, so at most one chunk of
    yearly rows is in memory.
    """
    import pandas as pd

    amounts: list = []

    def yearly() -> Iterator[pd.DataFrame]:
        for chunk in chunks:
            amounts.append(chunk.amounts)
            if progress is not None:
                progress(chunk)
            yield chunk.paths

    rows = {"paths": export.write(yearly(), files["paths"], fmt)}
    rest = "parquet" if fmt == "parquet" else "csv"
    rows["amounts"] = export.write(amounts, files["amounts"], rest)
    if "meta" in files:
        rows["meta"] = export.write_csv(export.scenario_meta(pd.concat(amounts, ignore_index=True)), files["meta"])
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


def check_size(args: argparse.Namespace, scenario: Scenario, inputs: Inputs, sin: sweep.SweepInputs, out: Path) -> None:
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
    rows_each = max(1, sum(len(c.paths) + len(c.amounts) for c in sweep.iter_sweep(sin, probe, horizon=scenario.horizon, chunk_size=1)))
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

    for part, path in output_files(args.out, args.format).items():
        kind = args.format if part == "paths" else "iamc" if part == "meta" else "parquet" if args.format == "parquet" else "csv"
        output_file(path, f"sweep {args.format} file", made_by=MADE_BY[kind])
    if args.scenario:
        input_file(args.scenario, "scenario file")
    scenario = Scenario.load(args.scenario) if args.scenario else Scenario.baseline()
    inputs = load_inputs(scenario.data_version)
    sin = sweep.SweepInputs.from_inputs(inputs)
    check_size(args, checked(args, scenario)[0], inputs, sin, args.out)
    params = parameter_table(args, inputs, scenario)
    horizon = scenario.horizon if args.horizon is None else args.horizon
    chunks = sweep.iter_sweep(sin, params, horizon=horizon, chunk_size=args.chunk_size)
    files = output_files(args.out, args.format)
    if args.verbosity > 0:
        print(f"{len(params)} scenario(s) from '{scenario.name}', data {inputs.version}, chunks of {args.chunk_size}", file=sys.stderr)
    from tqdm import tqdm

    # a bar on a terminal (tqdm hides itself when stderr is not one), none with --quiet
    with tqdm(total=len(params), unit="scenario", disable=True if args.verbosity < 0 else None, file=sys.stderr, leave=False) as bar:
        rows = write_sweep(chunks, files, args.format, progress=lambda c: bar.update(c.amounts["scenario"].nunique()))
    for part, path in files.items():
        print(f"wrote {path}: {rows[part]} rows", file=sys.stderr)
    if args.verbosity >= 0:
        print(f"{len(params)} scenario(s), data {inputs.version}", file=sys.stderr)
    return 0
