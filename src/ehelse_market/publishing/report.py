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

A build is three steps: :func:`plan` (check the output folder and options, sort notebooks into
reused reports and tasks; writes nothing), :func:`execute` (check the data once, then run the
tasks) and :func:`record` (the scenario's manifest and the index). It writes only into a folder
that is new, empty or made by this tool (a ``.ehelse-market`` marker, or the manifests of an
earlier build), and holds that folder's lock while it writes: a second build into the same folder
is refused. Ctrl-C stops a build within about a second: the kernels are killed, nothing is
written after that, the reports finished so far are recorded and the previous ones kept.

Execution is papermill in-process, one worker thread and one reused kernel per job; the executed
notebook stays in memory until its report is written. The kernels start as soon as the data has
passed its check and warm up (:func:`warm_up`: the chapter imports and the data) while this
process prepares; the worker threads share one HTML exporter, so its templates are compiled once.
The executed notebook is normalised (cell ids ``cell-{i}``, execution counts renumbered,
papermill/execution metadata removed), so two builds from the same inputs give byte-identical
notebooks and HTML.

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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehelse_market import __version__, paths
from ehelse_market.errors import ParameterError, UserError
from ehelse_market.files import (
    atomic_write,
    check_output_folder,
    claim_output_folder,
    output_lock,
    sha256_bytes,
    sha256_file,
    tree_fingerprint,
    write_if_changed,
)

if TYPE_CHECKING:
    import jinja2
    import pandas as pd

    from ehelse_market.inputs.scenario import Scenario

#: the installed package (its code, templates and word catalogues are part of every cache key)
PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
MANIFEST = "manifest.json"
FAILED_DIR = "_failed"
#: where ``advise`` writes decision records by default (inside the reports folder)
DECISIONS_DIR = "decisions"


def code_fingerprint() -> str:
    """The package version plus its source files and templates: a change rebuilds every report."""
    return __version__ + ":" + tree_fingerprint(PACKAGE_DIR, ("**/*.py", "**/*.yaml", "**/templates/*"))


def data_fingerprint(data_dir: Path | None = None, cases_dir: Path | None = None) -> str:
    """Every input a notebook reads: the files under ``data/`` (all versions, ``versions.csv``) and
    the case files under ``cases/`` (chapter 07 works one). Any change rebuilds."""
    cases = Path(cases_dir) if cases_dir is not None else paths.CASES_DIR
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


def scenario_folder(scenario: Scenario) -> str:
    """Output folder of a scenario: its name, plus ``-en`` for English reports."""
    return scenario.name if scenario.lang == "nb" else f"{scenario.name}-{scenario.lang}"


# --------------------------------------------------------------------------- one notebook


def normalise(nb: Any) -> Any:
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


def localise_markdown(nb: Any, lang: str) -> Any:
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


def cite_markdown(nb: Any, data_version: str | None, lang: str) -> Any:
    """Fill the citations of the markdown cells (``@seed000``, ``[@seed000, kapittel 4.5]``, see
    :data:`labels.CITATION`) from the data version's sources table, by the function that cites in
    the chapter's prose, figures and appendix, so a document has one label on the page. Returns
    the notebook (changed in place)."""
    cells = [c for c in nb.cells if c.cell_type == "markdown" and "@" in c.source]
    if not cells:
        return nb
    from ehelse_market.publishing import labels, markup

    sources = labels.sources_of(data_version)
    for cell in cells:
        cell.source = labels.cite_text(cell.source, sources, lang, escape=markup.md)
    return nb


def title_of(nb: Any, fallback: str) -> str:
    """The first markdown heading of a notebook, without the ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


@functools.cache
def _jinja() -> jinja2.Environment:
    """The page templates' environment: every value HTML-escaped (:mod:`markup`), the CSP meta
    available as ``csp_meta``; ``w(key, lang)`` gives a catalogue word. Made once per process, so
    each template is compiled once (an environment renders from several threads safely)."""
    import jinja2

    from ehelse_market.publishing import labels, markup

    env = markup.environment("html", loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), trim_blocks=True, lstrip_blocks=True)
    env.globals["w"] = labels.word
    return env


def export_html(nb: Any, *, title: str, lang: str, with_code: bool, links: dict[str, Any]) -> str:
    """One self-contained HTML page of an executed notebook (``basic`` template, inline CSS), with a
    table of contents and visible permalinks on its headings."""
    from markupsafe import Markup

    from ehelse_market.publishing import page

    with _EXPORT_LOCK:  # one exporter for the process: its templates are compiled once
        exporter = _exporter()
        exporter.exclude_input = not with_code
        body, _ = exporter.from_notebook_node(nb)
    body = page.insert_toc(body, lang)
    return _jinja().get_template("page.html.j2").render(
        title=title, lang=lang, css=Markup(_page_css(with_code)), body=Markup(body), links=links, with_code=with_code,
        version=__version__,
    )


@functools.cache
def _page_css(with_code: bool) -> str:
    """The pages' inline CSS; with the code, also the syntax colours of the code cells."""
    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    if with_code:
        from pygments.formatters import HtmlFormatter

        css += "\n" + HtmlFormatter(style="default").get_style_defs(".highlight")
    return css


_EXPORT_LOCK = threading.Lock()


@functools.cache
def _exporter_class() -> Any:
    """nbconvert's HTMLExporter without its closing BeautifulSoup re-parse of the whole page.

    That pass only gives images without ``alt`` a placeholder and cells a ``tabindex``; our pages
    have no image without alt text (figures are inline SVG with a title, see ``figures.to_svg``)
    and no scrolling cell region, and it cost about 0.7 s CPU per build (half of the export) while
    lower-casing SVG attributes such as ``viewBox``. The rest is HTMLExporter's own method.

    The code cells' highlighted HTML skips the template's sanitizer (bleach), which changes nothing
    there: pygments escapes the code's text and writes only ``<div>``, ``<pre>`` and ``<span>``
    with a class, all of them allowed (pinned by a test on every chapter's code). That pass parsed
    and re-serialised each code cell, about 0.4 s CPU per build. Everything else (markdown,
    outputs) goes through the sanitizer as before."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class Highlighted(str):
        """A code cell as pygments highlighted it (see above)."""

    def clean_unless_highlighted(html: Any) -> str:
        return str(html) if type(html) is Highlighted else clean_html(html)

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", lambda source, *a, **k: Highlighted(highlight(source, *a, **k)))
            self.register_filter("clean_html", clean_unless_highlighted)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


@functools.cache
def _exporter() -> Any:
    """The nbconvert HTML exporter (``basic`` template), made once per process and used under
    :data:`_EXPORT_LOCK` by every worker thread, for the pages with and without code alike (its
    ``exclude_input`` is set per page): nbconvert compiles its templates once per exporter, about
    0.3 s CPU each, and exports hold the GIL anyway. It validates the notebook once, after its
    preprocessors, not after each of them (a dozen schema checks per page)."""
    return _exporter_class()(template_name="basic", exclude_input_prompt=True, exclude_output_prompt=True, anchor_link_text="¶",
                             optimistic_validation=True)


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
#: Run by a kernel once it is warm and after each ``%reset``: what is alive then (modules, the
#: loaded data) moves to the garbage collector's permanent generation, so the full collections
#: of the next ``%reset`` (two per notebook) and the automatic ones scan only what the notebook
#: made since: about 0.15 s each instead of a walk over every imported module's objects.
SETTLE = '__import__("gc").freeze()'


def _prelude(notebook: Path) -> Any:
    """The notebook with a first cell that clears the (reused) kernel's namespace; removed after."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        raise UserError(f"{Path(notebook).name} has no cell tagged 'parameters' (see docs/notebooks.md)")
    reset = nbformat.v4.new_code_cell(f'get_ipython().run_line_magic("reset", "-f")\n{SETTLE}')
    reset.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, reset)
    return nb


