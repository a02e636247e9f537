"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market import paths


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data root; its version is turned into a draft so tests may re-freeze it."""
    root = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, root)
    versions = pd.read_csv(root / "versions.csv", dtype=str, keep_default_na=False)
    versions["status"] = "draft"
    versions.to_csv(root / "versions.csv", index=False, lineterminator="\n")
    return root
