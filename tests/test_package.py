"""Package hygiene: cheap lazy import, one version, the quick start runs as written, the
project folders are found (checkout, environment variable), notebooks copy out safely."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

import ehelse_market as em
from ehelse_market import paths
from ehelse_market.cli import main

REPO = Path(__file__).resolve().parents[1]


def python(code: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != paths.ENV_ROOT}
    environ.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=environ, capture_output=True, text=True)


def test_import_is_cheap_and_submodules_load_on_use(tmp_path):
    probe = (
        "import sys, ehelse_market as em; print(sorted(m for m in ('pandas', 'numpy', 'matplotlib') if m in sys.modules)); "
        "em.workforce; print('pandas' in sys.modules)"
    )
    out = python(probe, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_every_listed_submodule_and_shortcut_resolves():
    for name in em.SUBMODULES:
        assert getattr(em, name).__name__ == em.SUBMODULES[name]
    assert callable(em.load_inputs) and em.Scenario.baseline().name == "baseline"
    assert "workforce" in dir(em)
    with pytest.raises(AttributeError):
        _ = em.no_such_module


def test_version_is_set_in_one_place():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project.get("dynamic", [])
    version = project["version"]
    assert em.__version__ == version, "reinstall: pip install -e ."
    assert str(yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))["version"]) == version
    released = re.findall(r"^## \[(\d[^\]]*)\] - \d{4}-\d{2}-\d{2}$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert released[0] == version, "CHANGELOG.md: the newest release is the package version"


def test_quick_start_runs_as_written(tmp_path):
    text = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"^## Quick start.*?```python\n(.*?)^```", text, re.S | re.M)
    out = python(code, tmp_path)
    assert out.returncode == 0, out.stderr
    assert "int64" in out.stdout and (tmp_path / "sweep.parquet").exists() and (tmp_path / "sweep-iamc.csv").exists()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (short,) = re.findall(r"^## Python.*?```python\n(.*?)^```", readme, re.S | re.M)
    assert python(short, tmp_path).returncode == 0


def test_checkout_is_found_and_reports_stay_in_it():
    assert paths.checkout_root() == REPO
    assert paths.REPORTS_DIR == REPO / "reports" or os.environ.get(paths.ENV_ROOT)


def test_notebooks_copy_out_and_the_variable_points_everything_at_the_copy(tmp_path, capsys):
    dest = tmp_path / "mine"
    assert main(["notebooks", str(dest)]) == 0
    assert paths.ENV_ROOT in capsys.readouterr().out
    for name in paths.BUNDLED:
        assert (dest / name).is_dir()
    assert sorted(p.name for p in (dest / "notebooks").glob("*.ipynb")) == sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
    probe = (
        "import json, ehelse_market as em; "
        "print(json.dumps([str(em.paths.DATA_DIR), em.paths.FOUND_BY, str(em.paths.REPORTS_DIR), em.load_inputs().path.as_posix()]))"
    )
    out = python(probe, tmp_path, **{paths.ENV_ROOT: str(dest)})
    data, how, reports, loaded = json.loads(out.stdout)
    assert (data, how, reports) == (str(dest / "data"), "env", str(dest / "reports"))
    assert loaded.startswith(dest.as_posix())


def test_notebooks_never_overwrite(tmp_path, capsys):
    dest = tmp_path / "mine"
    (dest / "scenarios").mkdir(parents=True)
    (dest / "scenarios" / "baseline.yaml").write_text("my own\n")
    assert main(["notebooks", str(dest)]) == 1
    assert "already exist" in capsys.readouterr().err
    assert (dest / "scenarios" / "baseline.yaml").read_text() == "my own\n"
    assert not (dest / "notebooks").exists(), "nothing copied when anything would be overwritten"


def test_variable_without_the_folder_is_an_error_not_a_fallback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "ehelse_market", "validate"], cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, paths.ENV_ROOT: str(tmp_path / "nowhere")})
    assert out.returncode == 1 and "nowhere" in out.stderr and "Traceback" not in out.stderr
