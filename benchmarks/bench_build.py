"""Benchmark the report build (not a test): cold build, no-op rebuild, and the naive route.

Run: ``.venv/bin/python benchmarks/bench_build.py [--jobs N]``

* cold: ``ehelse-market build --force`` into a fresh folder (papermill and nbconvert in-process);
* no-op: the same command again (every report up to date, no kernel), timed as a subprocess
  (what a user waits for) and in-process (``report.build`` alone, without interpreter start-up);
* naive: for each notebook, the ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``,
  one after the other, via subprocess.

Targets (issue 12, tighter than issue 4's): cold <= 0.25 x naive; no-op rebuild <= 0.2 s. Prints
the times, the cold/naive ratio and the no-op time against its target (both measured in this run;
the machine's load shows in both sides of the ratio, not in the no-op time).

Every cold build renders every report into a fresh folder. The loader's validation cache
(docs/data-format.md) is a folder of this benchmark's own: the headline cold build finds it warm
(the data was validated before, as on a user's machine after its first command); a second cold
build starts with an empty one (data validated in full in the builder, and by the kernels that
start before its verdict is written), printed beside it. Each cold build is the best of
``--repeat``, and so is the naive route (the three kinds interleaved).

Beside the wall times it prints the CPU seconds (user + system, the kernels included: they are
the commands' children) of the headline cold build and of the naive route, from the same best
runs. The targets are wall times; the CPU ratio is what the machine's load changes least (when
other work shares the cores, the parallel build loses more wall time than the serial route).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


class Run(NamedTuple):
    """One measured run: wall seconds (compared first, so min() picks the fastest) and CPU seconds."""

    wall: float
    cpu: float


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and their children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cache: Path | None = None, **kw) -> Run:
    """One run of ``cmd`` (with the validation cache in ``cache``)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)} if cache is not None else None
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, **kw)
    return Run(time.perf_counter() - start, children_cpu() - cpu)


def naive(out: Path, cache: Path) -> Run:
    """papermill CLI + jupyter nbconvert CLI per notebook, with the same parameters as the build
    (and the same warm validation cache, so the route is not slowed by validating in every kernel)."""
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import report

    params = out / "params.yaml"
    params.write_text(json.dumps(Scenario.baseline().canonical()), encoding="utf-8")  # JSON is YAML
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    cpu, start = children_cpu(), time.perf_counter()
    for nb in report.notebooks():
        executed = out / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-f", str(params), "--no-progress-bar"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=nb.parent, env=env)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return Run(time.perf_counter() - start, children_cpu() - cpu)


COLD_RATIO_TARGET = 0.25  # cold build / naive route
NOOP_TARGET_S = 0.2  # no-op rebuild, seconds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=None, help="passed to ehelse-market build")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="cold builds of each kind; the best is kept")
    args = ap.parse_args()
    cli = [str(BIN / "ehelse-market"), "build"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        timed([sys.executable, "-c", "from ehelse_market.inputs import load_inputs; load_inputs()"], cache)  # the verdict
        colds, cold_caches, naives = [], [], []
        for i in range(args.repeat):  # interleaved, so that a busy machine slows every kind alike
            colds.append(timed(cli + ["--out", str(tmp / f"reports{i}"), "--force"] + jobs, cache))
            cold_caches.append(timed(cli + ["--out", str(tmp / f"cold-cache{i}"), "--force"] + jobs, tmp / f"empty-cache{i}"))
            if not args.skip_naive:
                (tmp / f"naive{i}").mkdir()
                naives.append(naive(tmp / f"naive{i}", cache))
        cold_run, naive_run = min(colds), min(naives) if naives else None
        cold, cold_cache = cold_run.wall, min(cold_caches).wall
        shutil.move(tmp / "reports0", tmp / "reports")
        noop_cli = min(timed(cli + ["--out", str(tmp / "reports")] + jobs, cache) for _ in range(3)).wall
        from ehelse_market.publishing import report

        t = []
        for _ in range(5):
            s = time.perf_counter()
            report.build(tmp / "reports")
            t.append(time.perf_counter() - s)
        noop_api = min(t)
        script = ("from ehelse_market.publishing import report; from ehelse_market.inputs.scenario import Scenario; "
                  f"assert report.build({str(tmp / 'reports')!r}, Scenario.baseline()).ok")
        noop_script = min(timed([sys.executable, "-c", script]) for _ in range(3)).wall
        startup = min(timed([sys.executable, "-c", "from ehelse_market.cli import build_parser; build_parser()"]) for _ in range(3)).wall
    n = len(report.notebooks())
    print(f"notebooks: {n}; jobs: {args.jobs or 'default (CPUs)'}")
    print(f"cold build (ehelse-market build --force): {cold:7.2f} s   (validation cache warm)")
    print(f"cold build, cold validation cache:        {cold_cache:7.2f} s")
    print(
        f"no-op rebuild, CLI subprocess:           {noop_cli:7.2f} s   (target <= {NOOP_TARGET_S} s; the CLI imports only "
        f"the build command; importing every subcommand, as --help does: {startup:.2f} s)"
    )
    print(f"no-op rebuild, python -c report.build():  {noop_script:7.2f} s   (report.build() alone in a fresh interpreter)")
    print(f"no-op rebuild, report.build() in-process: {noop_api:7.3f} s   (target <= {NOOP_TARGET_S} s)")
    if naive_run is not None:
        naive_t = naive_run.wall
        print(f"naive route (papermill CLI + nbconvert CLI per notebook): {naive_t:7.2f} s")
        print(f"ratio cold / naive: {cold / naive_t:.2f}   (target <= {COLD_RATIO_TARGET:.2f}) "
              f"{'OK' if cold <= COLD_RATIO_TARGET * naive_t else 'MISSED'}")
        print(f"ratio cold / naive with a cold validation cache: {cold_cache / naive_t:.2f}")
        print(f"CPU seconds (user + system, kernels included): cold build {cold_run.cpu:.2f}, naive route {naive_run.cpu:.2f}, "
              f"ratio {cold_run.cpu / naive_run.cpu:.2f}")
    print(
        f"ratio no-op / target: {noop_cli / NOOP_TARGET_S:.2f} via CLI, {noop_api / NOOP_TARGET_S:.2f} in-process (<= 1.00): "
        f"{'OK' if noop_cli <= NOOP_TARGET_S else 'MISSED'} via CLI, {'OK' if noop_api <= NOOP_TARGET_S else 'MISSED'} in-process"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
