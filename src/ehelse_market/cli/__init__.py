"""The ``ehelse-market`` command line: a thin shell over the library.

Each subcommand lives in its own module here and defines ``register(subparsers)``, which adds a
parser and sets ``func`` to a callable returning the exit code. A :class:`UserError` is printed as
one message (exit 1), never as a traceback.

Only the module of the command being run is imported (the others pull in pandas, pandera and
matplotlib), so that a no-op ``build`` returns in well under half a second; ``--help`` and an
unknown command import them all to list every command.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ehelse_market import __version__
from ehelse_market.errors import UserError

#: Command name -> the module under ``ehelse_market.cli`` that registers it, in ``--help`` order.
COMMANDS = {
    "validate": "data",
    "data": "data",
    "advise": "advise",
    "figures": "figures",
    "build": "build",
    "sweep": "sweep",
    "verify": "verify",
    "project": "project",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``command`` alone if it is a known command, else for every command."""
    parser = argparse.ArgumentParser(
        prog="ehelse-market",
        description="Reproducible analysis of the Norwegian e-health market reports.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"ehelse_market.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # the top-level parser has no options that take a value, so the first word is the command
    command = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
