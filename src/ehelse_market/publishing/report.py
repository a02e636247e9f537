"""Build the HTML reports: execute each chapter notebook, normalise it, export it, index it.

One build renders every ``notebooks/NN_name.ipynb`` for one :class:`Scenario` into
``<out>/<scenario>[-<lang>]/``:

* ``NN_name.html`` (code hidden, for reviewers) and ``NN_name.code.html`` (with code, for
  researchers), both offline: the ``basic`` nbconvert template plus our inline CSS, figures as
  ``data:`` URIs, nothing fetched from the network;
* ``NN_name.ipynb``, the executed, normalised notebook;
* ``manifest.json``: package version, data version and input sha256s, parameters, and per
  notebook its cache key and run time (times live only here, never in the HTML).

``<out>/index.html`` links every report of every scenario built into ``<out>``.

Execution is papermill in-process (a process pool for ``jobs > 1``). The executed notebook is
normalised (cell ids ``cell-{i}``, execution counts renumbered, papermill/execution metadata
removed), so two builds from the same inputs give byte-identical notebooks and HTML.

A report is reused without starting a kernel when its cache key is unchanged: sha256 of the
data files, the canonical parameters, the notebook source and the package (version and source
files). A failing notebook does not stop the others; its previous good report is kept, its
executed notebook goes to ``<out>/_failed/<scenario>/`` and the build exits 1.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ehelse_market import __version__, paths
from ehelse_market.files import atomic_write, sha256_bytes, sha256_file, tree_fingerprint, write_if_changed
from ehelse_market.errors import ParameterError, UserError

#: the installed package (its code, templates and word catalogues are part of every cache key)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
MANIFEST = "manifest.json"
FAILED_DIR = "_failed"
TMP_DIR = ".tmp"


def code_fingerprint() -> str:
    """The package version plus its source files and templates: a change rebuilds every report."""
    return __version__ + ":" + tree_fingerprint(PACKAGE_DIR, ("**/*.py", "**/*.yaml", "**/templates/*"))


def data_fingerprint(data_dir: Path | None = None, cases_dir: Path | None = None) -> str:
    """Every input a notebook reads: the files under ``data/`` (all versions, ``versions.csv``) and
    the case files under ``cases/`` (chapter 07 works one). Any change rebuilds."""
    cases = Path(cases_dir) if cases_dir is not None else paths.project_root() / "cases"
    return (
        tree_fingerprint(Path(data_dir or paths.DATA_DIR), ("**/*.csv", "**/*.json"))
        + ":"
        + tree_fingerprint(cases, ("*.yaml", "*.yml"))
    )


def notebooks(nb_dir: Path | None = None) -> list[Path]:
    """The chapter notebooks ``NN_name.ipynb``, in reading order."""
    nb_dir = Path(nb_dir or paths.NOTEBOOKS_DIR)
    found = sorted(nb_dir.glob(NOTEBOOK_GLOB))
    if not found:
        raise UserError(f"no chapter notebooks (NN_name.ipynb) in {nb_dir}")
    return found


def cache_key(notebook: Path, params: dict, data_fp: str, code_fp: str) -> str:
    """sha256 of everything a report depends on: notebook source, parameters, data, package."""
    blob = json.dumps(
        {"notebook": sha256_bytes(Path(notebook).read_bytes()), "parameters": params, "data": data_fp, "code": code_fp},
        sort_keys=True,
    )
    return sha256_bytes(blob.encode())


def scenario_folder(scenario) -> str:
    """Output folder of a scenario: its name, plus ``-en`` for English reports."""
    return scenario.name if scenario.lang == "nb" else f"{scenario.name}-{scenario.lang}"


# --------------------------------------------------------------------------- one notebook


def normalise(nb):
    """Make an executed notebook deterministic: fixed cell ids, renumbered counts, no run metadata."""
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)
    count = 0
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        for key in ("papermill", "execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = cell.execution_count
                out.get("metadata", {}).pop("execution", None)
    return nb


#: A line ``<!-- en -->`` (or ``<!-- nb -->``) in a markdown cell starts that language's part;
#: text before the first marker is Norwegian. Jupyter shows both parts, a report only its own.
LANG_MARKER = re.compile(r"^<!--\s*(nb|en)\s*-->[ \t]*$", re.MULTILINE)


def localise_markdown(nb, lang: str):
    """Keep only the ``lang`` part of bilingual markdown cells (see :data:`LANG_MARKER`).

    A cell without markers is left as it is; a cell without a part in ``lang`` keeps its
    Norwegian part. Returns the notebook (changed in place).
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown" or not LANG_MARKER.search(cell.source):
            continue
        pieces = LANG_MARKER.split(cell.source)
        parts = {"nb": pieces[0]} if pieces[0].strip() else {}
        for code, text in zip(pieces[1::2], pieces[2::2]):
            parts[code] = text
        cell.source = parts.get(lang, parts.get("nb", "")).strip("\n")
    return nb


