"""Fixtures shared by the test modules: the bundled data (and a writable copy), the baseline scenario
and a project copy.

A module that needs something else (a scenario with more draws, a chapter) defines it beside its
tests; a fixture of the same name there overrides the one here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from ehelse_market import paths
from ehelse_market.inputs import Inputs, load_inputs
from ehelse_market.inputs.scenario import Scenario

#: folders of the project a notebook never reads: code, docs and outputs
NOT_READ_BY_NOTEBOOKS = {"src", "tests", "docs", "benchmarks", "reports", "build", "out"}


@pytest.fixture(scope="session", autouse=True)
def validation_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The loader's validation cache in a folder of the session's own (kernels and subprocesses
    inherit it), never the user's ``~/.cache``."""
    import os

    folder = tmp_path_factory.mktemp("xdg-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder / "ehelse-market"
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    """The newest released data version (loaded once; tests must not modify it)."""
    return load_inputs()


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The documents' own assumptions, ``scenarios/baseline.yaml``."""
    return Scenario.baseline()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the bundled data root; its version is turned into a draft so tests may re-freeze it."""
    root = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, root)
    versions = pd.read_csv(root / "versions.csv", dtype=str, keep_default_na=False)
    versions["status"] = "draft"
    versions.to_csv(root / "versions.csv", index=False, lineterminator="\n")
    return root


def copy_project(dest: Path) -> Path:
    """Copy the folders notebooks may read (data, notebooks, scenarios, cases, ...), not code or outputs."""
    for path in sorted(paths.ROOT.iterdir()):
        if path.is_dir() and not path.name.startswith(".") and path.name not in NOT_READ_BY_NOTEBOOKS:
            shutil.copytree(path, dest / path.name)
    return dest


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A copy of the project that kernels read (``EHELSE_MARKET_ROOT``), so planted failures never touch the real files."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EHELSE_MARKET_ROOT", str(root))
        yield root


@pytest.fixture(scope="session")
def reader_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every chapter of the baseline built once per session, in Norwegian and in English, into one
    folder: ``{"out": Path, "nb": <out>/baseline, "en": <out>/baseline-en}``. Read-only: a test
    that changes files builds its own."""
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import report

    out = tmp_path_factory.mktemp("reader-builds")
    folders = {"out": out}
    for lang in ("nb", "en"):
        scenario = Scenario.baseline().with_updates(lang=lang)
        result = report.build(out, scenario, jobs=2)
        assert result.ok, [o.message for o in result.failures]
        folders[lang] = result.folder
    return folders