def _drop_prelude(nb: Any) -> Any:
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    return nb


def _stop_channels(kc: Any) -> None:
    """Close a kernel client's channels, if any (the kernel may be gone already)."""
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:  # noqa: BLE001
            pass


class SharedKernel:
    """One Jupyter kernel reused for several notebooks (imports and loaded data stay warm).

    Each notebook starts with ``%reset -f``, so no variable leaks from one notebook to the next;
    modules stay imported. A kernel that died is replaced before the next notebook.
    """

    #: seconds a new kernel may take to answer (its warm-up included)
    START_TIMEOUT = 60

    def __init__(self, kernel_name: str = "python3"):
        self.kernel_name = kernel_name
        self.km: Any = None  # a jupyter_client AsyncKernelManager once started
        self.warm_client: Any = None  # the client that sent the warm-up, closed with the kernel
        self.kc: Any = None  # the notebooks' client (see client()), closed with the kernel

    def launch(self, warm_up: str = "") -> None:
        """Start the kernel now and have it run ``warm_up`` (silently: no output, no history, its
        names cleared by the next notebook's reset), so that its imports and data loading overlap
        the builder's own preparation instead of following it."""
        from jupyter_client.blocking import BlockingKernelClient

        km = self.manager()
        if warm_up and self.warm_client is None:
            kc = BlockingKernelClient()
            kc.load_connection_info(km.get_connection_info())
            kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
            kc.execute(f"{warm_up}\n{SETTLE}", silent=True, store_history=False, allow_stdin=False)
            self.warm_client = kc

    def _stop_warm_client(self) -> None:
        kc, self.warm_client = self.warm_client, None
        _stop_channels(kc)

    def client(self) -> Any:
        """The client that runs the notebooks, made (channels open, kernel answering) for the first
        and kept for the kernel's life: a new client per notebook waits for its IOPub channel to
        connect each time (jupyter_client's ``wait_for_ready`` misses the first status message and
        polls again after 0.2 s). Call it from the thread that runs the notebooks (its event loop
        owns the client's sockets)."""
        from jupyter_core.utils import run_sync

        km = self.manager()
        if self.kc is None:
            kc = km.client()
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=self.START_TIMEOUT)
            except BaseException:
                kc.stop_channels()
                raise
            kc.allow_stdin = False
            self.kc = kc
        return self.kc

    def manager(self) -> Any:
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

    def kill(self) -> None:
        """Kill the kernel's process group at once and remove its connection file (any thread; Ctrl-C)."""
        import signal

        km = self.km
        self._stop_warm_client()
        prov = getattr(km, "provisioner", None)
        pgid = getattr(prov, "pgid", None) or getattr(prov, "pid", None)
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if km is not None and getattr(km, "connection_file", None):
            Path(km.connection_file).unlink(missing_ok=True)

    def close(self) -> None:
        from jupyter_core.utils import run_sync

        self._stop_warm_client()
        kc, self.kc = self.kc, None  # (only here, in the thread that used it; kill() leaves it)
        _stop_channels(kc)
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # already gone
                pass
            self.km = None