def title_of(nb, fallback: str) -> str:
    """The first markdown heading of a notebook, without the ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def _jinja():
    """The page templates' environment: every value HTML-escaped (:mod:`markup`), the CSP meta
    available as ``csp_meta``; ``w(key, lang)`` gives a catalogue word."""
    import jinja2

    from ehelse_market.publishing import labels, markup

    env = markup.environment("html", loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), trim_blocks=True, lstrip_blocks=True)
    env.globals["w"] = labels.word
    return env


def export_html(nb, *, title: str, lang: str, with_code: bool, links: dict) -> str:
    """One self-contained HTML page of an executed notebook (``basic`` template, inline CSS)."""
    from markupsafe import Markup
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=not with_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(nb)
    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    if with_code:  # syntax colours for the code cells, inline like the rest
        from pygments.formatters import HtmlFormatter

        css += "\n" + HtmlFormatter(style="default").get_style_defs(".highlight")
    page = _jinja().get_template("page.html.j2")
    return page.render(title=title, lang=lang, css=Markup(css), body=Markup(body), links=links, with_code=with_code,
                       version=__version__)


@dataclass
class Task:
    """What a worker needs to render one report (picklable)."""

    stem: str
    notebook: str
    folder: str
    out_dir: str
    parameters: dict
    lang: str
    key: str


@dataclass
class Outcome:
    """The result of one report in a build."""

    stem: str
    status: str  # built | reused | failed
    seconds: float = 0.0
    title: str = ""
    message: str = ""
    files: dict = field(default_factory=dict)


def _first_line(source: str) -> str:
    lines = [ln for ln in (source or "").splitlines() if ln.strip()]
    return lines[0].strip()[:80] if lines else ""


RESET_TAG = "ehelse-market-reset"


def _prelude(notebook: Path):
    """The notebook with a first cell that clears the (reused) kernel's namespace; removed after."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        raise UserError(f"{Path(notebook).name} has no cell tagged 'parameters' (see docs/notebooks.md)")
    reset = nbformat.v4.new_code_cell('get_ipython().run_line_magic("reset", "-f")')
    reset.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, reset)
    return nb


def _drop_prelude(nb):
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    return nb


class SharedKernel:
    """One Jupyter kernel reused for several notebooks (imports and loaded data stay warm).

    Each notebook starts with ``%reset -f``, so no variable leaks from one notebook to the next;
    modules stay imported. A kernel that died is replaced before the next notebook.
    """

    def __init__(self, kernel_name: str = "python3"):
        self.kernel_name = kernel_name
        self.km = None

    def manager(self):
        import subprocess

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and not run_sync(self.km.is_alive)():
            self.close()
        if self.km is None:
            self.km = AsyncKernelManager(kernel_name=self.kernel_name)
            # the kernel's own log (e.g. ipykernel's transport warning) is noise for a build
            run_sync(self.km.start_kernel)(stderr=subprocess.DEVNULL)
        return self.km

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # already gone
                pass
            self.km = None


