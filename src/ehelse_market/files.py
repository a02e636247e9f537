"""Files: the one place that writes outputs and hashes them.

Every writer of the package (reports, figures, manifests, data freezes, decision records) goes
through :func:`atomic_write`, so a reader never sees half a file and an interrupted run leaves
the previous file in place. Hashes are sha256 hex digests.

An output folder is written only if it is new, empty or marked as made by this tool
(:func:`check_output_folder`, :func:`claim_output_folder`), and by one run at a time
(:func:`output_lock`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ehelse_market.errors import UserError


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


# --------------------------------------------------------------------------- output folders

#: The file that marks a folder as made by this tool (it writes into no other non-empty folder).
MARKER = ".ehelse-market"
#: The lock file of an output folder: one run writes into a folder at a time.
LOCK = ".ehelse-market.lock"
_MARKER_TEXT = '{"made_by": "ehelse-market", "note": "this folder is written by ehelse-market; it replaces only what it wrote"}\n'


def _names(folder: Path, limit: int = 3) -> str:
    names = sorted(p.name for p in folder.iterdir())
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def writable_ancestor(path: Path, doing: str) -> Path:
    """The nearest existing folder above ``path`` (missing folders in between are created by the
    writer), or a UserError starting with ``doing`` if it is a file or not writable."""
    ancestor = path.parent
    while not os.path.lexists(ancestor) and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UserError(f"{doing}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise UserError(f"{doing}: the folder {ancestor} is not writable")
    return ancestor


def check_output_folder(path: Path | str, made_by: Callable[[Path], bool] | None = None, what: str = "output folder") -> Path:
    """The absolute output folder if this tool may write into it, else a UserError saying why and
    how to proceed. Nothing is created or written.

    Allowed: a folder that does not exist yet (below a writable folder), an empty
    folder, or a folder holding :data:`MARKER` (or, for folders made before the marker existed,
    one ``made_by`` recognises). ``--force`` has no say in this.
    """
    p = Path(path).expanduser()
    full = Path(os.path.abspath(p))
    if full == Path(full.anchor):
        raise UserError(f"{what} {p} is the root of the file system: give a folder of its own, e.g. --out reports")
    if full.exists() and not full.is_dir():
        raise UserError(f"{what} {p} is a file, not a folder: give a new or empty folder, or one this tool made")
    if not full.exists():
        writable_ancestor(full, f"cannot create {what} {p}")
        return full
    if not os.access(full, os.W_OK | os.X_OK):
        raise UserError(f"{what} {p} is not writable")
    if (full / MARKER).is_file() or not any(full.iterdir()) or (made_by is not None and made_by(full)):
        return full
    raise UserError(
        f"{what} {p} holds files this tool did not write ({_names(full)}); it writes only into a new or empty "
        f"folder or one it made (with a {MARKER} file). Choose another folder, e.g. --out {p / 'ehelse-market'} "
        f"(--force does not change this)"
    )


def claim_output_folder(path: Path | str, made_by: Callable[[Path], bool] | None = None, what: str = "output folder") -> Path:
    """:func:`check_output_folder`, then create the folder and its marker; return the folder."""
    full = check_output_folder(path, made_by, what)
    full.mkdir(parents=True, exist_ok=True)
    marker = full / MARKER
    if not marker.is_file():
        atomic_write(marker, _MARKER_TEXT)
    return full


@contextmanager
def output_lock(folder: Path | str, what: str = "output folder") -> Iterator[Path]:
    """Hold the lock of ``folder`` (created if missing) for one run; a second run refuses at once,
    naming the process holding it. The lock dies with its process (``flock``), so a crash or kill
    never leaves a stale lock behind."""
    import fcntl

    folder = Path(folder)
    path = folder / LOCK
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            raise UserError(
                f"another ehelse-market run (pid {holder}) is writing into the {what} {folder}; "
                "wait for it to finish, or write into another folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield folder
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
