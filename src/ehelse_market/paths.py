"""Where the project's folders are.

The package is an analysis of versioned inputs kept beside the code, so the project root is the
checkout that holds ``data/``, ``notebooks/`` and ``scenarios/``. ``EHELSE_MARKET_ROOT`` overrides it
(tests use that to work on a copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project root: ``$EHELSE_MARKET_ROOT`` if set, else the checkout this package lives in."""
    env = os.environ.get("EHELSE_MARKET_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


ROOT = project_root()
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
SCENARIOS_DIR = ROOT / "scenarios"
REPORTS_DIR = ROOT / "reports"
#: The source documents as text (seeds/README.md); data locators cite their lines.
SEEDS_DIR = ROOT / "seeds"
