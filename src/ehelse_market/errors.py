"""Errors a user can act on.

The command line prints a :class:`UserError` as one message and exits non-zero, without a traceback.
Everything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """A mistake in the user's input (data, parameters, files), explained in the message."""

    exit_code = 1


class ParameterError(UserError, ValueError):
    """A parameter outside what a model allows: names the parameter, the value given and what is allowed."""

    def __init__(self, name: str, value: Any, allowed: str):
        self.name, self.value, self.allowed = name, value, allowed
        super().__init__(f"parameter '{name}' = {value!r}: allowed {allowed}")


class DataError(UserError):
    """Input data that fails verification or validation; ``failures`` lists every problem found."""

    def __init__(self, message: str, failures: list | None = None):
        self.failures = list(failures or [])
        super().__init__(message)


#: Longest excerpt of user text quoted in a message, in characters.
EXCERPT_CHARS = 60


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A short, printable excerpt of user text for a message: control characters (terminal
    escapes, NUL, line breaks) shown as ``?``/spaces, runs of spaces folded, cut to ``limit``
    characters with an ellipsis. Messages never echo a whole cell, line or file."""
    text = "".join(ch if ch.isprintable() else (" " if ch in "\t\r\n" else "?") for ch in str(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
