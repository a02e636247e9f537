"""The wheel is the product: build it, install it in a fresh virtual environment, and run every
command from a temporary folder that is not a checkout (slow: installs the dependencies).

Nothing here imports the package under test from the checkout: the commands run from the fresh
environment's ``bin/``, with ``EHELSE_MARKET_ROOT`` and ``PYTHONPATH`` removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ehelse_market import paths

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
#: what a build reads from the repository (a copy, so a stale build/ folder never ships)
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff", "src", *paths.BUNDLED)


def run(cmd: list, cwd: Path, env: dict, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)
    if ok:
        assert proc.returncode == 0, f"{cmd} exited {proc.returncode}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", "bundled", ".*"))
        else:
            shutil.copy2(path, src / name)
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, src], cwd=src, env=os.environ.copy())
    (whl,) = dist.glob("ehelse_market-*.whl")
    return whl


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(bin folder, environment, working folder) of a fresh venv with the wheel installed."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in (paths.ENV_ROOT, "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = tmp_path_factory.mktemp("work")
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], cwd=work, env=env)
    return venv / "bin", env, work


def test_wheel_ships_data_scenarios_notebooks_cases_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in paths.BUNDLED:
        assert any(n.startswith(f"ehelse_market/bundled/{folder}/") for n in names), folder
    assert "ehelse_market/bundled/data/versions.csv" in names
    assert "ehelse_market/bundled/scenarios/baseline.yaml" in names
    assert "ehelse_market/py.typed" in names
    assert "ehelse_market/publishing/templates/page.html.j2" in names
    repo_yaml = {p.relative_to(REPO / "src").as_posix() for p in (REPO / "src" / "ehelse_market").rglob("*.yaml") if "bundled" not in p.parts}
    assert repo_yaml <= names, "every YAML file under the package ships"
    assert not any("/seeds/" in n for n in names), "the publishers' documents are not redistributed in the wheel"


def test_installed_package_finds_its_files_and_writes_outside_site_packages(installed):
    bin_, env, work = installed
    probe = "import ehelse_market as em, json; print(json.dumps([str(em.paths.ROOT), em.paths.FOUND_BY, str(em.paths.REPORTS_DIR)]))"
    root, how, reports = json.loads(run([bin_ / "python", "-c", probe], cwd=work, env=env).stdout)
    assert how == "installed" and "site-packages" in root
    assert Path(reports) == work / "reports"


def test_every_command_works_from_a_temporary_folder(installed):
    bin_, env, work = installed
    em = bin_ / "ehelse-market"
    site = Path(run([bin_ / "python", "-c", "import ehelse_market, os; print(os.path.dirname(ehelse_market.__file__))"], cwd=work, env=env).stdout.strip())
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if "__pycache__" not in p.parts)

    assert "ok" in run([em, "validate"], cwd=work, env=env).stdout
    assert "failing" in run([em, "verify"], cwd=work, env=env).stdout
    out = run([em, "project", "--productivity", "0", "0.02", "--format", "csv"], cwd=work, env=env).stdout
    assert out.startswith("scenario,variable,segment,unit,year,value,productivity_growth")
    run([em, "project", "-g", "0.01", "--format", "parquet", "--out", "p.parquet"], cwd=work, env=env)
    assert (work / "p.parquet").stat().st_size > 0
    run([em, "figures", "--out", "figs", "--only", "004-figur-2"], cwd=work, env=env)
    assert (work / "figs" / "004-figur-2.svg").exists()
    run([em, "sweep", "--samples", "20", "--seed", "3", "--out", "sweep.csv"], cwd=work, env=env)
    assert (work / "sweep.csv").exists() and (work / "sweep-amounts.csv").exists()
    run([em, "notebooks", "mine"], cwd=work, env=env)
    assert (work / "mine" / "notebooks" / "04_workforce.ipynb").exists()
    advice = run([em, "advise", "mine/cases/seed002-case.yaml", "--lang", "en", "--out", "rec.html"], cwd=work, env=env)
    assert "Recommendation" in advice.stdout and (work / "rec.md").exists()

    built = run([em, "build", "--out", "out", "--jobs", "2"], cwd=work, env=env)
    assert "7 built" in built.stdout, built.stdout + built.stderr
    assert (work / "out" / "index.html").exists() and (work / "out" / "baseline" / "04_workforce.html").exists()
    # without --out an installed package writes ./reports, never into site-packages
    run([em, "build", "--only", "03_ict", "--quiet"], cwd=work, env=env)
    assert (work / "reports" / "baseline" / "03_ict.html").exists()

    after = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if "__pycache__" not in p.parts)
    assert after == before, "a command wrote into the installed package"

    # the user's own copy, named by the environment variable, is what every command then reads
    mine = {**env, paths.ENV_ROOT: str(work / "mine")}
    assert f"{work / 'mine' / 'data'}" in run([em, "validate"], cwd=work, env=mine).stdout