@functools.lru_cache(maxsize=1)
def _engine() -> str:
    """A papermill engine that executes with a given kernel manager and client (``kc``, kept open:
    :meth:`SharedKernel.client`; without one, a client of its own, closed after) and hands the
    executed notebook to ``sink`` (so nothing is written to disk while a notebook runs)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class SharedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False, stdout_file: Any = None, stderr_file: Any = None,
                                     start_timeout: int = 60, execution_timeout: float | None = None, km: Any = None, kc: Any = None,
                                     sink: dict[str, Any] | None = None, **kwargs: Any) -> Any:
            client = PapermillNotebookClient(
                nb_man, km=km, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            )
            client.kc = kc  # nbclient starts a client of its own only when this is None
            try:
                return client.execute()
            finally:
                if sink is not None:
                    sink["nb"] = nb_man.nb
                if kc is None and client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("ehelse-shared-kernel", SharedKernelEngine)
    return "ehelse-shared-kernel"


class Stop:
    """Shared by the workers of one build: set on Ctrl-C; ``writing`` is held while a report's
    files are written, so an interrupted build never leaves half a report or a temporary file."""

    def __init__(self) -> None:
        import threading

        self.event = threading.Event()
        self.writing = threading.Lock()

    def is_set(self) -> bool:
        return self.event.is_set()


def run_task(task: Task, kernel: SharedKernel | None = None, stop: Stop | None = None) -> Outcome:
    """Execute, normalise and export one notebook; on failure keep the executed notebook aside.

    With ``kernel`` the notebook runs in that (reused) kernel, else in a fresh one. The executed
    notebook stays in memory; the report's three files are written together at the end (under
    ``stop.writing``), or not at all if the build was interrupted.
    """
    import logging

    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    logging.getLogger("papermill").setLevel(logging.ERROR)
    stop = stop or Stop()
    out = Path(task.out_dir)
    folder = out / task.folder
    failed_nb = out / FAILED_DIR / task.folder / f"{task.stem}.ipynb"
    start = time.perf_counter()
    sink: dict = {}

    def interrupted() -> Outcome:
        return Outcome(task.stem, "interrupted", time.perf_counter() - start, message=f"report {task.stem} interrupted")

    def keep_failed() -> None:
        if "nb" in sink:
            with stop.writing:
                if not stop.is_set():
                    atomic_write(failed_nb, nbformat.writes(_drop_prelude(sink["nb"])) + "\n")

    shared = kernel if kernel is not None else SharedKernel()
    try:
        pm.execute_notebook(
            _prelude(Path(task.notebook)),
            None,  # nothing on disk while running: the executed notebook comes back in `sink`
            parameters=task.parameters,
            engine_name=_engine(),
            km=shared.manager(),
            kc=shared.client(),
            sink=sink,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=600,
        )
    except PapermillExecutionError as exc:
        if stop.is_set():
            return interrupted()
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
    except Exception as exc:  # kernel died (or was stopped), notebook unreadable ...
        shared.close()
        if stop.is_set():
            return interrupted()
        keep_failed()
        return Outcome(task.stem, "failed", time.perf_counter() - start,
                       message=f"report {task.stem} failed outside a cell: {type(exc).__name__}: {exc}")
    finally:
        if kernel is None:
            shared.close()
    if stop.is_set():
        return interrupted()
    # through text once, as a notebook read from disk would be
    executed = nbformat.reads(nbformat.writes(sink["nb"]), as_version=4)
    nb = localise_markdown(normalise(_drop_prelude(executed)), task.lang)
    nb = cite_markdown(nb, task.parameters.get("data_version"), task.lang)
    from ehelse_market.publishing.page import take_downloads

    downloads, summary = take_downloads(nb)  # each figure's CSV, SVG and PNG, written beside the report
    title = title_of(nb, task.stem)
    files = {"html": f"{task.stem}.html", "html_code": f"{task.stem}.code.html", "notebook": f"{task.stem}.ipynb"}
    links = {"index": f"../{index_page(task.lang)}", "html": files["html"], "html_code": files["html_code"], "notebook": files["notebook"]}
    texts = {
        "notebook": nbformat.writes(nb) + "\n",
        "html": export_html(nb, title=title, lang=task.lang, with_code=False, links=links),
        "html_code": export_html(nb, title=title, lang=task.lang, with_code=True, links=links),
    }
    # all three written only after everything rendered, and never once the build is stopping:
    # a failure or Ctrl-C above leaves the old report intact
    with stop.writing:
        if stop.is_set():
            return interrupted()
        for kind in ("notebook", "html", "html_code"):
            atomic_write(folder / files[kind], texts[kind])
        for name, data in downloads.items():
            atomic_write(folder / name, data)
        failed_nb.unlink(missing_ok=True)
    sha = {kind: sha256_bytes(text.encode("utf-8")) for kind, text in texts.items()}
    return Outcome(task.stem, "built", time.perf_counter() - start, title=title,
                   files={**files, "sha256": sha, "downloads": list(downloads), **summary})


#: After Ctrl-C, how long the build waits for a report being written to finish, in seconds.
STOP_GRACE = 0.5


def run_tasks(tasks: list[Task], jobs: int, note: Callable[[Outcome], None], start: Callable[[Task], None],
              kernels: list[SharedKernel] | None = None) -> None:
    """Run tasks on ``jobs`` worker threads, each with its own reused kernel (the kernels are the
    processes doing the work; the threads only drive them and export HTML). ``kernels`` may be
    given, already launched (see :func:`execute`); they are closed here.

    Ctrl-C (KeyboardInterrupt in this, the main thread) stops the build at once: the kernels are
    killed, no report is written after that (one being written is finished first, within
    milliseconds), and the KeyboardInterrupt is raised again once every finished report was noted.
    """
    import queue
    import threading

    todo: queue.Queue = queue.Queue()
    for t in tasks:
        todo.put(t)
    lock = threading.Lock()
    stop = Stop()
    kernels = kernels if kernels is not None else [SharedKernel() for _ in range(jobs)]

    def worker(kernel: SharedKernel) -> None:
        try:
            while not stop.is_set():
                try:
                    t = todo.get_nowait()
                except queue.Empty:
                    return
                with lock:
                    start(t)
                try:
                    o = run_task(t, kernel, stop)
                except Exception as exc:  # a bug in the builder itself: report it, keep going
                    o = Outcome(t.stem, "failed", message=f"report {t.stem} failed: {type(exc).__name__}: {exc}")
                if o.status != "interrupted":
                    with lock:
                        note(o)
        finally:
            kernel.close()

    # daemon threads: an interrupted build exits without waiting for a kernel to answer
    threads = [threading.Thread(target=worker, args=(k,), name=f"ehelse-build-{i}", daemon=True) for i, k in enumerate(kernels)]
    for th in threads:
        th.start()
    try:
        while any(th.is_alive() for th in threads):
            for th in threads:
                th.join(0.1)
    except KeyboardInterrupt:
        stop.event.set()
        for k in kernels:
            k.kill()
        stop.writing.acquire(timeout=STOP_GRACE)  # a report being written is finished; none starts after
        raise


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


def _data_provenance(scenario: Scenario, data_dir: Path | None) -> tuple[str, dict[str, str], str]:
    """Data version, sha256 of each of its CSV files (as the reports list them) and of its manifest."""
    from ehelse_market.inputs import MANIFEST as DATA_MANIFEST
    from ehelse_market.inputs import resolve_version_dir
    from ehelse_market.inputs.loader import data_files

    vdir = resolve_version_dir(scenario.data_version, data_dir)
    mpath = vdir / DATA_MANIFEST
    return vdir.name, {p.name: sha256_file(p) for p in data_files(vdir)[0]}, sha256_file(mpath) if mpath.exists() else ""


def made_by_builder(folder: Path) -> bool:
    """A reports folder from before the ownership marker: at least one scenario folder holding a
    build manifest, and nothing else but the builder's (index.html, ``_failed``, ``decisions``, dot files)."""
    builds = 0
    for entry in folder.iterdir():
        manifest = _read_json(entry / MANIFEST) if entry.is_dir() and not entry.is_symlink() else {}
        if "reports" in manifest and "package_version" in manifest:
            builds += 1
        elif not (entry.name in ("index.html", FAILED_DIR, DECISIONS_DIR) or entry.name.startswith(".")):
            return False
    return builds > 0


