"""The command-line dispatcher: one command's imports only; every command listed by --help."""

import subprocess
import sys

import pytest

from ehelse_market.cli import COMMANDS, build_parser, main

HEAVY = ("pandas", "pandera", "matplotlib", "numpy", "papermill", "nbconvert")


def _imported_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(m for m in sys.modules if m in {HEAVY!r})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_build_command_parser_imports_no_heavy_library():
    """A no-op build must stay fast: parsing 'build' may not pull in pandas, matplotlib, papermill..."""
    assert _imported_after("from ehelse_market.cli import build_parser; build_parser('build')") == set()


def test_full_parser_does_import_them():
    """The probe can fail: the full parser (as --help builds it) imports the data-handling commands."""
    assert "pandas" in _imported_after("from ehelse_market.cli import build_parser; build_parser()")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_each_command_parses_alone(command):
    parser = build_parser(command)
    assert command in parser._subparsers._group_actions[0].choices


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_unknown_command_lists_the_known_ones(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err and "validate" in err and "sweep" in err
