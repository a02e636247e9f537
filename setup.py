"""Build step: the wheel carries the project's folders as package data.

``data/``, ``scenarios/``, ``notebooks/`` and ``cases/`` stay at the top of the repository (where a
researcher with a checkout edits them); building a wheel copies them into the package as
``ehelse_market/bundled/`` so an installed package finds them through ``importlib.resources``
(see ``src/ehelse_market/paths.py`` and docs/python.md). An editable install reads the checkout
directly and copies nothing. Everything else is configured in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("data", "scenarios", "notebooks", "cases")  # = ehelse_market.paths.BUNDLED (a test checks the wheel)


class build_py_with_project_folders(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "ehelse_market" / "bundled"
        if target.exists():
            shutil.rmtree(target)  # a stale copy from an earlier build never ships
        for name in BUNDLED:
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_project_folders})
