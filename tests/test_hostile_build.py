"""Issue 13, classes 1 and 7, end to end (slow: starts Jupyter kernels).

1. Markup planted in every free-text column of every data table, in the scenario's description and
   in the case file's text is shown as text in every report, the index and the decision record:
   no script element, no event-handler attribute, no ``javascript:`` URL, and every reader page
   carries the Content-Security-Policy meta. Columns whose schema restricts their text refuse the
   markup at validation instead.
2. Ctrl-C stops a build promptly (about 0.2 s on a quiet machine; the test only guards against a
   hang, since these machines are noisy): kernels killed, no temporary file left, the previous
   reports kept byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import io
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from ehelse_market import inputs
from ehelse_market.inputs import loader, schemas
from ehelse_market.publishing import markup

pytestmark = pytest.mark.slow

PLANT = "<script>alert(1)</script><img src=x onerror=alert(2)>[l](javascript:alert(3)) *e* $\\x$ &lt;b&gt;"


def _text(col) -> bool:
    return str(col.dtype).startswith(("str", "string"))


def free_text_columns(schema) -> list[str]:
    """Columns that take any text (no check, no coercion): where data text reaches readers."""
    return [name for name, col in schema.columns.items() if _text(col) and not col.checks]


def restricted_text_columns(schema) -> list[str]:
    return [name for name, col in schema.columns.items() if _text(col) and col.checks]


class Live(HTMLParser):
    """Collects what would run in a browser: script elements, on* attributes, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self.csp = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "form"):
            self.live.append(f"<{tag}>")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.live.append(f"{tag} {name}=")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href") and (value or "").strip().lower().startswith(("javascript:", "vbscript:")):
                self.live.append(f"{tag} {name}={value}")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "content-security-policy":
            self.csp = dict(attrs).get("content") == markup.CSP

    def handle_data(self, data):
        self.text.append(data)


def check_page(path: Path) -> str:
    parser = Live()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.live == [], (path.name, parser.live[:5])
    assert parser.csp, f"{path.name} lacks the CSP meta"
    return "".join(parser.text)


def plant_data(vdir: Path) -> dict[str, list[str]]:
    """Append the plant to every free-text cell of every table; return the columns planted."""
    planted = {}
    for path in sorted(vdir.glob("*.csv")):
        schema = schemas.TABLE_SCHEMAS[path.stem]
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        cols = [c for c in free_text_columns(schema) if c in df.columns]
        for c in cols:
            df[c] = df[c].map(lambda v: f"{v} {PLANT}")
        buf = io.StringIO()
        df.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        path.write_text(buf.getvalue(), encoding="utf-8")
        planted[path.stem] = cols
    return planted


def test_restricted_text_columns_refuse_markup():
    """Every column with a rule on its text refuses the plant at validation, naming the column."""
    vdir = inputs.resolve_version_dir()
    checked = 0
    for path in sorted(vdir.glob("*.csv")):
        schema = schemas.TABLE_SCHEMAS[path.stem]
        df = pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None})
        for col in restricted_text_columns(schema):
            if col not in df.columns:
                continue
            bad = df.copy()
            bad[col] = PLANT
            _, failures = loader.validate_table(path.stem, bad)
            assert any(f.column == col for f in failures), (path.name, col)
            checked += 1
    assert checked >= 30, checked


