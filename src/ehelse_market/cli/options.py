"""Argument types shared by the commands: text must read as a number; its range is the Scenario's."""

from __future__ import annotations

import argparse
from collections.abc import Callable


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