@functools.lru_cache(maxsize=1)
def _engine():
    """A papermill engine that executes with a given kernel manager and closes its client after."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class SharedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, km=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("ehelse-shared-kernel", SharedKernelEngine)
    return "ehelse-shared-kernel"


def run_task(task: Task, kernel: SharedKernel | None = None) -> Outcome:
    """Execute, normalise and export one notebook; on failure keep the executed notebook aside.

    With ``kernel`` the notebook runs in that (reused) kernel, else in a fresh one.
    """
    import logging

    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)
    out = Path(task.out_dir)
    folder = out / task.folder
    tmp_nb = out / TMP_DIR / task.folder / f"{task.stem}.ipynb"
    tmp_nb.parent.mkdir(parents=True, exist_ok=True)
    failed_nb = out / FAILED_DIR / task.folder / f"{task.stem}.ipynb"
    start = time.perf_counter()

    def keep_failed() -> None:
        if tmp_nb.exists():
            failed_nb.parent.mkdir(parents=True, exist_ok=True)
            executed = _drop_prelude(nbformat.read(str(tmp_nb), as_version=4))
            atomic_write(failed_nb, nbformat.writes(executed) + "\n")
            tmp_nb.unlink()

    shared = kernel if kernel is not None else SharedKernel()
    try:
        pm.execute_notebook(
            _prelude(Path(task.notebook)),
            str(tmp_nb),
            parameters=task.parameters,
            engine_name=_engine(),
            km=shared.manager(),
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=600,
        )
    except PapermillExecutionError as exc:
        keep_failed()
        # cell numbers as in the kept notebook (the reset prelude removed), counted from 0 like papermill
        where = f"cell {exc.cell_index - 1}" + (f" ({_first_line(exc.source)!r})" if exc.source else "")
        msg = (
            f"report {task.stem} failed in {where}: {exc.ename}: {exc.evalue}. "
            f"Executed notebook kept at {failed_nb}; the previous report (if any) was kept."
        )
        return Outcome(task.stem, "failed", time.perf_counter() - start, message=msg)
    except UserError as exc:  # e.g. no parameters cell
        return Outcome(task.stem, "failed", time.perf_counter() - start, message=f"report {task.stem} failed: {exc}")
    except Exception as exc:  # kernel died, notebook unreadable ...
        keep_failed()
        shared.close()
        return Outcome(task.stem, "failed", time.perf_counter() - start,
                       message=f"report {task.stem} failed outside a cell: {type(exc).__name__}: {exc}")
    finally:
        if kernel is None:
            shared.close()
    nb = localise_markdown(normalise(_drop_prelude(nbformat.read(str(tmp_nb), as_version=4))), task.lang)
    tmp_nb.unlink()
    title = title_of(nb, task.stem)
    files = {"html": f"{task.stem}.html", "html_code": f"{task.stem}.code.html", "notebook": f"{task.stem}.ipynb"}
    links = {"index": "../index.html", "html": files["html"], "html_code": files["html_code"], "notebook": files["notebook"]}
    nb_text = nbformat.writes(nb) + "\n"
    pages = {
        "html": export_html(nb, title=title, lang=task.lang, with_code=False, links=links),
        "html_code": export_html(nb, title=title, lang=task.lang, with_code=True, links=links),
    }
    # all three written only after everything rendered: a failure above leaves the old report intact
    atomic_write(folder / files["notebook"], nb_text)
    for kind, text in pages.items():
        atomic_write(folder / files[kind], text)
    if failed_nb.exists():
        failed_nb.unlink()
    sha = {kind: sha256_bytes((folder / name).read_bytes()) for kind, name in files.items()}
    return Outcome(task.stem, "built", time.perf_counter() - start, title=title, files={**files, "sha256": sha})


def run_tasks(tasks: list[Task], jobs: int, note: Callable[[Outcome], None], start: Callable[[Task], None]) -> None:
    """Run tasks on ``jobs`` worker threads, each with its own reused kernel (the kernels are the
    processes doing the work; the threads only drive them and export HTML)."""
    import queue
    import threading

    todo: queue.Queue = queue.Queue()
    for t in tasks:
        todo.put(t)
    lock = threading.Lock()

    def worker() -> None:
        kernel = SharedKernel()
        try:
            while True:
                try:
                    t = todo.get_nowait()
                except queue.Empty:
                    return
                with lock:
                    start(t)
                try:
                    o = run_task(t, kernel)
                except Exception as exc:  # a bug in the builder itself: report it, keep going
                    o = Outcome(t.stem, "failed", message=f"report {t.stem} failed: {type(exc).__name__}: {exc}")
                with lock:
                    note(o)
        finally:
            kernel.close()

    threads = [threading.Thread(target=worker, name=f"ehelse-build-{i}") for i in range(jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


# --------------------------------------------------------------------------- the build


@dataclass
class BuildResult:
    folder: Path
    outcomes: list[Outcome]

    @property
    def ok(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _data_provenance(scenario, data_dir: Path | None) -> tuple[str, dict, str]:
    """Data version, sha256 of each of its CSV files (as the reports list them) and of its manifest."""
    from ehelse_market.inputs import MANIFEST as DATA_MANIFEST
    from ehelse_market.inputs import resolve_version_dir

    vdir = resolve_version_dir(scenario.data_version, data_dir)
    mpath = vdir / DATA_MANIFEST
    return vdir.name, {p.name: sha256_file(p) for p in sorted(vdir.glob("*.csv"))}, sha256_file(mpath) if mpath.exists() else ""


def build(
    out_dir: Path | str | None = None,
    scenario=None,
    *,
    force: bool = False,
    jobs: int | None = None,
    only: list[str] | None = None,
    nb_dir: Path | None = None,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Render every chapter notebook for ``scenario`` (default: the baseline) into ``out_dir``.

    Reports whose cache key is unchanged are reused (no kernel starts) unless ``force``.
    ``jobs`` notebooks run at once (default: the number of CPUs). ``progress`` gets one line per
    event. Returns the outcomes; never raises for a failing notebook (see ``BuildResult.ok``).
    """
    from ehelse_market.inputs.scenario import Scenario

    say = progress or (lambda line: None)
    scenario = scenario if scenario is not None else Scenario.baseline()
    out = Path(out_dir or paths.REPORTS_DIR).resolve()
    folder_name = scenario_folder(scenario)
    folder = out / folder_name
    nbs = notebooks(nb_dir)
    if only:
        unknown = sorted(set(only) - {p.stem for p in nbs})
        if unknown:
            raise ParameterError("only", unknown, "notebook names among " + ", ".join(p.stem for p in nbs))
        nbs = [p for p in nbs if p.stem in only]
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ParameterError("jobs", jobs, "a whole number >= 1")
    params = scenario.canonical()
    data_fp, code_fp = data_fingerprint(data_dir), code_fingerprint()
    manifest_path = folder / MANIFEST
    old = _read_json(manifest_path)
    old_reports = old.get("reports", {})
    outcomes: dict[str, Outcome] = {}
    tasks: list[Task] = []
    for i, nb in enumerate(nbs, 1):
        key = cache_key(nb, params, data_fp, code_fp)
        prev = old_reports.get(nb.stem, {})
        present = all((folder / prev.get(k, "\0")).is_file() for k in ("html", "html_code", "notebook"))
        if not force and prev.get("cache_key") == key and present:
            outcomes[nb.stem] = Outcome(nb.stem, "reused", prev.get("seconds", 0.0), prev.get("title", nb.stem), files=prev)
            say(f"[{i}/{len(nbs)}] {folder_name}/{nb.stem}: up to date")
        else:
            tasks.append(Task(nb.stem, str(nb), folder_name, str(out), params, scenario.lang, key))
    if tasks:
        # Check the data once, before any kernel starts: invalid data is one clear error (every
        # problem listed, exit 1, nothing written), not the same traceback from every notebook.
        from ehelse_market.inputs import load_inputs

        load_inputs(scenario.data_version, data_dir)
        n_jobs = min(jobs or os.cpu_count() or 1, len(tasks))
        say(f"building {len(tasks)} of {len(nbs)} report(s) for scenario '{folder_name}' with {n_jobs} kernel(s)")
        order = {p.stem: i for i, p in enumerate(nbs, 1)}

        def note(o: Outcome) -> None:
            outcomes[o.stem] = o
            verdict = {"built": f"built in {o.seconds:.1f} s", "failed": "FAILED"}[o.status]
            say(f"[{order[o.stem]}/{len(nbs)}] {folder_name}/{o.stem}: {verdict}")

        run_tasks(tasks, n_jobs, note, lambda t: say(f"[{order[t.stem]}/{len(nbs)}] {folder_name}/{t.stem}: running"))
        keys = {t.stem: t.key for t in tasks}
        reports = dict(old_reports)
        for stem, o in outcomes.items():
            if o.status == "built":
                reports[stem] = {"title": o.title, **o.files, "cache_key": keys[stem], "seconds": round(o.seconds, 3)}
            elif o.status == "failed":
                kept = dict(old_reports.get(stem, {}))
                kept["failed"] = {"message": o.message, "seconds": round(o.seconds, 3)}
                reports[stem] = kept
        for stem in list(reports):
            if stem not in {p.stem for p in notebooks(nb_dir)}:
                reports.pop(stem)
        for stem, entry in reports.items():
            if stem in outcomes and outcomes[stem].status == "built":
                entry.pop("failed", None)
        data_version, input_hashes, data_manifest = _data_provenance(scenario, data_dir)
        manifest = {
            "package_version": __version__,
            "scenario": folder_name,
            "lang": scenario.lang,
            "data_version": data_version,
            "inputs": input_hashes,
            "data_manifest_sha256": data_manifest,
            "parameters": params,
            "reports": dict(sorted(reports.items())),
        }
        atomic_write(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        tmp = out / TMP_DIR / folder_name  # only this scenario's: another build may share <out>
        if tmp.is_dir():
            for p in sorted(tmp.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            tmp.rmdir()
        try:
            (out / TMP_DIR).rmdir()
        except OSError:  # not empty: another build is running
            pass
    if write_index(out):
        say(f"wrote {out / 'index.html'}")
    ordered = [outcomes[p.stem] for p in nbs]
    return BuildResult(folder, ordered)


def write_index(out: Path) -> bool:
    """(Re)write ``<out>/index.html`` listing every scenario folder's reports; True if it changed."""
    from ehelse_market.inputs.scenario import describe_in

    scenarios = []
    for mpath in sorted(Path(out).glob(f"*/{MANIFEST}")):
        m = _read_json(mpath)
        if not m:
            continue
        reports = [
            {"stem": stem, **{k: r.get(k) for k in ("title", "html", "html_code", "notebook")}, "failed": "failed" in r}
            for stem, r in sorted(m.get("reports", {}).items())
            if r.get("html")
        ]
        scenarios.append(
            {
                "folder": mpath.parent.name,
                "lang": m.get("lang", "nb"),
                "data_version": m.get("data_version", ""),
                "package_version": m.get("package_version", ""),
                "description": describe_in(m.get("parameters", {}).get("description", ""), m.get("lang", "nb")),
                "reports": reports,
            }
        )
    if not scenarios:
        return False
    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    from markupsafe import Markup

    lang = scenarios[0]["lang"]
    text = _jinja().get_template("index.html.j2").render(scenarios=scenarios, css=Markup(css), lang=lang)
    return write_if_changed(Path(out) / "index.html", text)


def print_progress(line: str) -> None:
    """Progress goes to stderr, so stdout stays clean for the summary."""
    print(line, file=sys.stderr, flush=True)
