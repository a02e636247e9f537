"""Figure register: every figure renders in both languages, deterministically, with its sources,
one style per category, tooltips on its marks, its message as alt text and no overprinted text."""

from __future__ import annotations

import csv

import pytest

from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario
from ehelse_market.publishing import figures, labels, palette

IDS = list(figures.FIGURES)


@pytest.fixture(scope="module")
def inputs():
    return load_inputs()


@pytest.fixture(scope="module")
def scenario():
    return Scenario.baseline()


def test_register_covers_the_source_figures():
    for fig_id in ("000-figur-5", "000-figur-8", "000-figur-3", "000-figur-7", "000-tabell-1", "000-figur-6", "004-figur-2", "004-figur-3"):
        assert fig_id in figures.FIGURES


@pytest.mark.parametrize("fig_id", IDS)
def test_figure_spec_is_complete(fig_id, inputs):
    spec = figures.get(fig_id)
    for lang in labels.LANGS:
        cited = figures.source_citation(fig_id, inputs, lang)
        assert spec.title[lang] and spec.caption[lang] and spec.alt[lang] and cited
        assert ".txt" not in cited  # readers get a citation, the locator is for the appendix
        assert cited.endswith(")") or spec.after  # the document it re-renders, by its one label
    assert spec.title["nb"] != spec.title["en"]
    assert spec.chapter[:2].isdigit()
    assert spec.unit in labels.catalogue("nb")["units"]
    for category in spec.categories:
        palette.style(category)  # every coloured category is in the palette register
    assert spec.inputs or spec.tables
    seed, lines = spec.source.split(":")
    first, last = (int(x) for x in lines.split("-"))
    assert seed.endswith(".txt") and 0 < first <= last
    for key in spec.inputs:  # every declared input exists in the data
        hits = inputs.select(key) if key.endswith(".") else inputs.values[inputs.values["key"] == key]
        assert len(hits), f"{fig_id}: no data for {key}"
    for name in spec.tables:
        assert len(inputs.table(name))


@pytest.mark.parametrize("fig_id", IDS)
@pytest.mark.parametrize("lang", labels.LANGS)
def test_figure_renders_deterministically(fig_id, lang, inputs, scenario):
    fig, data = figures.render(fig_id, inputs, scenario, lang)
    assert len(data) and {"variable", "segment", "unit", "value"} <= set(data.columns)
    assert fig.axes[0].get_title(loc="left") == figures.get(fig_id).title[lang]
    assert fig.get_layout_engine() is None  # laid out once in render; savefig does not lay out again
    again, _ = figures.render(fig_id, inputs, scenario, lang)
    for fmt in ("png", "svg"):
        assert figures.to_bytes(fig, fmt) == figures.to_bytes(again, fmt), f"{fig_id} {fmt} differs between renders"
    svg = figures.to_bytes(fig, "svg").decode()
    assert "<dc:date>" not in svg


def test_png_is_the_drawn_picture_rgb_when_opaque(inputs, scenario):
    """The PNG holds the pixels Agg drew: as RGB on the report's white background, as RGBA when
    some pixel is see-through (a figure with a transparent background)."""
    import io

    import numpy as np
    from PIL import Image

    fig, _ = figures.render("000-figur-7", inputs, scenario, "nb")
    for facecolor, mode in (("white", "RGB"), ((1, 1, 1, 0), "RGBA")):
        fig.set_facecolor(facecolor)
        image = Image.open(io.BytesIO(figures.to_bytes(fig, "png")))
        drawn = np.asarray(fig.canvas.buffer_rgba())
        assert image.mode == mode and image.info["dpi"] == pytest.approx((figures.DPI, figures.DPI), abs=0.1)
        assert np.array_equal(np.asarray(image), drawn[..., :len(mode)])


@pytest.mark.parametrize("fig_id", ["000-tabell-1", "004-figur-2-tornado"])
def test_svg_is_what_savefig_writes(fig_id, inputs, scenario):
    """The SVG is drawn without savefig (and with text measured once per process) and is what
    savefig writes, plus the tooltips; a title the layout moved above top tick labels stays there."""
    import io

    import matplotlib

    fig, _ = figures.render(fig_id, inputs, scenario, "en")
    ours = figures.to_bytes(fig, "svg").decode()
    buf = io.BytesIO()
    with matplotlib.rc_context(figures.RC):
        fig.savefig(buf, format="svg", dpi=figures.DPI, metadata={"Date": None})
    assert ours == figures._svg_with_tooltips(buf.getvalue().decode(), fig.drawing.tooltips)
    assert figures.to_bytes(fig, "svg").decode() == ours  # the text measurements kept give the same
    fig.set_dpi(100)
    figures.to_bytes(fig, "svg")
    assert fig.dpi == 100  # as savefig leaves it


