"""Issue 13, classes 5, 6 and 8: user mistakes at the command line end in one message, never a
traceback; no command writes where it may not; unbounded requests are refused before allocating.

Every subcommand that writes is run against each kind of bad output path, and every subcommand
that reads a file against each kind of bad file: exit 1 or 2, one ``error:`` line, no traceback,
and nothing written outside the place the command was given. Output piped into a reader that
closes early (``| head``) ends quietly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ehelse_market import files, paths
from ehelse_market.cli import main

CASE = paths.ROOT / "cases" / "seed002-case.yaml"


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def one_message(err: str) -> str:
    lines = [ln for ln in err.splitlines() if "error:" in ln]
    assert len(lines) == 1, err
    return lines[0]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.lstat().st_mtime_ns, p.lstat().st_size) for p in root.rglob("*")}


# --------------------------------------------------------------------------- bad output paths


def bad_outputs(tmp: Path) -> dict[str, Path]:
    """Each kind of output path a command must refuse, made in ``tmp``."""
    a_file = tmp / "a-file.txt"
    a_file.write_text("not ours\n", encoding="utf-8")
    foreign = tmp / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("<p>someone else's page</p>\n", encoding="utf-8")
    return {
        "a file": a_file,
        "under a file": a_file / "sub",
        "under a device": Path("/dev/null/reports"),
        "foreign folder": foreign,
        "root": Path("/"),
        "proc": Path("/proc/ehelse-market-out"),
    }


#: command -> argv with {out} for the output path; each must check it before any work
WRITERS = {
    "build": ["build", "--out", "{out}", "--only", "01_market"],
    "figures": ["figures", "--out", "{out}", "--only", "000-figur-5"],
}
FILE_WRITERS = {
    "sweep": ["sweep", "--out", "{out}", "--samples", "3"],
    "advise": ["advise", str(CASE), "--out", "{out}"],
}


@pytest.mark.parametrize("kind", ["a file", "under a file", "under a device", "foreign folder", "root", "proc"])
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_folder_writers_refuse_bad_output_paths_before_work(command, kind, tmp_path, capsys, monkeypatch):
    from ehelse_market.publishing import report

    monkeypatch.setattr(report, "run_tasks", lambda *a, **k: pytest.fail("a kernel would start"))
    target = bad_outputs(tmp_path)[kind]
    before = snapshot(tmp_path)
    code, out, err = run([a.replace("{out}", str(target)) for a in WRITERS[command]], capsys)
    assert code in (1, 2), out + err
    msg = one_message(err)
    assert str(target) in msg
    assert snapshot(tmp_path) == before, "nothing written"


@pytest.mark.parametrize("kind", ["a folder", "under a file", "under a device", "foreign file", "device"])
@pytest.mark.parametrize("command", sorted(FILE_WRITERS))
def test_file_writers_refuse_bad_output_paths_before_work(command, kind, tmp_path, capsys):
    (tmp_path / "a-file.txt").write_text("not ours\n", encoding="utf-8")
    suffix = ".csv" if command == "sweep" else ".html"
    (tmp_path / f"foreign{suffix}").write_text("someone else's\n", encoding="utf-8")
    target = {
        "a folder": tmp_path,
        "under a file": tmp_path / "a-file.txt" / f"x{suffix}",
        "under a device": Path("/dev/null") / f"x{suffix}",
        "foreign file": tmp_path / f"foreign{suffix}",
        "device": Path("/dev/null"),
    }[kind]
    before = snapshot(tmp_path)
    code, out, err = run([a.replace("{out}", str(target)) for a in FILE_WRITERS[command]], capsys)
    assert code in (1, 2), out + err
    one_message(err)
    assert snapshot(tmp_path) == before


def test_missing_folders_on_the_way_are_created(tmp_path, capsys):
    code, _, err = run(["sweep", "--samples", "2", "--out", str(tmp_path / "new" / "deep" / "s.csv")], capsys)
    assert code == 0, err
    assert (tmp_path / "new" / "deep" / "s.csv").is_file()


def test_build_writes_into_a_folder_it_made_and_refuses_a_foreign_one_even_with_force(tmp_path, capsys):
    foreign = tmp_path / "site"
    foreign.mkdir()
    (foreign / "index.html").write_text("<p>mine</p>", encoding="utf-8")
    code, _, err = run(["build", "--out", str(foreign), "--force"], capsys)
    assert code == 1 and "did not write" in one_message(err) and "--force does not change this" in err
    assert (foreign / "index.html").read_text(encoding="utf-8") == "<p>mine</p>"


def test_a_folder_with_the_marker_or_an_old_build_is_accepted(tmp_path):
    from ehelse_market.publishing import report

    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / "notes.txt").write_text("x", encoding="utf-8")
    (marked / files.MARKER).write_text("{}", encoding="utf-8")
    assert report.check_out(marked) == marked
    old = tmp_path / "old"
    (old / "baseline").mkdir(parents=True)
    (old / "index.html").write_text("x", encoding="utf-8")
    (old / "baseline" / "manifest.json").write_text('{"package_version": "0", "reports": {}}', encoding="utf-8")
    assert report.check_out(old) == old
    (old / "stray.txt").write_text("x", encoding="utf-8")
    with pytest.raises(Exception, match="did not write"):
        report.check_out(old)


def test_a_second_build_into_a_locked_folder_is_refused_clearly(tmp_path, capsys):
    out = files.claim_output_folder(tmp_path / "reports")
    with files.output_lock(out):
        code, _, err = run(["build", "--out", str(out), "--only", "01_market"], capsys)
    assert code == 1
    assert f"another ehelse-market run (pid {os.getpid()}) is writing into the reports folder" in one_message(err)


def test_lock_is_released_after_a_run(tmp_path):
    out = files.claim_output_folder(tmp_path / "x")
    with files.output_lock(out):
        pass
    with files.output_lock(out):
        pass


# --------------------------------------------------------------------------- bad input files


def bad_inputs(tmp: Path) -> dict[str, Path]:
    latin1 = tmp / "latin1.yaml"
    latin1.write_bytes("name: s\xf8k\n".encode("latin-1"))
    big = tmp / "big.yaml"
    big.write_bytes(b"# " + b"x" * (2 << 20) + b"\n")
    fifo = tmp / "pipe.yaml"
    os.mkfifo(fifo)
    return {"missing": tmp / "nope.yaml", "folder": tmp, "not utf-8": latin1, "huge": big, "pipe": fifo,
            "device": Path("/dev/zero")}


READERS = {
    "build": ["build", "--scenario", "{in}", "--out", "{tmp}/reports"],
    "figures": ["figures", "--scenario", "{in}", "--out", "{tmp}/figs"],
    "sweep": ["sweep", "--scenario", "{in}", "--out", "{tmp}/s.csv"],
    "advise": ["advise", "{in}", "--out", "{tmp}/rec.html"],
}


@pytest.mark.parametrize("kind", ["missing", "folder", "not utf-8", "huge", "pipe", "device"])
@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_refuse_bad_input_files_with_one_message(command, kind, tmp_path, capsys):
    target = bad_inputs(tmp_path)[kind]
    argv = [a.replace("{in}", str(target)).replace("{tmp}", str(tmp_path)) for a in READERS[command]]
    code, out, err = run(argv, capsys)
    assert code == 1, out + err
    assert str(target) in one_message(err)
    assert not any((tmp_path / n).exists() for n in ("reports", "figs", "s.csv", "rec.html"))


@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_refuse_a_file_name_holding_a_nul_character(command, tmp_path, capsys):
    """The fuzz test's find: os.stat raises ValueError, not OSError, for a name with NUL in it."""
    argv = [a.replace("{in}", "a\x00b.yaml").replace("{tmp}", str(tmp_path)) for a in READERS[command]]
    code, out, err = run(argv, capsys)
    assert code == 1, out + err
    assert "NUL character" in one_message(err)


