"""What the commands share about their arguments: text must read as a number (its range is the
Scenario's); a file named on the command line is checked before any work (:func:`input_file`,
:func:`output_file`; output folders: :func:`ehelse_market.files.check_output_folder`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def number(kind: str, example: str) -> Callable[[str], float | int]:
    """argparse type: ``kind`` "int" or "float"; text that is no number is a usage error naming an example.

    Only the form is checked here: the range of every scenario parameter is checked by
    :class:`~ehelse_market.inputs.scenario.Scenario`, with the same words everywhere.
    """

    def parse(text: str) -> float | int:
        try:
            return int(text) if kind == "int" else float(text)
        except ValueError:
            what = "whole number" if kind == "int" else "number"
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what}; write e.g. {example}") from None

    parse.__name__ = kind
    return parse


#: Largest input file a command reads (scenario and case files are a few kilobytes), in bytes.
MAX_INPUT_BYTES = 1 << 20


def input_file(path: Path, what: str) -> Path:
    """Check a file the user named before any work: a regular file (not a folder, pipe or
    device), at most :data:`MAX_INPUT_BYTES`, UTF-8 text. Returns ``path``; UserError otherwise."""
    import os
    import stat

    from ehelse_market.errors import UserError

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"{what} {path} does not exist") from None
    except OSError as exc:
        raise UserError(f"cannot read {what} {path}: {exc.strerror}") from None
    except ValueError:  # a NUL character, which no file name can hold
        raise UserError(f"{what} {str(path)!r} is not a file name (it holds a NUL character)") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{what} {path} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{what} {path} is not a regular file (a pipe or device?): give a YAML file")
    if st.st_size > MAX_INPUT_BYTES:
        raise UserError(f"{what} {path} is {st.st_size:,} bytes; a {what} is at most {MAX_INPUT_BYTES:,} bytes")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {what} {path}: {exc.strerror}") from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{what} {path} is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from None
    return path


def output_file(path: Path, what: str, made_by: bytes, head: int = 4096) -> Path:
    """Check a file a command will write, before any work: its folder exists or can be made, and
    the path is not a folder, a pipe or a device, nor a file this tool did not write (one whose
    first ``head`` bytes lack ``made_by``). Returns ``path``; UserError otherwise."""
    import os
    import stat

    from ehelse_market.errors import UserError

    full = Path(os.path.abspath(path))
    if path.name in ("", ".", "..") or str(path).endswith(os.sep):
        raise UserError(f"{what} {path} names a folder; give a file name")
    from ehelse_market.files import writable_ancestor

    writable_ancestor(full, f"cannot write {what} {path}")
    try:
        st = os.stat(full)
    except FileNotFoundError:
        return path
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{what} {path} is a folder; give a file name")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{what} {path} is not a regular file (a pipe or device?); give a file name")
    with open(full, "rb") as fh:
        start = fh.read(head)
    if made_by not in start:
        raise UserError(
            f"{what} {path} exists and was not written by this tool; it replaces only files it wrote. "
            "Choose another file name (or move that file away)"
        )
    return path