def check_out(out_dir: Path | str | None) -> Path:
    """The absolute reports folder if the builder may write into it (new, empty or made by it),
    else a UserError saying how to proceed. Nothing is written."""
    return check_output_folder(out_dir or paths.REPORTS_DIR, made_by_builder, "reports folder")


@dataclass
class Plan:
    """What a build will do, decided before anything is written or a kernel starts."""

    out: Path
    folder_name: str
    scenario: Scenario
    params: dict
    notebooks: list[Path]
    reused: dict[str, Outcome]
    tasks: list[Task]
    old_reports: dict
    data_dir: Path | None = None

    @property
    def folder(self) -> Path:
        return self.out / self.folder_name


def plan(
    out_dir: Path | str | None = None,
    scenario: Scenario | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    only: list[str] | None = None,
    nb_dir: Path | None = None,
    data_dir: Path | None = None,
) -> Plan:
    """Check the output folder and options, and sort the chapter notebooks into reports to reuse
    (cache key unchanged, files present) and tasks to run. Reads only; writes nothing."""
    from ehelse_market.inputs.scenario import Scenario

    out = check_out(out_dir)
    scenario = scenario if scenario is not None else Scenario.baseline()
    folder_name = scenario_folder(scenario)
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
    folder = out / folder_name
    old_reports = _read_json(folder / MANIFEST).get("reports", {})
    reused: dict[str, Outcome] = {}
    tasks: list[Task] = []
    for nb in nbs:
        key = cache_key(nb, params, data_fp, code_fp)
        prev = old_reports.get(nb.stem, {})
        present = all((folder / prev.get(k, "\0")).is_file() for k in ("html", "html_code", "notebook"))
        if not force and prev.get("cache_key") == key and present:
            reused[nb.stem] = Outcome(nb.stem, "reused", prev.get("seconds", 0.0), prev.get("title", nb.stem), files=prev)
        else:
            tasks.append(Task(nb.stem, str(nb), folder_name, str(out), params, scenario.lang, key))
    return Plan(out, folder_name, scenario, params, nbs, reused, tasks, old_reports, data_dir)


