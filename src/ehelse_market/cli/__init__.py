"""The ``ehelse-market`` command line: a thin shell over the library.

Each subcommand lives in its own module here and defines ``register(subparsers)``, which adds a
parser and sets ``func`` to a callable returning the exit code. A :class:`UserError` is printed as
one message (exit 1), never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ehelse_market import __version__
from ehelse_market.errors import UserError

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ["data", "advise", "figures", "build", "sweep", "verify", "project"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ehelse-market",
        description="Reproducible analysis of the Norwegian e-health market reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"ehelse_market.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
