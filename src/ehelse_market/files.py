"""Files: the one place that writes outputs and hashes them.

Every writer of the package (reports, figures, manifests, data freezes, decision records) goes
through :func:`atomic_write`, so a reader never sees half a file and an interrupted run leaves
the previous file in place. Hashes are sha256 hex digests.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def atomic_write(path: Path | str, data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` through a temporary file and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless ``path`` already holds it (keeps mtimes of unchanged files); True if written."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    atomic_write(path, text)
    return True


def sha256_bytes(data: bytes) -> str:
    """sha256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path | str) -> str:
    """sha256 hex digest of a file, read in 64 KiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def tree_fingerprint(root: Path, patterns: tuple[str, ...]) -> str:
    """sha256 over the relative paths and contents of the files under ``root`` matching ``patterns``."""
    h = hashlib.sha256()
    files = sorted({p for pat in patterns for p in Path(root).glob(pat) if p.is_file() and "__pycache__" not in p.parts})
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + sha256_file(p).encode() + b"\n")
    return h.hexdigest()
