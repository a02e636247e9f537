"""Inputs: the versioned data tables (loaded, hash-checked and validated) and the scenario parameters.

The bottom layer of the package: everything above it (domain models, analysis, publishing, the
command line) reads data and parameters through here, and nothing here imports from above.

The loader's names are imported on first use (PEP 562): ``from ehelse_market.inputs.scenario
import Scenario`` does not import pandas, so a no-op ``ehelse-market build`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "MANIFEST",
    "VERSIONS",
    "Failure",
    "Inputs",
    "check_version",
    "format_failures",
    "freeze",
    "load_inputs",
    "read_table",
    "read_versions",
    "resolve_version_dir",
    "sha256_file",
]

if TYPE_CHECKING:
    from ehelse_market.inputs.loader import (  # noqa: F401
        MANIFEST,
        VERSIONS,
        Failure,
        Inputs,
        check_version,
        format_failures,
        freeze,
        load_inputs,
        read_table,
        read_versions,
        resolve_version_dir,
        sha256_file,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("ehelse_market.inputs.loader"), name)
    raise AttributeError(f"module 'ehelse_market.inputs' has no attribute {name!r}")
