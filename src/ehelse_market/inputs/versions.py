"""Data versions: which folder a version name means.

A data root holds ``versions.csv`` (version, status, manifest_sha256, note) and one folder per
version; a version folder holds ``manifest.json``. :func:`resolve` is the one rule that turns a
version name (or None: the newest released) into its folder, with one wording for every way it
can fail. It imports no pandas, so that a scenario is resolved cheaply (a no-op build stays
fast); the loader passes its own validating reader of ``versions.csv`` (:func:`loader.read_versions`),
the scenario the plain one here (:func:`read_listed`): the loader checks the file in full before
any model runs.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ehelse_market.errors import UserError, excerpt

MANIFEST = "manifest.json"
VERSIONS = "versions.csv"

#: a reader of a data root's version list: one mapping per row (at least ``version`` and ``status``)
Reader = Callable[[Path], Sequence[Mapping[str, object]]]


def read_listed(root: Path) -> list[dict[str, str]]:
    """The rows of ``root/versions.csv`` read with the standard library (empty if there is none)."""
    path = Path(root) / VERSIONS
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _test(check: Callable[[], bool]) -> bool:
    """``check()``, False where the file system cannot answer (e.g. a name too long for it)."""
    try:
        return check()
    except OSError:
        return False


def resolve(version: str | None, root: Path | str, read: Reader = read_listed) -> Path:
    """The folder of data version ``version`` in ``root``.

    ``root`` may be a data root (holding ``versions.csv``) or a version folder itself (holding
    ``manifest.json``). Without ``version`` the newest released version is used (the last released
    row of ``versions.csv``; a draft counts when nothing is released yet). A version is a folder
    directly inside the root, never a link or a path. Every failure is a :class:`UserError` that
    names the root and, for an unknown version, the known ones.
    """
    root = Path(root)
    if not root.exists():
        raise UserError(f"data folder {root} does not exist")
    if version is None and (root / MANIFEST).exists() and not os.path.lexists(root / VERSIONS):
        return root
    if not root.is_dir():
        raise UserError(f"data folder {root} is not a folder")
    listed = read(root)
    if version is None:
        if not listed and not os.path.lexists(root / VERSIONS):
            raise UserError(
                f"{root} has no {MANIFEST} (a data version folder needs one: run 'ehelse-market data freeze {root}') "
                f"and no {VERSIONS} (a data root lists its versions there)"
            )
        if not listed:
            raise UserError(f"{root / VERSIONS} lists no data version; pass a version folder instead")
        released = [r for r in listed if r.get("status") == "released"] or list(listed)
        version = str(released[-1].get("version") or "")
    vdir = root / version if version not in ("", ".", "..") and not any(c in version for c in (os.sep, "/", "\0")) else None
    if vdir is None or _test(vdir.is_symlink):
        raise UserError(f"data version '{excerpt(version)}' in {root}: a version is a folder directly inside the data folder, not a link or path")
    if not _test(vdir.is_dir):
        known = ", ".join(str(r.get("version")) for r in listed) or "none"
        raise UserError(f"data version '{excerpt(version)}' not found in {root} (known versions: {known})")
    return vdir
