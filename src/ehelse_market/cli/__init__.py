"""The ``ehelse-market`` command line: a thin shell over the library.

Each subcommand lives in its own module here and defines ``register(subparsers)``, which adds a
parser and sets ``func`` to a callable returning the exit code. A :class:`UserError` is printed as
one message (exit 1), never as a traceback (see :func:`main` for the other user-side failures).
Every command checks the files it was given (input files, output files and folders) before it
does any work: see :mod:`ehelse_market.cli.options`.

Only the module of the command being run is imported (the others pull in pandas, pandera and
matplotlib), so that a no-op ``build`` returns in well under half a second; ``--help`` and an
unknown command import them all to list every command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import threading

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
    "notebooks": "notebooks",
}


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` (errors and the files written only) and ``--verbose`` (a line per step) for long commands."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1, default=0,
                       help="print only errors and what was written, no progress")
    group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1, help="print a line per step")


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
    """Run one command; every user error is one ``error:`` line on stderr and a non-zero exit.

    Besides :class:`UserError`, a few failures are the user's or the machine's, not bugs, and are
    worded as one line too: a file the system will not read or write (``OSError`` naming it), text
    that is not UTF-8, memory running out. Output piped into a reader that stops early
    (``| head``) ends quietly with the usual exit code of a closed pipe (141).
    """
    as_program = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    # the top-level parser has no options that take a value, so the first word is the command
    command = next((a for a in argv if not a.startswith("-")), None)
    try:
        parser = build_parser(command)
        args = parser.parse_args(argv)
        code = int(args.func(args) or 0)
        if as_program and getattr(args, "exit_at_once", False):
            _exit_now(code)
        return code
    except UserError as exc:
        return _error(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        if as_program and threading.active_count() > 1:
            _exit_now(130)
        return 130
    except BrokenPipeError:
        return _closed_pipe()
    except UnicodeDecodeError as exc:
        return _error(f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8")
    except MemoryError:
        return _error("not enough memory for this request; ask for less (e.g. fewer --samples)")
    except OSError as exc:
        if exc.filename is None:
            raise
        return _error(f"{exc.strerror or exc}: {exc.filename}")


def _exit_now(code: int) -> None:
    """End the program at once, without the interpreter's teardown, once the command has cleaned up
    and its output is flushed here. After Ctrl-C (a build has killed its kernels, recorded its
    finished reports and holds the write lock), the interpreter's own exit would wait about a
    second more for the kernel clients' helper threads. A command that closes everything it opened
    asks for it when done (``exit_at_once``): ``figures`` saves the 0.03 s of freeing every object
    of pandas and matplotlib one by one."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _error(message: str, code: int = 1) -> int:
    try:
        print(f"error: {message}", file=sys.stderr)
    except (BrokenPipeError, OSError):
        pass
    return code


def _closed_pipe() -> int:
    """The reader of stdout went away: send the rest of our output nowhere (so the interpreter's
    final flush does not complain) and exit as a process ended by SIGPIPE would."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141
