"""``ehelse-market notebooks DIR``: copy the notebooks, scenarios, cases and data out to edit.

DIR gets ``notebooks/``, ``scenarios/``, ``cases/`` and ``data/`` as the package has them
(installed or checkout). Nothing is overwritten: if any file to be copied already exists in DIR
the command stops before copying anything. ``EHELSE_MARKET_ROOT=DIR`` then makes the library,
the notebooks and every command read the copies (docs/python.md).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ehelse_market import paths
from ehelse_market.errors import UserError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notebooks", help="copy the chapter notebooks, scenarios, cases and data into a folder to edit")
    p.add_argument("dir", type=Path, help="folder to copy into (created if missing; existing files are never overwritten)")
    p.set_defaults(func=run)


def copy_project(dest: Path) -> list[Path]:
    """Copy :data:`paths.BUNDLED` from the project root into ``dest``; return the files written."""
    root = paths.project_root()
    plan: list[tuple[Path, Path]] = []
    for name in paths.BUNDLED:
        src = root / name
        if not src.is_dir():
            raise UserError(f"{src} does not exist: nothing to copy (is {paths.ENV_ROOT} set to a folder without {name}/?)")
        for f in sorted(src.rglob("*")):
            rel = f.relative_to(root)
            if f.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                plan.append((f, dest / rel))
    clash = [t for _, t in plan if t.exists()]
    if clash:
        raise UserError(f"{len(clash)} file(s) already exist in {dest}, e.g. {clash[0]}; nothing was copied (choose an empty folder)")
    for src, target in plan:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    return [t for _, t in plan]


def run(args: argparse.Namespace) -> int:
    written = copy_project(args.dir)
    print(f"copied {len(written)} files to {args.dir}: {', '.join(n + '/' for n in paths.BUNDLED)}")
    print(f"to make the library, the notebooks and the commands read these copies: export {paths.ENV_ROOT}={args.dir.resolve()}")
    return 0