def execute(p: Plan, jobs: int | None = None, say: Callable[[str], None] = lambda line: None) -> dict[str, Outcome]:
    """Run the plan's tasks (the data checked once first, before any kernel starts); return every
    report's outcome, reused ones included. Ctrl-C raises :class:`Interrupted` carrying the
    outcomes of the reports finished before it."""
    outcomes = dict(p.reused)
    order = {nb.stem: i for i, nb in enumerate(p.notebooks, 1)}
    n = len(p.notebooks)
    for stem in p.reused:
        say(f"[{order[stem]}/{n}] {p.folder_name}/{stem}: up to date")
    if not p.tasks:
        return outcomes
    # Check the data once, before any kernel starts: invalid data is one clear error (every
    # problem listed, exit 1, nothing written), not the same traceback from every notebook.
    from ehelse_market.inputs import load_inputs

    _check_description(p.scenario, load_inputs(p.scenario.data_version, p.data_dir).sources)
    n_jobs = min(jobs or os.cpu_count() or 1, len(p.tasks))
    # The kernels start now and import the chapter code and load the data while this process
    # imports papermill and nbconvert and prepares the first notebooks.
    kernels = [SharedKernel() for _ in range(n_jobs)]
    try:
        for kernel in kernels:
            kernel.launch(warm_up(p.scenario.data_version, p.scenario.lang))
        from ehelse_market.publishing.diff import rebuild_reason

        why = rebuild_reason(_read_json(p.folder / MANIFEST), *_data_provenance(p.scenario, p.data_dir)[:2], p.params)
    except BaseException:
        for kernel in kernels:
            kernel.kill()
            kernel.close()
        raise
    say(f"building {len(p.tasks)} of {n} report(s) for scenario '{p.folder_name}' with {n_jobs} kernel(s) ({why})")

    def note(o: Outcome) -> None:
        outcomes[o.stem] = o
        verdict = {"built": f"built in {o.seconds:.1f} s", "failed": "FAILED"}[o.status]
        say(f"[{order[o.stem]}/{n}] {p.folder_name}/{o.stem}: {verdict}")

    try:
        run_tasks(p.tasks, n_jobs, note, lambda t: say(f"[{order[t.stem]}/{n}] {p.folder_name}/{t.stem}: running"), kernels)
    except KeyboardInterrupt:
        raise Interrupted(dict(outcomes)) from None
    return outcomes


