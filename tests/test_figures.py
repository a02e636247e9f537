"""Figure register: every figure renders in both languages, deterministically, with its sources."""

from __future__ import annotations

import csv

import pytest

from ehelse_market.publishing import figures, labels
from ehelse_market.errors import ParameterError
from ehelse_market.inputs import load_inputs
from ehelse_market.inputs.scenario import Scenario

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
        assert spec.title[lang] and spec.caption[lang]
    assert spec.title["nb"] != spec.title["en"]
    assert spec.unit in labels.catalogue("nb")["units"]
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
    again, _ = figures.render(fig_id, inputs, scenario, lang)
    for fmt in ("png", "svg"):
        assert figures.to_bytes(fig, fmt) == figures.to_bytes(again, fmt), f"{fig_id} {fmt} differs between renders"
    svg = figures.to_bytes(fig, "svg").decode()
    assert "<dc:date>" not in svg


def test_market_figure_uses_norwegian_number_format(inputs, scenario):
    fig, _ = figures.render("000-figur-5", inputs, scenario, "nb")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("7,75\u00a0mrd. kr" in t for t in texts), texts
    fig, _ = figures.render("000-figur-5", inputs, scenario, "en")
    assert any("7.75\u00a0NOK bn" in t.get_text() for t in fig.axes[0].texts)


def test_series_differ_by_more_than_colour(inputs, scenario):
    """Greyscale print: bars carry distinct hatches, lines distinct styles/markers."""
    fig, _ = figures.render("000-figur-8", inputs, scenario, "nb")
    hatches = [p.get_hatch() for p in fig.axes[0].patches]
    assert len(set(hatches)) == len(hatches)
    fig, _ = figures.render("004-figur-2", inputs, scenario, "nb")
    styles = {(ln.get_linestyle(), ln.get_marker()) for ln in fig.axes[0].get_lines()}
    assert len(styles) == len(fig.axes[0].get_lines())


def test_unknown_figure_is_a_parameter_error():
    with pytest.raises(ParameterError, match="000-figur-5"):
        figures.get("000-figur-99")


def test_alt_text_lists_values(inputs, scenario):
    _, data = figures.render("000-figur-5", inputs, scenario, "nb")
    text = figures.alt_text("000-figur-5", data, "nb")
    assert text.startswith("E-helseutgifter") and "Spesialisthelsetjenesten" in text


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


@pytest.mark.slow
def test_figure_files_are_identical_across_processes(tmp_path):
    """SVG ids and PNG metadata must not depend on the process (matplotlib#27831, #23693)."""
    import subprocess
    import sys

    from ehelse_market.cli import main

    assert main(["figures", "--out", str(tmp_path / "a")]) == 0
    subprocess.run([sys.executable, "-m", "ehelse_market", "figures", "--out", str(tmp_path / "b")], check=True,
                   capture_output=True)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
