"""The build's kernels start before the notebooks and warm up (imports, font, data) silently:
the notebook then finds the modules imported and none of the warm-up's names."""

from __future__ import annotations

import json

import nbformat

from ehelse_market.publishing import report


def test_warm_up_leaves_no_names():
    namespace: dict = {}
    exec(report.warm_up(None), namespace)  # noqa: S102 - our own code
    assert set(namespace) == {"__builtins__"}


def test_a_launched_kernel_runs_the_warm_up_before_the_notebook(tmp_path, project):
    probe = nbformat.v4.new_code_cell("import gc, sys, json\nprint(json.dumps({'chapter': 'ehelse_market.publishing.chapter' in sys.modules, "
                                      "'frozen': gc.get_freeze_count(), "
                                      "'names': sorted(n for n in dir() if n.startswith('_') and not n.startswith('__'))}))")
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, probe], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    path = tmp_path / "01_probe.ipynb"
    nbformat.write(nb, path)
    kernel = report.SharedKernel()
    try:
        kernel.launch(report.warm_up(None))
        outcome = report.run_task(report.Task("01_probe", str(path), "baseline", str(tmp_path / "out"), {}, "nb", "k"), kernel)
        client = kernel.kc
        again = report.run_task(report.Task("01_probe", str(path), "baseline", str(tmp_path / "again"), {}, "nb", "k"), kernel)
        # the next notebook in the kernel runs through the same client (no new channels to connect)
        assert again.status == "built" and client is not None and kernel.kc is client
    finally:
        kernel.close()
    assert kernel.kc is None and kernel.km is None
    assert outcome.status == "built", outcome.message
    executed = nbformat.read(tmp_path / "out" / "baseline" / "01_probe.ipynb", as_version=4)
    seen = json.loads(executed.cells[-1].outputs[0]["text"])
    assert seen["chapter"], "the warm-up did not import the chapter code before the notebook ran"
    assert not [n for n in seen["names"] if n in ("_chapter", "_figures", "_load")]
    # the warm kernel's objects are out of the collector's way (report.SETTLE), so the notebook's
    # %reset does not walk every imported module's objects twice
    assert seen["frozen"] > 100_000, seen["frozen"]