def test_planted_markup_never_runs_anywhere(tmp_path, monkeypatch):
    from ehelse_market.cli import main
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import report
    from test_build import copy_project

    root = copy_project(tmp_path / "project")
    versions = pd.read_csv(root / "data" / "versions.csv", dtype=str, keep_default_na=False)
    versions["status"] = "draft"
    versions.to_csv(root / "data" / "versions.csv", index=False, lineterminator="\n")
    vdir = root / "data" / versions["version"].iloc[-1]
    planted = plant_data(vdir)
    assert sum(map(len, planted.values())) >= 20, planted
    inputs.freeze(vdir)
    case_path = root / "cases" / "seed002-case.yaml"
    case = yaml.safe_load(case_path.read_text(encoding="utf-8"))
    for key in ("title", "description"):
        case[key] = f"{case.get(key) or ''} {PLANT}"
    case_path.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("EHELSE_MARKET_ROOT", str(root))
    scenario = Scenario.baseline().with_updates(description=f"Planted {PLANT}")
    out = tmp_path / "reports"
    result = report.build(out, scenario, jobs=2, nb_dir=root / "notebooks", data_dir=root / "data")
    assert result.ok, [o.message for o in result.failures]

    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 1 + 2 * len(result.outcomes)
    shown = 0
    for page in pages:
        text = check_page(page)
        shown += text.count("alert(1)")
    assert shown >= len(pages), "the plant reached the pages as text"
    # the executed notebooks: planted text only ever escaped in HTML and Markdown outputs
    import json

    for nb in out.rglob("*.ipynb"):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                for kind in ("text/html", "text/markdown"):
                    shown = "".join(output.get("data", {}).get(kind, ""))
                    assert "<script>alert" not in shown and "<img src=x" not in shown, (nb.name, kind)

    # the decision record of the planted case, HTML and Markdown (rendered as a viewer would)
    record = tmp_path / "record.html"
    monkeypatch.chdir(root)
    assert main(["advise", str(case_path), "--out", str(record), "--data-version", vdir.name]) == 0
    assert "alert(1)" in check_page(record)
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = tmp_path / "record.md.html"
    rendered.write_text(f"<head>{markup.CSP_META}</head>" + markdown2html_mistune(record.with_suffix(".md").read_text(encoding="utf-8")),
                        encoding="utf-8")
    assert "alert(1)" in check_page(rendered)


def _sha(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in (".html", ".ipynb")}


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_within_a_second_and_keeps_the_previous_reports(tmp_path):
    out = tmp_path / "reports"
    only = ["--only", "04_workforce", "05_gains"]
    cmd = [sys.executable, "-m", "ehelse_market", "build", "--out", str(out), "--jobs", "1"]
    subprocess.run(cmd + only, check=True, capture_output=True, timeout=600)
    before = _sha(out)
    assert before

    proc = subprocess.Popen(cmd + only + ["--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:  # wait until a kernel runs a notebook
        lines.append(line)
        if ": running" in line:
            break
    kernels: set[int] = set()
    deadline = time.time() + 60  # a loaded machine may take a while to start the kernel
    while not kernels and time.time() < deadline:
        time.sleep(0.5)
        kernels = _descendants(proc.pid)
    assert kernels, "a kernel was running"
    time.sleep(0.5)  # let the kernel write its connection file
    connection_files = [a for k in kernels for a in Path(f"/proc/{k}/cmdline").read_text().split("\0") if a.endswith(".json")]
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    finally:
        proc.kill()
    seconds = time.perf_counter() - start
    err = "".join(lines) + proc.stderr.read()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    # a hang guard, not a speed test (about 0.2 s on a quiet machine; these machines are noisy)
    assert seconds < 15.0, f"took {seconds:.1f} s to stop"
    deadline = time.time() + 5
    while any(_alive(k) for k in kernels) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(k) for k in kernels), "kernels shut down"
    assert not any(Path(f).exists() for f in connection_files), "kernel connection files removed"
    assert _sha(out) == before, "previous reports kept (a report finished before Ctrl-C is rebuilt byte-identical)"
    import json

    manifest = json.loads((out / "baseline" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == ["04_workforce", "05_gains"]
    assert not any("failed" in r for r in manifest["reports"].values())
    leftovers = [p.name for p in out.rglob("*") if p.name.endswith(".tmp") or p.name == ".tmp"]
    assert leftovers == []
    assert not (out / "_failed").exists(), "an interrupted report is not a failed one"
