"""Inputs: the versioned data tables (loaded, hash-checked and validated) and the scenario parameters.

The bottom layer of the package: everything above it (domain models, analysis, publishing, the
command line) reads data and parameters through here, and nothing here imports from above.
"""

from ehelse_market.inputs.loader import (
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
