"""``ehelse-market advise`` end to end: decision on stdout, HTML + Markdown record, clear refusals."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from ehelse_market.cli import main
from ehelse_market.cli.advise import record_paths
from ehelse_market.paths import DATA_DIR, ROOT

SEED_CASE = ROOT / "cases" / "seed002-case.yaml"
GOOD = "".join(
    f"{f}: samskape\n" for f in ("spesifisitet", "usikkerhet", "frekvens", "markedet", "kompetanse", "fart", "risiko", "regulatorisk")
)


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_seed_case_writes_both_records(tmp_path, capsys):
    code, out, err = run(["advise", SEED_CASE, "--out", tmp_path / "rec.html"], capsys)
    assert code == 0, err
    assert "Anbefaling: Samskape: 6 av 8 faktorer peker hit." in out
    assert "Ikke dekket av rapporten" in out
    html_text = (tmp_path / "rec.html").read_text(encoding="utf-8")
    md_text = (tmp_path / "rec.md").read_text(encoding="utf-8")
    assert html_text.startswith("<!DOCTYPE html>") and "002_40eece00415a1e1f.txt:274-274" in html_text
    assert md_text.startswith("# Beslutningsnotat") and "000_6c9a23277de9c53d.txt:3858-3860" in md_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec.html", "rec.md"]  # no temporary files left


@pytest.mark.parametrize(("out", "names"), [("r.md", ["r.html", "r.md"]), ("r", ["r.html", "r.md"]), ("sub/dir/r.HTML", ["r.html", "r.md"])])
def test_out_rule(tmp_path, capsys, out, names):
    code, _, err = run(["advise", SEED_CASE, "--out", tmp_path / out, "--lang", "en"], capsys)
    assert code == 0, err
    folder = (tmp_path / out).parent
    assert sorted(p.name for p in folder.iterdir()) == names
    assert "# Decision record" in (folder / "r.md").read_text(encoding="utf-8")


def test_out_with_another_suffix_is_refused(tmp_path, capsys):
    code, _, err = run(["advise", SEED_CASE, "--out", tmp_path / "rec.pdf"], capsys)
    assert code == 1 and "must end in .html or .md" in err
    assert list(tmp_path.iterdir()) == []


def test_record_paths_default_goes_to_reports():
    html_path, md_path = record_paths(None, ROOT / "cases" / "x.yaml")
    assert html_path.parent.name == "decisions" and html_path.name == "x.html" and md_path.name == "x.md"


def test_output_is_byte_identical_across_runs(tmp_path, capsys):
    for name in ("a", "b"):
        assert run(["advise", SEED_CASE, "--out", tmp_path / name / "rec.html"], capsys)[0] == 0
    for suffix in ("html", "md"):
        assert (tmp_path / "a" / f"rec.{suffix}").read_bytes() == (tmp_path / "b" / f"rec.{suffix}").read_bytes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("fart:", "speed:"), "unknown key 'speed'"),
        (GOOD.replace("risiko: samskape\n", ""), "missing factor 'risiko'"),
        (GOOD.replace("markedet: samskape", "markedet: kjøpe"), "factor 'markedet' = 'kjøpe': allowed options are anskaffe, utvikle, samskape"),
        (GOOD + "contract_risk: extreme\n", "contract_risk = 'extreme': allowed low, medium, high"),
        (GOOD + "in_house_resources: maybe\n", "in_house_resources = 'maybe': allowed true or false"),
        ("spesifisitet: {samskape\n", "is not valid YAML"),
    ],
)
def test_bad_case_files_exit_1_with_one_message(tmp_path, capsys, text, expected):
    case = tmp_path / "case.yaml"
    case.write_text(text, encoding="utf-8")
    (tmp_path / "rec.html").write_text("good old record by ehelse-market", encoding="utf-8")  # one it wrote
    code, out, err = run(["advise", case, "--out", tmp_path / "rec.html"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("error: case file") and expected in err
    assert "Traceback" not in err
    assert (tmp_path / "rec.html").read_text(encoding="utf-8") == "good old record by ehelse-market"  # never half-written over a good one
    assert not (tmp_path / "rec.md").exists()


def test_missing_case_file(tmp_path, capsys):
    code, _, err = run(["advise", tmp_path / "nope.yaml", "--out", tmp_path / "r.html"], capsys)
    assert code == 1 and "does not exist" in err


def test_subprocess_default_output_and_no_traceback(tmp_path):
    """The installed command, run against a copy of the project root: default record location,
    exit codes, and a bad case refused without a traceback."""
    root = tmp_path / "root"
    shutil.copytree(DATA_DIR, root / "data")
    shutil.copytree(ROOT / "cases", root / "cases")
    env = {**os.environ, "EHELSE_MARKET_ROOT": str(root)}
    cmd = [sys.executable, "-m", "ehelse_market", "advise"]
    ok = subprocess.run([*cmd, "cases/seed002-case.yaml", "--lang", "en"], cwd=root, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "Recommendation: Co-create with a supplier" in ok.stdout
    assert (root / "reports" / "decisions" / "seed002-case.html").exists()
    assert (root / "reports" / "decisions" / "seed002-case.md").exists()
    (root / "bad.yaml").write_text(GOOD.replace("fart: samskape", "fart: [oops"), encoding="utf-8")
    bad = subprocess.run([*cmd, "bad.yaml"], cwd=root, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr and bad.stderr.startswith("error: case file bad.yaml is not valid YAML")
