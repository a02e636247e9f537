"""Benchmark ``ehelse-market figures`` against the import floor (not a test).

Run: ``.venv/bin/python benchmarks/bench_figures.py [--repeat N]``

* floor: ``python -c "import pandas, matplotlib.pyplot"``, the least any command that draws with
  pandas data must pay;
* figures: ``ehelse-market figures --out DIR`` into a fresh folder (every registered figure as
  PNG, SVG and CSV).

Both are timed as subprocesses in the same run (best of ``--repeat``), so the ratio does not
depend on the machine. Target (issue 11): figures <= 2 x floor. Prints the times and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs of each command; the best is kept")
    args = ap.parse_args()
    floor_cmd = [sys.executable, "-c", "import pandas, matplotlib.pyplot"]
    floor, figures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):  # interleaved, so that a busy machine slows both alike
            floor.append(timed(floor_cmd))
            figures.append(timed([str(BIN / "ehelse-market"), "figures", "--out", str(Path(tmp) / f"run{i}")]))
        n = len(list((Path(tmp) / "run0").glob("*.svg")))
    best_floor, best_figures = min(floor), min(figures)
    print(f"import floor (pandas + matplotlib.pyplot): {best_floor:6.2f} s")
    print(f"ehelse-market figures ({n} figures):        {best_figures:6.2f} s")
    print(f"ratio figures / floor:                      {best_figures / best_floor:6.2f} x   (target <= 2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