def _check_description(scenario: Scenario, sources: pd.DataFrame) -> None:
    """The documents a scenario's description cites (``@seed004``) are in the data version's sources
    table: an unknown one is one error naming the scenario, before any kernel starts (every
    chapter cites the description in its scenario box)."""
    from ehelse_market.publishing import labels

    for lang in labels.LANGS:
        try:
            labels.cite_text(scenario.description_in(lang), sources, lang)
        except UserError as exc:
            raise UserError(f"scenario '{scenario.name}': its description ({lang}) cites a document the data "
                            f"version does not list: {exc}") from None


def warm_up(data_version: str | None, lang: str = "nb") -> str:
    """What a new kernel runs before its first notebook: the imports every chapter makes, the
    figures' font and ``lang``'s number format, and the data version loaded (validated, or its
    validation cache read), all kept in the kernel (modules and the loader's memo survive each
    notebook's ``%reset``)."""
    return (
        "import ehelse_market.publishing.chapter as _chapter, ehelse_market.publishing.figures as _figures\n"
        "from ehelse_market.inputs import load_inputs as _load\n"
        f"_figures._warm({lang!r}); _load(version={data_version!r})\n"
        "del _chapter, _figures, _load\n"
    )


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a build; ``outcomes`` are the reports finished (and written) before it."""

    def __init__(self, outcomes: dict[str, Outcome]):
        super().__init__()
        self.outcomes = outcomes


def record(p: Plan, outcomes: dict[str, Outcome], nb_dir: Path | None = None) -> bool:
    """Write the scenario's manifest (if a report ran) and ``<out>/index.html`` (if it changed).

    A failed report keeps its previous entry with the failure noted; a report that did not run
    (interrupted) keeps its previous entry as it was. Returns True if the index was rewritten.
    When no report ran and the front page is there, it is left as it is: every manifest, the
    package and the data are those it was last written from (a change to any of them rebuilds a
    report), and rendering it again reads the data's sources table (pandas) for nothing, which
    would cost the no-op rebuild about 0.25 s.
    """
    if any(o.status in ("built", "failed") for o in outcomes.values()):
        keys = {t.stem: t.key for t in p.tasks}
        reports = dict(p.old_reports)
        for stem, o in outcomes.items():
            if o.status == "built":
                reports[stem] = {"title": o.title, **o.files, "cache_key": keys[stem], "seconds": round(o.seconds, 3)}
            elif o.status == "failed":
                kept = dict(p.old_reports.get(stem, {}))
                kept["failed"] = {"message": o.message, "seconds": round(o.seconds, 3)}
                reports[stem] = kept
        current = {nb.stem for nb in notebooks(nb_dir)}
        reports = {stem: entry for stem, entry in reports.items() if stem in current}
        data_version, input_hashes, data_manifest = _data_provenance(p.scenario, p.data_dir)
        manifest = {
            "package_version": __version__,
            "scenario": p.folder_name,
            "lang": p.scenario.lang,
            "data_version": data_version,
            "inputs": input_hashes,
            "data_manifest_sha256": data_manifest,
            "parameters": p.params,
            "reports": dict(sorted(reports.items())),
        }
        atomic_write(p.folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    elif (p.out / index_page(p.scenario.lang)).is_file():
        return False
    return write_index(p.out)


def build(
    out_dir: Path | str | None = None,
    scenario: Scenario | None = None,
    *,
    force: bool = False,
    jobs: int | None = None,
    only: list[str] | None = None,
    nb_dir: Path | None = None,
    data_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Render every chapter notebook for ``scenario`` (default: the baseline) into ``out_dir``:
    :func:`plan`, then :func:`execute` and :func:`record` holding the output folder's lock.

    Writes only into a folder that is new, empty or made by this tool (``force`` does not change
    that). Reports whose cache key is unchanged are reused (no kernel starts) unless ``force``.
    ``jobs`` notebooks run at once (default: the number of CPUs). ``progress`` gets one line per
    event. Returns the outcomes; never raises for a failing notebook (see ``BuildResult.ok``).
    A second build into the same folder while one runs is refused (UserError). On Ctrl-C the
    reports finished so far are recorded and KeyboardInterrupt is raised.
    """
    say = progress or (lambda line: None)
    p = plan(out_dir, scenario, force=force, jobs=jobs, only=only, nb_dir=nb_dir, data_dir=data_dir)
    claim_output_folder(p.out, made_by_builder, "reports folder")
    with output_lock(p.out, "reports folder"):
        try:
            outcomes = execute(p, jobs, say)
        except Interrupted as stopped:
            record(p, stopped.outcomes, nb_dir)
            raise
        if record(p, outcomes, nb_dir):
            say(f"wrote {p.out / index_page(p.scenario.lang)}")
    return BuildResult(p.folder, [outcomes[nb.stem] for nb in p.notebooks])


