"""ehelse-market: the Norwegian e-health market reports as data, models and re-renderable figures.

``import ehelse_market as em`` is cheap (it imports no pandas, numpy or matplotlib); the
submodules load on first use, so ``em.workforce``, ``em.sweep`` or ``em.load_inputs`` work
without importing their packages first and the command line stays fast. See docs/python.md.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from typing import Any

try:
    __version__ = _version("ehelse-market")  # the one place: pyproject.toml's [project] version
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

#: short name -> module, loaded on first attribute access
SUBMODULES = {
    # inputs
    "loader": "ehelse_market.inputs.loader",
    "schemas": "ehelse_market.inputs.schemas",
    "scenario": "ehelse_market.inputs.scenario",
    "datapackage": "ehelse_market.inputs.datapackage",
    # domain
    "market": "ehelse_market.domain.market",
    "contracts": "ehelse_market.domain.contracts",
    "ict": "ehelse_market.domain.ict",
    "workforce": "ehelse_market.domain.workforce",
    "gains": "ehelse_market.domain.gains",
    "sourcing": "ehelse_market.domain.sourcing",
    "results": "ehelse_market.domain.results",
    # analysis
    "claims": "ehelse_market.analysis.claims",
    "sweep": "ehelse_market.analysis.sweep",
    "uncertainty": "ehelse_market.analysis.uncertainty",
    "sensitivity": "ehelse_market.analysis.sensitivity",
    "export": "ehelse_market.analysis.export",
    # publishing
    "figures": "ehelse_market.publishing.figures",
    "labels": "ehelse_market.publishing.labels",
    "chapter": "ehelse_market.publishing.chapter",
    "report": "ehelse_market.publishing.report",
    "diff": "ehelse_market.publishing.diff",
    # top level
    "paths": "ehelse_market.paths",
    "files": "ehelse_market.files",
    "errors": "ehelse_market.errors",
}
#: short name -> (module, attribute): the entry points a quick start needs
SHORTCUTS = {
    "load_inputs": ("ehelse_market.inputs.loader", "load_inputs"),
    "Scenario": ("ehelse_market.inputs.scenario", "Scenario"),
}

__all__ = ["__version__", *SUBMODULES, *SHORTCUTS]


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        module = importlib.import_module(SUBMODULES[name])
        globals()[name] = module
        return module
    if name in SHORTCUTS:
        module_name, attr = SHORTCUTS[name]
        value = getattr(importlib.import_module(module_name), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ehelse_market' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