@pytest.mark.parametrize("fig_id", ["000-figur-5", "004-figur-2-tornado"])
def test_png_text_is_where_a_plain_agg_renderer_puts_it(fig_id, inputs, scenario):
    """The figures' Agg renderer keeps each font's height metrics once (figures._FontHeights): it
    draws the same pixels as matplotlib's own renderer, which reads them from the font per text."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig, _ = figures.render(fig_id, inputs, scenario, "nb")
    figures.to_bytes(fig, "png")
    ours = np.asarray(fig.canvas.buffer_rgba()).copy()
    assert isinstance(fig.canvas.get_renderer(), figures._FontHeights)
    FigureCanvasAgg(fig).draw()
    assert not isinstance(fig.canvas.get_renderer(), figures._FontHeights)
    assert np.array_equal(np.asarray(fig.canvas.buffer_rgba()), ours)


def test_axis_labels_stay_where_the_layout_put_them(inputs, scenario):
    """After the layout the axis labels are fixed in axes coordinates: drawing the SVG (at 72 dpi)
    and the PNG moves neither, so both formats have them in the same place."""
    fig, _ = figures.render("004-figur-2", inputs, scenario, "nb")
    ax = fig.axes[0]
    placed = [(a.label.get_transform(), a.label.get_position()) for a in (ax.xaxis, ax.yaxis)]
    assert all(transform == ax.transAxes for transform, _ in placed)
    figures.to_bytes(fig, "svg")
    figures.to_bytes(fig, "png")
    assert [(a.label.get_transform(), a.label.get_position()) for a in (ax.xaxis, ax.yaxis)] == placed


def test_market_figure_uses_norwegian_number_format(inputs, scenario):
    fig, _ = figures.render("000-figur-5", inputs, scenario, "nb")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("7,75\u00a0mrd. kr" in t for t in texts), texts
    fig, _ = figures.render("000-figur-5", inputs, scenario, "en")
    assert any("7.75\u00a0NOK bn" in t.get_text() for t in fig.axes[0].texts)


def test_series_differ_by_more_than_colour(inputs, scenario):
    """Greyscale print: bars carry distinct hatches, lines distinct line styles."""
    fig, _ = figures.render("000-figur-8", inputs, scenario, "nb")
    hatches = [p.get_hatch() for p in fig.axes[0].patches]
    assert len(set(hatches)) == len(hatches)
    fig, _ = figures.render("004-figur-2", inputs, scenario, "nb")
    lines = [ln for ln in fig.axes[0].get_lines() if ln.get_linestyle() not in ("None", "none", "")]
    assert len({ln.get_linestyle() for ln in lines}) == len(lines) >= 3


def test_unknown_figure_is_a_parameter_error():
    with pytest.raises(ParameterError, match="000-figur-5"):
        figures.get("000-figur-99")


def test_alt_text_states_the_message_with_numbers_from_the_data(inputs, scenario):
    _, data = figures.render("000-figur-5", inputs, scenario, "nb")
    text = figures.alt_text("000-figur-5", data, "nb")
    assert text == ("Av 13,6\u00a0mrd. kr i e-helseutgifter går den største delen til Spesialisthelsetjenesten, "
                    "7,75\u00a0mrd. kr (57\u00a0%), og den minste til Nasjonale aktører, 2,58\u00a0mrd. kr (19\u00a0%).")
    changed = data.copy()
    changed.loc[(changed["variable"] == "spend") & (changed["segment"] == "national_actors"), "value"] = 9.0
    assert "den største delen til Nasjonale aktører, 9,00\u00a0mrd. kr" in figures.alt_text("000-figur-5", changed, "nb")


@pytest.mark.parametrize("fig_id", IDS)
@pytest.mark.parametrize("lang", labels.LANGS)
def test_alt_text_is_one_or_two_sentences_without_codes(fig_id, lang, inputs, scenario):
    _, data = figures.render(fig_id, inputs, scenario, lang)
    text = figures.alt_text(fig_id, data, lang)
    import re

    sentences = len(re.findall(r"[.!?] +[A-ZÆØÅ«\"]", text)) + 1
    assert sentences <= 2 and text.endswith(".") and len(text) < 300, text
    assert "{" not in text and "_" not in text, text
    if fig_id != "000-figur-7":  # the grid of forms has no numbers to state
        assert any(ch.isdigit() for ch in text), text


def test_figures_command_writes_png_svg_csv_without_a_kernel(tmp_path, monkeypatch):
    from jupyter_client.manager import AsyncKernelManager, KernelManager

    from ehelse_market.cli import main

    def no_kernel(*a, **k):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(KernelManager, "start_kernel", no_kernel)
    monkeypatch.setattr(AsyncKernelManager, "start_kernel", no_kernel)
    assert main(["figures", "--out", str(tmp_path), "--lang", "en"]) == 0
    for fig_id in IDS:
        for ext in ("png", "svg", "csv"):
            assert (tmp_path / f"{fig_id}.{ext}").stat().st_size > 0
    assert (tmp_path / "000-figur-5.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tmp_path / "000-figur-5.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    spend = {r["segment"]: float(r["value"]) for r in rows if r["variable"] == "spend"}
    assert spend["specialist_care"] == pytest.approx(13.6 * 0.57)


def test_figures_command_refuses_unknown_id(tmp_path, capsys):
    from ehelse_market.cli import main

    assert main(["figures", "--out", str(tmp_path), "--only", "nope"]) == 1
    assert "parameter 'figure' = 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "value, decimals, lang, text",
    [
        (13.6, None, "nb", "13,6"),
        (150000, 0, "nb", "150\u00a0000"),
        (150000, 0, "en", "150,000"),
        (0.5, 1, "nb", "0,5"),
        (-0.9, 1, "nb", "\u22120,9"),
        (float("nan"), None, "nb", "–"),
        (0.015, None, "nb", "0,015"),
        (0.005, None, "en", "0.005"),
        (0.123456, None, "nb", "0,1235"),
        (1234.567, None, "nb", "1\u00a0234,57"),
    ],
)
def test_number_format(value, decimals, lang, text):
    assert labels.number(value, decimals, lang) == text


def test_quantity_and_labels():
    assert labels.quantity(13.6, "NOK bn") == "13,6\u00a0mrd. kr"
    assert labels.quantity(57, "percent", 0) == "57\u00a0%"
    assert labels.label("in_house", "en") == "In-house"
    assert labels.label("<script>", "nb") == "<script>"  # unknown codes pass through (escaped at output)
    with pytest.raises(ParameterError):
        labels.unit("fte", "de")


@pytest.mark.parametrize("fig_id", IDS)
def test_captions_take_their_numbers_from_the_data(fig_id, inputs):
    for lang in labels.LANGS:
        text = figures.caption(fig_id, inputs, lang)
        assert not figures.PLACEHOLDER.search(text), text


def test_fill_text_formats_data_values(inputs):
    assert figures.fill_text("{market.spend_total}", inputs, "nb") == "13,6\u00a0mrd. kr"
    assert figures.fill_text("{market.spend_total|n} og {market.care_level.specialist_care}", inputs, "en") == "13.6 og 57%"
    from ehelse_market.errors import UserError

    with pytest.raises(UserError, match="no.such.key"):
        figures.fill_text("{no.such.key}", inputs, "nb")


def test_figures_jobs_must_be_positive(tmp_path, capsys):
    from ehelse_market.cli import main

    assert main(["figures", "--out", str(tmp_path / "f"), "--jobs", "0"]) == 1
    assert "--jobs" in capsys.readouterr().err
    assert not (tmp_path / "f").exists()


def test_a_figure_that_fails_in_any_process_fails_with_its_own_error(tmp_path, inputs, scenario, monkeypatch):
    """With workers, each process writes the figures it drew; one that fails is drawn again by
    the parent, so its own error surfaces (as without workers) and it leaves no file."""
    import dataclasses

    def fail(data, ax, drawing):
        raise ValueError("this plot fails")

    figures.register()
    for fig_id in (IDS[0], IDS[-1]):  # the first figure the parent takes, the last one left
        monkeypatch.setitem(figures._REGISTER, fig_id, dataclasses.replace(figures.get(fig_id), plot=fail))
    with pytest.raises(ValueError, match="this plot fails"):
        figures.write_all(tmp_path, inputs, scenario, jobs=2)
    assert not list(tmp_path.glob(f"{IDS[0]}.*")) and not list(tmp_path.glob(f"{IDS[-1]}.*"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_figures_stops_its_drawers_when_the_data_fails(tmp_path, monkeypatch, capsys):
    """The drawers start before the data is loaded: data that fails its check ends the command
    with its one error, the drawers stopped and nothing written."""
    import multiprocessing

    from ehelse_market.cli import main
    from ehelse_market.errors import DataError
    from ehelse_market.inputs import loader

    def failing(*args, **kwargs):
        raise DataError("data version x failed validation (1 problems)")

    monkeypatch.setattr(loader, "load_inputs", failing)
    assert main(["figures", "--out", str(tmp_path / "f"), "--jobs", "2"]) == 1
    err = capsys.readouterr().err
    assert "failed validation" in err and "Traceback" not in err
    assert not (tmp_path / "f").exists()
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_ctrl_c_stops_the_figures_command_and_its_drawers(tmp_path):
    """Ctrl-C (SIGINT to the terminal's process group) while the drawers draw: one line, exit
    130, no traceback from any process, no drawer left, no half-written file."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    out = tmp_path / "f"
    proc = subprocess.Popen([sys.executable, "-m", "ehelse_market", "figures", "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 60
    while not list(out.glob("*.png")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)  # until the drawers write
    drawers = {int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()}
    os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert err.strip() == "interrupted", err
    assert drawers and not any(Path(f"/proc/{pid}").exists() for pid in drawers)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_figure_files_are_identical_across_processes(tmp_path):
    """SVG ids and PNG metadata must not depend on the process (matplotlib#27831, #23693), nor on
    whether the figures were drawn one after the other or by worker processes."""
    import os
    import subprocess
    import sys

    from ehelse_market.cli import main

    assert main(["figures", "--out", str(tmp_path / "a"), "--jobs", "1"]) == 0
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output to a pipe is buffered
    run = subprocess.run([sys.executable, "-m", "ehelse_market", "figures", "--out", str(tmp_path / "b"), "--jobs", "2"],
                         check=True, capture_output=True, text=True, env=buffered)
    # the program ends without the interpreter's teardown (exit_at_once): its output is all there
    assert run.stdout == f"wrote {len(IDS) * 3} files ({len(IDS)} figures) to {tmp_path / 'b'}\n" and not run.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --------------------------------------------------------------------------- palette: one style per category


def _drawn_colour(artist) -> str:
    from matplotlib.colors import to_hex

    if hasattr(artist, "get_facecolor") and not hasattr(artist, "get_xydata"):
        colour = artist.get_facecolor()
        colour = colour[0] if getattr(colour, "ndim", 1) == 2 else colour
    else:
        colour = artist.get_color()
    return to_hex(colour, keep_alpha=False).upper()


def test_a_category_has_one_colour_across_all_figures(inputs, scenario):
    seen: dict[str, set[str]] = {}
    for fig_id in IDS:
        fig, _ = figures.render(fig_id, inputs, scenario, "nb")
        by_gid = {a.get_gid(): a for a in fig.findobj() if a.get_gid()}
        for gid, category in fig.drawing.categories.items():
            colour = _drawn_colour(by_gid[gid])
            assert colour == palette.style(category).colour.upper(), (fig_id, category)
            seen.setdefault(category, set()).add(colour)
    assert {"specialist_care", "relational", "market", "fte_demand_reference", "end_low"} <= set(seen)
    assert all(len(colours) == 1 for colours in seen.values()), seen


@pytest.mark.parametrize("fig_id", IDS)
def test_categories_in_one_figure_can_be_told_apart(fig_id):
    styles = [palette.style(c) for c in figures.get(fig_id).categories]
    assert len({(s.colour, s.hatch) for s in styles}) == len(styles)
    assert len({s.hatch for s in styles}) == len(styles)  # greyscale print


def test_palette_is_okabe_ito():
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"}
    assert {s.colour for s in palette.STYLES.values()} - {"#FFFFFF"} <= okabe_ito
    with pytest.raises(ParameterError, match="no_such_category"):
        palette.style("no_such_category")


# --------------------------------------------------------------------------- the reader's side of each figure


def _texts(fig):
    """Every visible text of a laid-out figure: titles, axis labels, tick labels, labels, legend."""
    ax = fig.axes[0]
    out = [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
    for axis in (ax.xaxis, ax.yaxis):
        ticks = axis._update_ticks()
        out += [t.label1 for t in ticks if t.label1.get_visible()] + [t.label2 for t in ticks if t.label2.get_visible()]
    for legend in [ax.get_legend(), *fig.legends]:
        if legend:
            out += list(legend.get_texts())
    return [t for t in out if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("fig_id", IDS)
@pytest.mark.parametrize("lang", labels.LANGS)
def test_no_text_overprints_another(fig_id, lang, inputs, scenario):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for sc in (scenario, scenario.with_updates(productivity_growth=[0.0])):
        fig, _ = figures.render(fig_id, inputs, sc, lang)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()  # as printed: a legend is placed when drawn
        renderer = canvas.get_renderer()
        texts = _texts(fig)
        boxes = [t.get_window_extent(renderer).shrunk(0.98, 0.9) for t in texts]
        for a in range(len(texts)):
            whole = texts[a].get_window_extent(renderer)
            assert fig.bbox.contains(whole.x0 + 1, whole.y0 + 1) and fig.bbox.contains(whole.x1 - 1, whole.y1 - 1), texts[a]
            for b in range(a + 1, len(texts)):
                assert not boxes[a].overlaps(boxes[b]), (fig_id, sc.name, texts[a].get_text(), texts[b].get_text())
        # an in-axes legend covers no bar
        legend = fig.axes[0].get_legend()
        if legend is not None:
            frame = legend.get_window_extent(renderer)
            for bar in fig.axes[0].patches:
                assert not frame.overlaps(bar.get_window_extent(renderer).shrunk(0.98, 0.98)), (fig_id, sc.name, "legend over a bar")


def test_figure_2_has_markers_only_on_published_points(inputs, scenario):
    fig, data = figures.render("004-figur-2", inputs, scenario, "nb")
    marked = []
    for line in fig.axes[0].get_lines():
        if line.get_marker() not in ("None", "none", "", None) and line.get_alpha() != 0:
            marked += [int(x) for x in line.get_xdata()]
    assert sorted(marked) == [2017, 2035, 2060]
    ref = data[data["variable"] == "fte_demand_reference"].set_index("year")
    assert ref.loc[2035, "value"] == pytest.approx(415_000) and ref.loc[2035, "published"]
    assert not ref.loc[2040, "published"]
    # a scenario's own 2060 level is not SSB's number: no marker there, and the path stays drawn
    fig, _ = figures.render("004-figur-2", inputs, scenario.with_updates(productivity_growth=[0.0], reference_level_2060=650_000), "nb")
    marked = [int(x) for ln in fig.axes[0].get_lines() if ln.get_marker() not in ("None", "none", "") for x in ln.get_xdata()]
    assert sorted(marked) == [2017, 2035]
    assert any(t.get_text().startswith("SSB") for t in fig.axes[0].get_legend().get_texts())


def test_tornado_is_centred_on_the_scenarios_central_case_with_both_ends_labelled(inputs, scenario):
    fig, data = figures.render("004-figur-2-tornado", inputs, scenario, "nb")
    central = data[data["bound"] == "central"].iloc[0]
    assert central["parameter_value"] == 0.005  # SSB's basis, the middle of the baseline's 0 / 0.5 / 2 %
    assert central["value"] == pytest.approx(618_000)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("618\u00a0000" in t and "0,5\u00a0%" in t for t in texts), texts
    for label in ("0\u00a0%", "2\u00a0%", "556\u00a0200\u00a0årsverk", "679\u00a0800\u00a0årsverk", "2017", "2020"):
        assert label in texts, (label, texts)
    prod = data[data["segment"] == "productivity_growth"].set_index("bound")["value"]
    assert prod["low"] > central["value"] > prod["high"]  # growth moves demand both ways from the centre
    assert data[data["segment"] == "productivity_growth"].set_index("bound").loc["low", "gap"] == pytest.approx(147_824, abs=1)


def test_svg_keeps_text_as_text_and_a_tooltip_on_every_mark(inputs, scenario):
    import xml.etree.ElementTree as ET

    fig, _ = figures.render("004-figur-2", inputs, scenario, "nb")
    svg = figures.to_bytes(fig, "svg").decode()
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Behov for årsverk mot 2060" in texts
    assert "DejaVuSans-" not in svg  # no glyph outlines
    marks = fig.drawing.tooltips
    assert len(marks) >= 6
    for gid, tip in marks.items():
        group = root.find(f".//s:g[@id='{gid}']", ns)
        assert group is not None, gid
        title = group.find("s:title", ns)
        assert title is not None and title.text == tip
    tips = list(marks.values())
    assert "SSBs referansebane (0,5\u00a0%) 2035: 415\u00a0000\u00a0årsverk (publisert). Kilde: Statistisk sentralbyrå" in " ".join(tips)
    assert all("årsverk" in t and "Kilde: " in t for t in tips)


def test_a_tooltip_from_data_text_is_text_not_markup():
    """Tooltips carry data text (labels, sources): escaped by the one escaper of reader markup."""
    svg = figures._svg_with_tooltips('<g id="bar-1">', {"bar-1": '</title><script>alert("x")</script> & Co\'s'})
    assert "<script>" not in svg
    assert svg.endswith("<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#x27;s</title>")


@pytest.mark.parametrize("fig_id", IDS)
def test_every_figure_has_tooltips_with_units_and_sources(fig_id, inputs, scenario):
    fig, _ = figures.render(fig_id, inputs, scenario, "en")
    svg = figures.to_bytes(fig, "svg").decode()
    assert fig.drawing.tooltips and svg.count("<title>") == len(fig.drawing.tooltips)
    assert all("Source: " in t for t in fig.drawing.tooltips.values())


def test_inline_svg_has_page_unique_ids(inputs, scenario):
    import re

    fig, _ = figures.render("000-figur-5", inputs, scenario, "nb")
    a, b = figures.svg_inline(fig, "f1"), figures.svg_inline(fig, "f2")
    assert a.startswith("<svg") and "<?xml" not in a
    ids_a, ids_b = set(re.findall(r'id="([^"]+)"', a)), set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and not ids_a & ids_b
    for ref in re.findall(r'url\(#([^)]+)\)', a):
        assert ref in ids_a


def test_data_text_is_never_mathtext():
    assert figures.RC["text.parse_math"] is False and figures.RC["svg.fonttype"] == "none"


def test_csv_carries_the_source(inputs, scenario, tmp_path):
    paths = figures.write_figure(tmp_path, "004-figur-3", inputs, scenario, "en")
    with open(tmp_path / "004-figur-3.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {p.suffix for p in paths} == {".png", ".svg", ".csv"}
    assert rows and all(r["source"] == "Menon Economics (2022, Figure 3)" and r["locator"].endswith(":614-614") for r in rows)


def test_a_chapter_yaml_missing_a_key_names_the_file_and_figure():
    text = "chapter: 01_market\nfigures:\n  x-1:\n    title: {nb: a, en: b}\n"
    with pytest.raises(ValueError, match=r"ch01_market.yaml, figure x-1: missing caption"):
        figures._load_chapter("ch01_market.yaml", text)
    text = ("chapter: 01_market\nfigures:\n  x-1:\n    {title: {nb: a, en: b}, caption: {nb: a, en: b}, alt: {nb: a, en: b},"
            " unit: fte, source: {cite: {nb: a, en: b}, locator: 'f.txt:1-1'}, data: nope, plot: plot_split, facts: facts_split}\n")
    with pytest.raises(ValueError, match="data function 'nope' not found"):
        figures._load_chapter("ch01_market.yaml", text)


def test_the_register_lists_figures_only_in_the_chapter_folder():
    """Adding a figure touches its chapter's module and YAML only: no other file names the ids."""
    from pathlib import Path

    src = Path(figures.__file__).parents[1]
    for path in src.rglob("*.py"):
        if "chapters" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert "000-figur-8-omfordeling" not in text and "ext-ikt-serie" not in text, path