#: the front page of each report language: Norwegian at ``index.html``, English at ``index-en.html``
INDEX_PAGES = {"nb": "index.html", "en": "index-en.html"}


def index_page(lang: str) -> str:
    """File name of the front page for reports in ``lang``."""
    return INDEX_PAGES.get(lang, f"index-{lang}.html")


def _front_scenario(folder: str, m: dict, lang: str) -> dict:
    """One scenario of a front page: its words, numbers and chapters (from its manifest)."""
    from ehelse_market.inputs.scenario import describe_in
    from ehelse_market.publishing import labels

    reports = [
        {"stem": stem, **{k: r.get(k) for k in ("title", "html", "html_code", "notebook", "lead", "main_finding")},
         "figures": r.get("figures", []), "key_figures": r.get("key_figures", {}), "failed": "failed" in r}
        for stem, r in sorted(m.get("reports", {}).items())
        if r.get("html")
    ]
    name = labels.label(m.get("parameters", {}).get("name", folder), lang)  # shipped scenarios in reader words
    return {
        "folder": folder,
        "anchor": f"scenario-{folder}",
        "name": name,
        "heading": labels.lookup("words", "scenario_shown", lang, name=name),
        "parameters": m.get("parameters", {}),
        "data_version": m.get("data_version", ""),
        "package_version": m.get("package_version", ""),
        "description": _described(describe_in(m.get("parameters", {}).get("description", ""), lang), m, lang),
        "reports": reports,
    }


def _described(text: str, m: dict, lang: str) -> str:
    """A scenario's description with its documents cited as the chapters cite them ("@seed004":
    "Menon Economics (2022)"), from the sources table of the data version it was built with."""
    from ehelse_market.publishing import labels

    if not labels.CITATION.search(text):
        return text  # nothing to cite: no sources table to read
    return labels.cite_text(text, labels.sources_of(m.get("data_version") or None), lang)