# --------------------------------------------------------------------------- the terminal


@pytest.mark.parametrize("argv", [["verify"], ["project", "--productivity", "0", "0.01", "0.02"], ["--help"]])
def test_output_piped_into_head_ends_quietly(argv):
    proc = subprocess.Popen([sys.executable, "-m", "ehelse_market", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert code in (0, 1, 141)


def test_a_user_error_deep_inside_is_still_one_line(tmp_path, capsys, monkeypatch):
    """The safety net of main(): an OSError naming a file, or text that is not UTF-8, is one line."""
    from ehelse_market.cli import data as data_cli

    def boom(args):
        raise PermissionError(13, "Permission denied", str(tmp_path / "x"))

    monkeypatch.setattr(data_cli, "validate", boom)
    code, _, err = run(["validate"], capsys)
    assert code == 1 and "Permission denied" in one_message(err) and str(tmp_path / "x") in err

    def undecodable(args):
        b"\xff".decode("utf-8")

    monkeypatch.setattr(data_cli, "validate", undecodable)
    code, _, err = run(["validate"], capsys)
    assert code == 1 and "not UTF-8" in one_message(err)


# --------------------------------------------------------------------------- unbounded requests


@pytest.mark.parametrize("argv, fragment", [
    (["sweep", "--samples", "1000000000"], "--samples 1000000000"),
    (["sweep", "--samples", "50000000", "--chunk-size", "50000000"], "--chunk-size"),
    (["sweep", "--productivity", *[str(i / 10000) for i in range(50)], "--level-2060", *[str(500000 + i) for i in range(1000)],
      "--halfwidth", *[str(i / 10000) for i in range(1000)], "--base-year", "2017", "2018", "2019", "2020"], "grid of"),
])
def test_sweep_estimates_memory_and_disk_before_allocating(argv, fragment, tmp_path, capsys):
    code, out, err = run([*argv, "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 1, out + err
    msg = one_message(err)
    assert fragment in msg and ("memory" in msg or "disk" in msg)
    assert not (tmp_path / "s.csv").exists()


def test_sweep_of_a_reasonable_size_still_runs(tmp_path, capsys):
    code, _, err = run(["sweep", "--samples", "20", "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 0, err
    assert (tmp_path / "s.csv").read_text(encoding="utf-8").startswith("scenario,")
    # and it may replace its own output
    code, _, err = run(["sweep", "--samples", "10", "--out", str(tmp_path / "s.csv")], capsys)
    assert code == 0, err


@pytest.mark.parametrize("value", ["1e308", "inf", "nan", "-1", "1e-320"])
def test_project_refuses_absurd_growth_with_one_message(value, capsys):
    code, out, err = run(["project", "--productivity", value], capsys)
    if value == "1e-320":  # a denormal but legal fraction
        assert code == 0, err
        return
    assert code in (1, 2)
    assert "productivity" in one_message(err)


# --------------------------------------------------------------------------- bad data folders


def bad_data(tmp: Path) -> dict[str, Path]:
    a_file = tmp / "a-file.csv"
    a_file.write_text("key,value\n", encoding="utf-8")
    fifo = tmp / "pipe"
    os.mkfifo(fifo)
    latin = tmp / "latin"
    latin.mkdir()
    (latin / "versions.csv").write_bytes("version,status,manifest_sha256,note\nv,draft,,s\xf8k\n".encode("latin-1"))
    empty = tmp / "empty"
    empty.mkdir()
    return {"missing": tmp / "nope", "a file": a_file, "pipe": fifo, "device": Path("/dev/zero"),
            "versions.csv not utf-8": latin, "empty folder": empty}


DATA_READERS = {
    "validate": ["validate", "{data}"],
    "verify": ["verify", "{data}"],
    "project": ["project", "--productivity", "0.01", "--data", "{data}"],
    "data freeze": ["data", "freeze", "{data}"],
}


@pytest.mark.parametrize("kind", ["missing", "a file", "pipe", "device", "versions.csv not utf-8", "empty folder"])
@pytest.mark.parametrize("command", sorted(DATA_READERS))
def test_data_readers_refuse_bad_data_folders_with_one_message(command, kind, tmp_path, capsys):
    target = bad_data(tmp_path)[kind]
    before = snapshot(tmp_path)
    code, out, err = run([a.replace("{data}", str(target)) for a in DATA_READERS[command]], capsys)
    assert code == 1, out + err
    one_message(err)
    assert snapshot(tmp_path) == before
