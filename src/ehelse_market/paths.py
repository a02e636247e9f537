"""Where the project's folders are: a checkout, an installed wheel, or a folder the user names.

The analysis reads four folders beside the code: ``data/`` (versioned inputs), ``scenarios/``,
``notebooks/`` and ``cases/`` (:data:`BUNDLED`). They are found in this order:

1. ``$EHELSE_MARKET_ROOT``: a folder of the user's own holding those four folders (for example
   one made by ``ehelse-market notebooks DIR`` and then edited). Everything is read from there;
   a folder missing there is an error when it is used, never a silent fallback.
2. The checkout this package is imported from (``src/ehelse_market`` under a folder that holds
   ``pyproject.toml`` and ``data/versions.csv``): a developer's ``pip install -e .``.
3. The installed wheel: the build copies the four folders into the package as
   ``ehelse_market/bundled/``, read through :mod:`importlib.resources`.

Reports and decision records are written to ``reports/`` under the root in cases 1 and 2, and
to ``./reports`` (the current folder) for an installed wheel, never into site-packages.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: the environment variable naming a project folder of the user's own
ENV_ROOT = "EHELSE_MARKET_ROOT"
#: the project folders the wheel ships (copied by setup.py's build step)
BUNDLED = ("data", "scenarios", "notebooks", "cases")
#: where the wheel keeps them, inside the package
BUNDLED_PACKAGE_DIR = "bundled"


def checkout_root() -> Path | None:
    """The repository this package is imported from, or None when it is installed."""
    here = Path(__file__).resolve()
    root = here.parents[2]
    if here.parent.parent.name == "src" and (root / "pyproject.toml").is_file() and (root / "data" / "versions.csv").is_file():
        return root
    return None


def bundled_root() -> Path | None:
    """The project folders inside an installed wheel, or None if the package has none."""
    found = resources.files("ehelse_market").joinpath(BUNDLED_PACKAGE_DIR)
    if isinstance(found, Path) and (found / "data").is_dir():
        return found
    return None


def locate() -> tuple[Path, str]:
    """(root, how it was found): ``"env"``, ``"checkout"`` or ``"installed"`` (see the module doc)."""
    env = os.environ.get(ENV_ROOT)
    if env:
        return Path(env).expanduser().resolve(), "env"
    root = checkout_root()
    if root is not None:
        return root, "checkout"
    root = bundled_root()
    if root is not None:
        return root, "installed"
    # neither: a source tree without data; errors name the missing folder when it is used
    return Path(__file__).resolve().parents[2], "checkout"


def project_root() -> Path:
    """The folder holding data/, scenarios/, notebooks/ and cases/ (see the module doc)."""
    return locate()[0]


def default_reports_dir() -> Path:
    """``reports/`` under a checkout or ``$EHELSE_MARKET_ROOT``; ``./reports`` for an installed wheel."""
    root, how = locate()
    return Path.cwd() / "reports" if how == "installed" else root / "reports"


ROOT, FOUND_BY = locate()
DATA_DIR = ROOT / "data"
NOTEBOOKS_DIR = ROOT / "notebooks"
SCENARIOS_DIR = ROOT / "scenarios"
CASES_DIR = ROOT / "cases"
REPORTS_DIR = default_reports_dir()
#: The source documents as text (seeds/README.md); data locators cite their lines. Only in a
#: checkout: the wheel does not ship the publishers' documents.
SEEDS_DIR = ROOT / "seeds"
