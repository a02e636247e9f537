"""``ehelse-market figures``: every registered figure as PNG, SVG and CSV, without a Jupyter kernel."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("figures", help="write every registered figure as PNG + SVG + CSV of the plotted numbers")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--lang", choices=("nb", "en"), default=None, help="label language (default: the scenario's, nb)")
    p.add_argument("--scenario", type=Path, default=None, help="scenario YAML file (default: scenarios/baseline.yaml)")
    p.add_argument("--only", nargs="+", metavar="FIGURE_ID", help="only these figure ids (e.g. 000-figur-8)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="figures drawn at once in worker processes (default: the number of CPU cores, the fastest on "
                        "an otherwise idle machine by measurement, see docs/notebooks.md; --jobs 1 on a busy one)")
    p.add_argument("--list", action="store_true", help="list the register (id, chapter, title, citation, seed locator) and exit")
    # done, it has closed every file and process it opened: the interpreter's teardown can be skipped
    p.set_defaults(func=run, exit_at_once=True)


#: A figures folder from before the ownership marker holds only figure exports (``ID.png|svg|csv``).
_EXPORT = re.compile(r"^[0-9a-z][0-9a-z-]*\.(png|svg|csv)$")


def made_by_figures(folder: Path) -> bool:
    """True if every entry of ``folder`` is a figure export or a dot file (an older ``figures --out``)."""
    return all(e.name.startswith(".") or (e.is_file() and _EXPORT.match(e.name)) for e in folder.iterdir())


def run(args: argparse.Namespace) -> int:
    """Write the figures (or list them).

    With more than one job, the drawers (:class:`~ehelse_market.publishing.figures.Drawers`) start
    before the data is loaded: they load matplotlib while this process loads the data and computes
    every figure's numbers and CSV.

    Python's garbage collector stays off while the command runs: it imports its libraries, loads
    the data and draws a fixed, small set of figures (the register), whose matplotlib objects are
    reference cycles that live until the command ends anyway. Measured on 2 cores: with the
    collector on after the start, its passes took about 3 % of the command's CPU time and saved
    about 5 MB of its peak memory (180 MB). The drawers freeze what they share (``gc.freeze``);
    run as a program, the command ends without the interpreter's teardown (``exit_at_once``). An
    in-process caller (a test) gets the collector back as it was.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if enabled:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    from ehelse_market.cli.options import input_file
    from ehelse_market.errors import ParameterError
    from ehelse_market.files import check_output_folder, claim_output_folder, output_lock
    from ehelse_market.inputs import load_inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import figures

    if not args.list:  # before any work: a new, empty or own folder
        check_output_folder(args.out, made_by_figures, "figures folder")
    if args.scenario:
        input_file(args.scenario, "scenario file")
    scenario = Scenario.load(args.scenario) if args.scenario else Scenario.baseline()
    if args.lang:
        scenario = scenario.with_updates(lang=args.lang)
    if args.list:
        listed = load_inputs(version=scenario.data_version)
        for f in figures.FIGURES.values():
            cited = figures.source_citation(f.id, listed, scenario.lang)
            print(f"{f.id}\t{f.chapter}\t{f.title[scenario.lang]}\t{cited}\t{f.source}")
        return 0
    if args.jobs is not None and args.jobs < 1:
        raise ParameterError("--jobs", args.jobs, "a whole number of at least 1")
    # an unknown id: ParameterError naming the known ones
    ids = [figures.get(fig_id).id for fig_id in args.only] if args.only else list(figures.register())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    jobs = min(args.jobs or cores, len(ids))
    with contextlib.ExitStack() as stack:
        # drawers load matplotlib while this process loads the data and computes the numbers
        drawers = stack.enter_context(figures.Drawers(jobs, scenario.lang)) if jobs > 1 and figures.can_fork() else None
        inputs = load_inputs(version=scenario.data_version)
        out = claim_output_folder(args.out, made_by_figures, "figures folder")
        with output_lock(out, "figures folder"):
            paths = figures.write_all(out, inputs, scenario, ids=ids, drawers=drawers)
    print(f"wrote {len(paths)} files ({len(paths) // 3} figures) to {args.out}")
    return 0
