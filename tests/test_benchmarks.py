"""The benchmark scripts' in-process parts run against today's API (they are not run by CI otherwise).

Speed is not asserted here; this only keeps ``benchmarks/`` from drifting out of step with the
library, as ``bench_figures``' phase breakdown once did when ``figures.to_csv`` gained a parameter.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_figures_phase_breakdown_runs():
    phases = _module("bench_figures").PHASES
    out = subprocess.run([sys.executable, "-c", phases], check=True, capture_output=True, text=True, timeout=300).stdout
    times = json.loads(out.strip().splitlines()[-1])
    assert set(times) >= {"imports", "figure data", "draw and lay out", "PNG", "SVG", "CSV"}
