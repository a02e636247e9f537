"""Benchmark ``ehelse-market figures`` against the import floor (not a test).

Run: ``.venv/bin/python benchmarks/bench_figures.py [--repeat N]``

* floor: ``python -c "import pandas, matplotlib.pyplot"``, the least any command that draws with
  pandas data must pay;
* figures: ``ehelse-market figures --out DIR`` into a fresh folder (every registered figure as
  PNG, SVG and CSV), drawn by as many processes as there are cores (the default), and once more
  with ``--jobs 1`` (one after the other) to show what the workers save.

Every figure run is cold: a fresh output folder, nothing rendered before. The loader's validation
cache (docs/data-format.md) lives in a folder of this benchmark's own: the headline runs find it
warm (the data was validated by an earlier command, as on a user's machine after the first run);
the "cold validation cache" line runs each time with an empty one (data validated in full, pandera
imported), so both are printed.

Python's bytecode cache is on for every command, floor included, as on a user's machine, where
the package's modules are compiled once (by pip for a wheel, by Python on the first run of a
checkout). Some environments set PYTHONDONTWRITEBYTECODE, which would make every run compile the
package from source; the benchmark writes the cache into its own temporary folder
(PYTHONPYCACHEPREFIX), so the checkout is left as it was, and runs each command once before timing.

All are timed as subprocesses in the same run (best of ``--repeat``, interleaved), so the ratio
does not depend on the machine. Wall time is what a user waits for; CPU time (user + system of the
child) is printed beside it because it is steadier on a busy machine. Target (issue 11):
figures <= 2 x floor. Prints the times and the ratios, then where the command's CPU time goes
(one in-process run of each phase, in a fresh interpreter).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str], cache: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one run of ``cmd`` in ``env`` (validation cache in ``cache``)."""
    env = {**env, "XDG_CACHE_HOME": str(cache)} if cache is not None else env
    before = os.times()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


#: one in-process run of the command's phases, printing CPU seconds per phase as JSON
PHASES = """
import json, time
c = time.process_time
t = {}
a = c(); from ehelse_market.publishing import figures; from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario; t["imports"] = c() - a
a = c(); inputs, scenario = load_inputs(), Scenario.baseline(); t["load and validate data"] = c() - a
a = c(); ids = list(figures.register()); t["discover the register"] = c() - a
for k in ("figure data", "draw and lay out", "PNG", "SVG", "CSV"):
    t[k] = 0.0
for fig_id in ids:
    a = c(); data = figures.figure_data(fig_id, inputs, scenario); b = c(); t["figure data"] += b - a
    fig, _ = figures.render(fig_id, inputs, scenario, data=data); a = c(); t["draw and lay out"] += a - b
    figures.to_bytes(fig, "png"); b = c(); t["PNG"] += b - a
    figures.to_bytes(fig, "svg"); a = c(); t["SVG"] += a - b
    figures.to_csv(fig_id, data, scenario.lang, inputs); t["CSV"] += c() - a
print(json.dumps(t))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is kept")
    args = ap.parse_args()
    floor_cmd = [sys.executable, "-c", "import pandas, matplotlib.pyplot"]
    figures_cmd = [str(BIN / "ehelse-market"), "figures"]
    runs: dict[str, list[tuple[float, float]]] = {"floor": [], "figures": [], "serial": [], "cold": []}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        # bytecode cached in the benchmark's folder, for every command
        env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "bytecode")}
        timed(floor_cmd, env)  # compiles what the floor imports
        timed(figures_cmd + ["--out", str(Path(tmp) / "warm-up")], env, cache)  # validates the data once, compiles the package
        for i in range(args.repeat):  # interleaved, so that a busy machine slows all alike
            runs["floor"].append(timed(floor_cmd, env))
            runs["figures"].append(timed(figures_cmd + ["--out", str(Path(tmp) / f"run{i}")], env, cache))
            runs["serial"].append(timed(figures_cmd + ["--jobs", "1", "--out", str(Path(tmp) / f"one{i}")], env, cache))
            runs["cold"].append(timed(figures_cmd + ["--out", str(Path(tmp) / f"cold{i}")], env, Path(tmp) / f"empty-cache{i}"))
        n = len(list((Path(tmp) / "run0").glob("*.svg")))
        out = subprocess.run([sys.executable, "-c", PHASES], check=True, capture_output=True, text=True,
                             env={**env, "XDG_CACHE_HOME": str(cache)}).stdout
    best = {k: (min(t[0] for t in v), min(t[1] for t in v)) for k, v in runs.items()}
    fw, fc = best["floor"]
    print(f"{'':52s}{'wall':>8s}{'cpu':>8s}")
    print(f"{'import floor (pandas + matplotlib.pyplot)':52s}{fw:7.2f}s{fc:7.2f}s")
    for key, what in (("figures", f"ehelse-market figures ({n} figures)"), ("serial", "figures --jobs 1 (no workers)"),
                      ("cold", "figures, cold validation cache")):
        w, c = best[key]
        print(f"{what:52s}{w:7.2f}s{c:7.2f}s")
        print(f"{'  ratio to the floor' + (' (target <= 2)' if key == 'figures' else ''):52s}{w / fw:7.2f}x{c / fc:7.2f}x")
    print("\nwhere the CPU time goes (one in-process run; the first figure also pays matplotlib's import):")
    for phase, seconds in json.loads(out.strip().splitlines()[-1]).items():
        print(f"  {phase:42s}{seconds:7.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