def _unit_header(label: str, unit: str, lang: str) -> str:
    """A row header with its unit, "Gevinst i året (mrd. kr)", "Mål for andelen (%)"."""
    from ehelse_market.publishing import labels

    if not unit:
        return label
    return f"{label} ({'%' if unit == 'percent' else labels.unit(unit, lang)})"


def _cell(kf: dict, lang: str) -> str:
    """A key figure's number as the table shows it (its unit is in the row header); older
    manifests without the value give their text."""
    from ehelse_market.publishing import labels

    if "value" not in kf:
        return str(kf.get("text", ""))
    unit = kf.get("unit", "")
    decimals = kf.get("decimals", 0 if unit in labels.WHOLE_UNITS else None)
    return labels.number(float(kf["value"]), decimals, lang, group=unit != "year")


def _comparison(scenarios: list[dict], lang: str) -> list[dict]:
    """Rows of the front page's scenario comparison, from the computed results each chapter recorded
    (:meth:`Chapter.key_figure`, carried in the manifests): per chapter, its key figures when any
    of them differs between the scenarios (a heading row with the chapter's title first), then the
    parameters in which the scenarios differ and that no key figure shows. Units are in the row
    headers, numbers in the page's format."""
    from ehelse_market.inputs.scenario import PARAMETERS
    from ehelse_market.publishing import labels

    chapters: dict[str, dict] = {}
    for i, s in enumerate(scenarios):
        for r in s["reports"]:
            group = chapters.setdefault(r["stem"], {"heading": r.get("title") or r["stem"], "rows": {}})
            for key, kf in sorted(r["key_figures"].items(), key=lambda item: item[1].get("order", 0)):
                row = group["rows"].setdefault(key, {"label": _unit_header(kf.get("label", key), kf.get("unit", ""), lang),
                                                     "cells": [""] * len(scenarios)})
                row["cells"][i] = _cell(kf, lang)
    out: list[dict] = []
    for _stem, group in sorted(chapters.items()):
        rows = group["rows"]
        if not any(len(set(r["cells"])) > 1 for r in rows.values()):
            continue
        out.append({"heading": group["heading"]})
        out.extend(rows.values())
    recorded = {key for g in chapters.values() for key in g["rows"]}
    params = []
    for key in PARAMETERS:
        values = [s["parameters"].get(key) for s in scenarios]
        if key not in recorded and any(v != values[0] for v in values):
            params.append({"label": labels.parameter(key, lang), "cells": [labels.parameter_value(key, v, lang) for v in values]})
    if params:
        out.append({"heading": labels.word("parameters", lang)})
        out.extend(params)
    return out


def write_index(out: Path) -> bool:
    """(Re)write the front pages, ``<out>/index.html`` (Norwegian reports) and ``index-en.html``
    (English): title, data version, per scenario its chapters with opening paragraph, main finding,
    downloads and the researchers' links; a comparison table when several scenarios are built; a
    link to the other language's front page. True if any page changed."""
    manifests = {}
    for mpath in sorted(Path(out).glob(f"*/{MANIFEST}")):
        m = _read_json(mpath)
        if m:
            manifests[mpath.parent.name] = m
    if not manifests:
        return False
    from markupsafe import Markup

    css = Markup((TEMPLATES_DIR / "report.css").read_text(encoding="utf-8"))
    langs = sorted({m.get("lang", "nb") for m in manifests.values()}, key=lambda x: (x != "nb", x))
    changed = False
    for lang in langs:
        folders = sorted((f for f, m in manifests.items() if m.get("lang", "nb") == lang),
                         key=lambda f: (manifests[f].get("parameters", {}).get("name") != "baseline", f))
        scenarios = [_front_scenario(f, manifests[f], lang) for f in folders]
        others = [x for x in langs if x != lang]
        other = {"lang": others[0], "href": index_page(others[0])} if others else None
        text = _jinja().get_template("index.html.j2").render(
            lang=lang, css=css, scenarios=scenarios, other=other,
            comparison=_comparison(scenarios, lang) if len(scenarios) > 1 else [],
            data_versions=sorted({s["data_version"] for s in scenarios}),
            package_versions=sorted({s["package_version"] for s in scenarios}),
        )
        changed |= write_if_changed(Path(out) / index_page(lang), text)
    return changed


def print_progress(line: str) -> None:
    """Progress goes to stderr, so stdout stays clean for the summary."""
    print(line, file=sys.stderr, flush=True)
