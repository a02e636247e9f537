"""Figure register and rendering: every figure the reports show, found in its chapter.

Each report chapter owns one place, ``publishing/chapters/chNN_<name>.py`` with the figure's
data and plot functions and, beside it, ``chNN_<name>.yaml`` with each figure's metadata: title,
caption and alt-text template (nb, en), unit, the source figure it re-renders (seed locator of
its caption, and where in the document: "figur 2"), the data keys it plots and the categories it
colours. Documents are cited by :func:`source_citation` from the data version's sources table. The register is built
from those files on first use; nothing else lists the figures (docs/contributing.md, "A figure").

The same register drives the notebooks (``Chapter.show``), the ``ehelse-market figures``
command (PNG + SVG + CSV without a kernel) and the provenance section.

Rendering: no pyplot state; the layout is computed once and then frozen, so PNG and SVG draw
once each. SVG keeps text as text and gives every plotted mark a ``<title>`` tooltip (value,
unit, source). Output is deterministic: fixed dpi, ``svg.hashsalt``, no dates in the metadata.
Styles come from :mod:`ehelse_market.publishing.palette` (one style per category).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehelse_market.errors import ParameterError
from ehelse_market.publishing import labels, markup, palette
from ehelse_market.publishing.markup import PLOT_RC

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.artist import Artist
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure as MplFigure

    from ehelse_market.inputs import Inputs
    from ehelse_market.inputs.scenario import Scenario

DPI = 150
SIZE = (7.0, 4.2)  # inches
#: typed Any: matplotlib types rc keys as a Literal of every setting name
RC: Any = {
    "svg.hashsalt": "ehelse-market",
    "svg.fonttype": "none",  # text stays text (selectable, searchable, scales with the page)
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "hatch.linewidth": 0.8,
    "legend.frameon": False,
    "savefig.dpi": DPI,
    "figure.dpi": DPI,
    "path.simplify": False,
    **PLOT_RC,  # data text is drawn literally: no $...$ mathtext
}
#: zlib level of the PNG downloads: 1 is several times faster than the default 6 and the
#: flat-colour charts stay small
PNG_COMPRESSION = 1

CHAPTERS_PACKAGE = "ehelse_market.publishing.chapters"
LANGS = ("nb", "en")


@dataclass(frozen=True)
class Figure:
    """One registered figure: what it re-renders, in which words, from which data."""

    id: str
    chapter: str  # notebook stem it belongs to, e.g. "01_market"
    title: dict[str, str]
    caption: dict[str, str]
    alt: dict[str, str]  # alt-text template; {name} filled from the facts function
    unit: str  # unit vocabulary code of the plotted values
    inputs: tuple[str, ...]  # data keys (or key prefixes ending in ".") the numbers come from
    tables: tuple[str, ...]  # non-value tables the figure reads
    source: str  # exact locator of the source figure: seed file:first-last line of its caption
    where: dict[str, str]  # where in that document, per language ("figur 2"); empty if no figure of it
    computed: bool  # True: the figure computes from the document's numbers ("Beregnet fra ...")
    after: str  # source id of the work the document's figure follows ("etter Williamson (1991)"), or ""
    categories: tuple[str, ...]  # palette categories the figure colours
    words: dict[str, dict[str, str]]  # figure-specific words (axis titles, legend entries) per language
    data: Callable[..., Any] = field(repr=False)  # (inputs, scenario) -> tidy DataFrame
    plot: Callable[..., None] = field(repr=False)  # (data, ax, Drawing) -> None
    facts: Callable[..., dict] = field(repr=False)  # data -> {name: value} for the alt text


# --------------------------------------------------------------------------- discovery

_REGISTER: dict[str, Figure] = {}

_REQUIRED = ("title", "caption", "alt", "unit", "source", "data", "plot", "facts")


def _per_lang(value: object, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGS) or not all(isinstance(v, str) and v for v in value.values()):
        raise ValueError(f"{where}: needs a text for each of {', '.join(LANGS)}")
    return dict(value)


def _load_chapter(yaml_name: str, text: str) -> list[Figure]:
    import importlib

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    meta = yaml.load(text, Loader=loader)
    module = importlib.import_module(f"{CHAPTERS_PACKAGE}.{yaml_name.removesuffix('.yaml')}")
    out = []
    for fig_id, m in (meta.get("figures") or {}).items():
        where = f"publishing/chapters/{yaml_name}, figure {fig_id}"
        missing = [k for k in _REQUIRED if k not in m]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        funcs: dict[str, Any] = {}
        for role in ("data", "plot", "facts"):
            funcs[role] = getattr(module, m[role], None)
            if not callable(funcs[role]):
                raise ValueError(f"{where}: {role} function {m[role]!r} not found in {module.__name__}")
        words = {k: _per_lang(v, f"{where}, words.{k}") for k, v in (m.get("words") or {}).items()}
        out.append(
            Figure(
                id=str(fig_id),
                chapter=str(meta["chapter"]),
                title=_per_lang(m["title"], f"{where}, title"),
                caption=_per_lang(m["caption"], f"{where}, caption"),
                alt=_per_lang(m["alt"], f"{where}, alt"),
                unit=str(m["unit"]),
                inputs=tuple(m.get("inputs") or ()),
                tables=tuple(m.get("tables") or ()),
                source=str(m["source"]["locator"]),
                where=_per_lang(m["source"]["where"], f"{where}, source.where") if "where" in m["source"] else {},
                computed=bool(m["source"].get("computed", False)),
                after=str(m["source"].get("after") or ""),
                categories=tuple(m.get("categories") or ()),
                words=words,
                **funcs,
            )
        )
    return out


def register() -> dict[str, Figure]:
    """Figure id -> Figure, discovered from the chapter folder (YAML beside each module), cached."""
    if not _REGISTER:
        from importlib import resources

        found: dict[str, Figure] = {}
        files = sorted((p for p in resources.files(CHAPTERS_PACKAGE).iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name)
        for path in files:
            for fig in _load_chapter(path.name, path.read_text(encoding="utf-8")):
                if fig.id in found:
                    raise ValueError(f"figure id {fig.id!r} registered twice (publishing/chapters/{path.name})")
                found[fig.id] = fig
        _REGISTER.update(found)
    return _REGISTER


def __getattr__(name: str) -> dict[str, Figure]:
    if name == "FIGURES":  # the register, built on first use
        return register()
    raise AttributeError(name)


def get(fig_id: str) -> Figure:
    """The registered figure ``fig_id``; a ParameterError lists the known ids."""
    figures = register()
    if fig_id not in figures:
        raise ParameterError("figure", fig_id, "one of " + ", ".join(figures))
    return figures[fig_id]


def for_chapter(chapter: str) -> list[Figure]:
    """Figures of one notebook (by stem), in register order."""
    return [f for f in register().values() if f.chapter == chapter]


# --------------------------------------------------------------------------- sources

_LOCATOR = re.compile(r"^(?P<file>[^:\s]+\.txt):(?P<first>\d+)(?:-(?P<last>\d+))?$")


def locator_source(sources: pd.DataFrame, locator: str) -> str:
    """The source id of the seed text a locator ("004_….txt:177-178") points into, by the sources
    table's ``file`` column; "" if it names no seed file."""
    m = _LOCATOR.match(str(locator or "").strip())
    if not m or "file" not in sources.columns:
        return ""
    return next((str(sid) for sid, file in zip(sources["source_id"].tolist(), sources["file"].tolist())
                 if str(file) == m.group("file")), "")


def source_citation(fig_id: str, inputs: Inputs, lang: str, others: Iterable[str] = ()) -> str:
    """The documents a figure shows as a reader cites them (:func:`labels.cite`): the document whose
    figure it re-renders with where in it ("Menon Economics (2022, figur 2)"; "Beregnet fra ..."
    when computed from it, ", etter Williamson (1991)" when that figure follows another work), then
    the ``others`` (source ids of the plotted numbers; the project's assumptions last)."""
    spec = get(fig_id)
    own = locator_source(inputs.sources, spec.source)
    items: list[str | tuple[str, ...]] = [(own, spec.where.get(lang, ""))] if own else []
    rest: list[str | tuple[str, ...]] = [s for s in others if s and s not in (own, spec.after)]
    if spec.computed or spec.after:
        lead = labels.cite(inputs.sources, items, lang)
        if spec.computed:
            lead = f"{labels.word('computed_from', lang)} {lead}"
        if spec.after:
            lead += f", {labels.word('after_work', lang)} {labels.cite(inputs.sources, [spec.after], lang)}"
        tail = labels.cite(inputs.sources, rest, lang)
        return f"{lead}; {tail}" if tail else lead
    return labels.cite(inputs.sources, items + rest, lang)


# --------------------------------------------------------------------------- text from data

#: ``{data.key}`` -> the value with its unit ("13,6 mrd. kr"); ``{data.key|n}`` -> the number alone
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(\|n)?\}")


def fill_text(text: str, inputs: Inputs, lang: str, escape: Callable[[str], str] = str) -> str:
    """Replace ``{key}`` placeholders by the data value of ``key`` in the report's number format.

    Captions and narrative use them so that no number is typed into text: a new data version
    changes the words too. An unknown key raises (naming the key). ``escape`` turns each filled
    value into the target markup (``markup.md`` for Markdown narrative).
    """

    def sub(m: re.Match) -> str:
        row = inputs.row(m.group(1))
        if m.group(2):
            return escape(labels.value_text(row["value"], row["unit"], lang))
        return escape(labels.prose_quantity(row["value"], row["unit"], None, lang))

    return PLACEHOLDER.sub(sub, text)


def caption(fig_id: str, inputs: Inputs, lang: str) -> str:
    """The figure's caption in ``lang`` with its data placeholders filled in."""
    return fill_text(get(fig_id).caption[lang], inputs, lang)


#: a fact for the alt text: a category code (-> its label), a year (int), a :class:`Text` or
#: :class:`Word`, or ``(value, unit)`` / ``(value, unit, decimals)`` (-> "13,6 mrd. kr"; unit
#: None -> the number alone)
Fact = Any


class Text(dict):
    """A fact that is already reader text, per language (``Text(nb=..., en=...)``)."""


class Word(str):
    """A fact that is one of the figure's own words (``words`` in its chapter YAML)."""


def fact_text(value: Fact, lang: str, spec: Figure | None = None) -> str:
    """One alt-text fact in the reader's words and number format."""
    if isinstance(value, Word):
        if spec is None or str(value) not in spec.words:
            raise ValueError(f"no figure word {str(value)!r}")
        return spec.words[str(value)][lang]
    if isinstance(value, tuple):
        number, unit = value[0], value[1]
        decimals = value[2] if len(value) > 2 else None
        if unit is None:
            return labels.number(float(number), decimals, lang)
        return labels.quantity(float(number), unit, decimals, lang)
    if isinstance(value, bool):
        raise TypeError("a fact is a code, a year, a text or (value, unit)")
    if isinstance(value, int):
        return labels.value_text(value, "year", lang)
    if isinstance(value, Text):
        return value[lang]
    return labels.label(str(value), lang)


def alt_text(fig_id: str, data: pd.DataFrame, lang: str) -> str:
    """The figure's message in one or two sentences with its key numbers, from the plotted data.

    The template is the figure's ``alt`` in its chapter YAML; ``{name}`` is the fact of that
    name returned by the figure's facts function.
    """
    spec = get(fig_id)
    facts = {k: fact_text(v, lang, spec) for k, v in spec.facts(data).items()}
    try:
        return spec.alt[lang].format_map(facts)
    except KeyError as exc:
        raise ValueError(f"figure {fig_id}: alt text ({lang}) names {exc} but the facts are {sorted(facts)}") from None


# --------------------------------------------------------------------------- drawing


class Drawing:
    """What a plot function gets besides the data and the axes: the language, the figure's words,
    the palette, and :meth:`mark` to give a plotted mark its tooltip."""

    def __init__(self, spec: Figure, lang: str, inputs: Inputs | None = None):
        self.spec = spec
        self.lang = lang
        self.inputs = inputs
        self.tooltips: dict[str, str] = {}  # gid -> tooltip text
        self.categories: dict[str, str] = {}  # gid -> palette category of the mark
        self._cited = ""  # the figure's own citation, once asked for

    def word(self, key: str) -> str:
        """A figure-specific word from the chapter YAML (``words``), else the report vocabulary."""
        if key in self.spec.words:
            return self.spec.words[key][self.lang]
        return labels.word(key, self.lang)

    @staticmethod
    def style(category: str) -> palette.Style:
        """The palette style of a category (one per category across all figures)."""
        return palette.style(category)

    @staticmethod
    def style_series(i: int) -> palette.Style:
        """The style of the ``i``-th member of an ordered series without category codes."""
        return palette.series(i)

    def cite(self, source_id: str | None = None) -> str:
        """A data row's source as a reader cites it ("Statistisk sentralbyrå (2019)", the label the
        page's prose and sources appendix use); without an id, the document the figure re-renders."""
        if self.inputs is None:
            raise ValueError(f"figure {self.spec.id}: citing a source needs the data version's inputs")
        if source_id:
            return labels.cite(self.inputs.sources, [source_id], self.lang)
        if not self._cited:  # every mark of the figure cites it
            self._cited = source_citation(self.spec.id, self.inputs, self.lang)
        return self._cited

    def mark(self, artist: Artist, text: str, *, category: str | None = None, source: str | None = None) -> Artist:
        """Give ``artist`` (a bar, point set, line or band) an SVG tooltip: ``text`` (what and the
        value with its unit) and its source; remember its palette category for the tests."""
        gid = f"{self.spec.id}-m{len(self.tooltips) + 1}"
        artist.set_gid(gid)
        src = source or self.cite()
        self.tooltips[gid] = f"{text}. {labels.word('source', self.lang)}: {src}"
        if category is not None:
            self.categories[gid] = category
        return artist

    def value(self, value: float, unit: str, decimals: int | None = None) -> str:
        return labels.quantity(float(value), unit, decimals, self.lang)


#: Agg renderers by (thread, width, height, dpi): the figures of one size that a thread draws share
#: one pixel buffer and, with it, matplotlib's text-metrics cache (which is kept per renderer), so
#: a tick label or legend word measured for one figure is not measured again for the next.
_RENDERERS: dict[tuple, Any] = {}


#: a font's ascent, descent and line gap in pixels by (font properties, dpi): what matplotlib's
#: text layout reads from the font's tables for every text it measures (see :class:`_FontHeights`)
_FONT_HEIGHTS: dict[tuple, tuple[float, float, float]] = {}


class _FontHeights:
    """Renderer mixin: the font-wide height metrics of the text layout, computed once per font.

    matplotlib's ``Text._get_layout`` asks a renderer for them through ``_get_font_height_metrics``
    and otherwise reads the same two font tables for every text it measures (a few thousand times
    per run); this gives the numbers it would compute (``OS/2``, else ``hhea``, scaled by the font
    size and ``self.dpi``, which is the figure's here), cached."""

    dpi: float

    def _get_font_height_metrics(self, prop: Any) -> tuple[float, float, float] | tuple[None, None, None]:
        key = (prop.copy(), self.dpi)  # a copy: font properties hash by their (mutable) state
        if key not in _FONT_HEIGHTS:
            from matplotlib.font_manager import fontManager, get_font

            font: Any = get_font(fontManager._find_fonts_by_props(prop))
            table, names = font.get_sfnt_table("OS/2"), ("sTypoAscender", "sTypoDescender", "sTypoLineGap")
            if table is None:
                table, names = font.get_sfnt_table("hhea"), ("ascent", "descent", "lineGap")
            if table is None:
                return None, None, None  # matplotlib measures the text instead
            scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
            ascent, descent, gap = (table[n] * scale for n in names)
            _FONT_HEIGHTS[key] = (ascent, -descent, gap)
        return _FONT_HEIGHTS[key]


@functools.cache
def _canvas_class() -> type[FigureCanvasAgg]:
    import threading

    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

    class Agg(_FontHeights, RendererAgg):
        """The Agg renderer, font heights cached (:class:`_FontHeights`)."""

    class SharedRendererCanvas(FigureCanvasAgg):
        """An Agg canvas drawing into its thread's renderer of the figure's size (see
        :data:`_RENDERERS`). Every draw clears the buffer first and saving a PNG draws right before
        it reads the pixels, so figures drawn one after the other give the same bytes as with a
        renderer each."""

        def get_renderer(self) -> RendererAgg:
            w, h = self.get_width_height(physical=True)
            key = (threading.get_ident(), w, h, self.figure.dpi)
            if key not in _RENDERERS:
                _RENDERERS[key] = Agg(w, h, self.figure.dpi)
            self.renderer, self._lastKey = _RENDERERS[key], key[1:]  # type: ignore[assignment]  # stub: _lastKey is None
            return self.renderer

    return SharedRendererCanvas


@functools.cache
def _figure_class() -> type[MplFigure]:
    from matplotlib.figure import Figure as MplFigure

    class Drawn(MplFigure):
        """A rendered register figure; ``drawing`` holds its tooltips."""

        drawing: Drawing

    return Drawn


def figure_data(fig_id: str, inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """The tidy numbers a figure plots (what the CSV export writes, without the source columns)."""
    return get(fig_id).data(inputs, scenario)


def render(fig_id: str, inputs: Inputs, scenario: Scenario, lang: str | None = None,
           data: pd.DataFrame | None = None) -> tuple[MplFigure, pd.DataFrame]:
    """Draw one figure; return ``(matplotlib Figure, plotted data)``. No pyplot state is touched.

    The constrained layout runs once here and is then frozen, so that writing PNG and SVG does
    not lay the figure out again for each format. The layout measures the text with the same Agg
    renderer that later draws the PNG (shared by the figures of this size, see :data:`_RENDERERS`),
    so the PNG reuses those text metrics, and it runs without the full no-op draw of
    ``draw_without_rendering``.
    """
    import matplotlib

    spec = get(fig_id)
    lang = labels.check_lang(lang or scenario.lang)
    if data is None:
        data = spec.data(inputs, scenario)
    drawing = Drawing(spec, lang, inputs)
    with matplotlib.rc_context(RC):
        fig: Any = _figure_class()(figsize=SIZE, layout="constrained")  # a Drawn figure: it carries .drawing
        _canvas_class()(fig)
        fig.drawing = drawing
        ax = fig.add_subplot()
        spec.plot(data, ax, drawing)
        title = ax.set_title(spec.title[lang])
        fig.get_layout_engine().execute(fig)
        # no engine at all (not 'none', a placeholder engine): savefig then skips its own layout draw
        fig.set_layout_engine(None)
        # Where the layout left the title and the axis labels, fixed, so that the PNG and SVG draws
        # need not measure the tick labels again to work that out: the title when it sits right on
        # the axes (y = 1, no y offset text; the attribute table's sits above its top tick labels),
        # each axis label in axes coordinates (the SVG, drawn at 72 dpi, then has it where the PNG
        # has it; matplotlib would place it again from the SVG's own text measurements).
        if title.get_position()[1] == 1.0 and not ax.yaxis.offsetText.get_text():
            ax.set_title(spec.title[lang], y=1.0)
        renderer = fig.canvas.get_renderer()
        for axis in (ax.xaxis, ax.yaxis):
            axis.get_tightbbox(renderer)  # places the label beside the tick labels, axes where they end up
            label = axis.label
            axis.set_label_coords(*ax.transAxes.inverted().transform(label.get_transform().transform(label.get_position())))
    return fig, data


_GROUP = re.compile(r'<g id="([^"]+)"[^>]*>')


def _svg_with_tooltips(svg: str, tooltips: Mapping[str, str]) -> str:
    """Insert ``<title>`` as the first child of each marked group (a native tooltip, no script);
    the tooltip text is escaped by the one escaper of reader markup (:func:`markup.html`)."""

    def add(m: re.Match) -> str:
        tip = tooltips.get(m.group(1))
        return m.group(0) if tip is None else f"{m.group(0)}\n   <title>{markup.html(tip)}</title>"

    return _GROUP.sub(add, svg)


def to_bytes(fig: MplFigure, fmt: str) -> bytes:
    """PNG or SVG bytes, identical for identical figures (no dates, salted SVG ids).

    The SVG keeps its text as text and carries a ``<title>`` tooltip on every marked artist.
    """
    import matplotlib

    if fmt == "png":
        return _png(fig)
    if fmt == "svg" and fig.get_layout_engine() is None:  # laid out once and frozen (render)
        svg = _svg(fig)
    else:  # savefig lays a figure with a layout engine out first
        buf = io.BytesIO()
        with matplotlib.rc_context(RC):
            fig.savefig(buf, format=fmt, dpi=DPI, metadata={"Date": None})
        if fmt != "svg":
            return buf.getvalue()
        svg = buf.getvalue().decode("utf-8")
    drawing = getattr(fig, "drawing", None)
    if drawing is not None:
        svg = _svg_with_tooltips(svg, drawing.tooltips)
    return svg.encode("utf-8")


#: SVG text measurements by (text, font properties, math mode): they depend on nothing else
#: (matplotlib measures SVG text from the font's outlines at a fixed size), and matplotlib's own
#: cache is kept per renderer, which is new for every SVG
_SVG_METRICS: dict[tuple, tuple[float, float, float]] = {}


@functools.cache
def _svg_renderer_class() -> type:
    from matplotlib.backends.backend_svg import RendererSVG

    class MeasuredSVG(_FontHeights, RendererSVG):
        """The SVG renderer, its text measured once per process (:data:`_SVG_METRICS`)."""

        dpi = 72  # the figure's dpi while an SVG is drawn (:func:`_svg`), for the font heights

        def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
            key = (s, prop.copy(), ismath)  # a copy: matplotlib's font properties hash by their (mutable) state
            if key not in _SVG_METRICS:
                _SVG_METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
            return _SVG_METRICS[key]

    return MeasuredSVG


def _svg(fig: Any) -> str:
    """The figure as SVG text: what ``savefig(format="svg", dpi=DPI, metadata={"Date": None})``
    writes (matplotlib's ``print_svg``: the figure drawn at 72 dpi, images at :data:`DPI`),
    without savefig's canvas switch and with text measurements shared between figures."""
    import matplotlib
    from matplotlib.backends.backend_mixed import MixedModeRenderer

    buf = io.StringIO()
    width, height = fig.get_size_inches()
    dpi = fig.dpi
    with matplotlib.rc_context(RC):
        fig.dpi = 72
        try:
            renderer = MixedModeRenderer(fig, width, height, DPI,
                                         _svg_renderer_class()(width * 72, height * 72, buf, image_dpi=DPI, metadata={"Date": None}))
            fig.draw(renderer)
            renderer.finalize()
        finally:
            fig.dpi = dpi
    return buf.getvalue()


def _png(fig: Any) -> bytes:  # a figure on an Agg canvas (buffer_rgba)
    """The figure drawn by Agg at :data:`DPI` and encoded as PNG (no metadata but the dpi): what
    ``savefig(format="png")`` gives, as RGB instead of RGBA when every pixel is opaque (the
    report figures' white background), which is the same picture in fewer bytes and less time."""
    import matplotlib
    import numpy as np
    from PIL import Image

    if fig.dpi != DPI:
        fig.set_dpi(DPI)
    with matplotlib.rc_context(RC):
        fig.canvas.draw()
    size, pixels = fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba()
    if np.asarray(pixels)[..., 3].min() == 255:  # opaque: the colour channels alone
        image = Image.frombytes("RGB", size, pixels, "raw", "RGBX")
    else:
        image = Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESSION)
    return buf.getvalue()


_ID = re.compile(r'\bid="([^"]+)"')


def svg_inline(fig: MplFigure, prefix: str) -> str:
    """The SVG as an element for an HTML page: no XML prologue, every id prefixed with ``prefix``
    (so several figures on one page keep unique ids), the figure's title as the SVG's label."""
    svg = to_bytes(fig, "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(2)), svg)
    return svg.strip() + "\n"


def to_csv(fig_id: str, data: pd.DataFrame, lang: str, inputs: Inputs) -> bytes:
    """The plotted numbers with their source: the tidy data plus the reader citation and locator."""
    spec = get(fig_id)
    out = data.assign(source=source_citation(fig_id, inputs, lang), locator=spec.source)
    return out.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def export(fig_id: str, inputs: Inputs, scenario: Scenario, lang: str | None = None) -> dict[str, bytes]:
    """One figure's downloads by extension (``png``, ``svg``, ``csv``): drawn once, saved once per format."""
    lang = labels.check_lang(lang or scenario.lang)
    fig, data = render(fig_id, inputs, scenario, lang)
    return {"png": to_bytes(fig, "png"), "svg": to_bytes(fig, "svg"), "csv": to_csv(fig_id, data, lang, inputs)}


def _write(out_dir: Path, fig_id: str, files: Mapping[str, bytes]) -> list[Path]:
    """Write a figure's files (``<id>.<ext>``, atomically); return their paths."""
    from ehelse_market.files import atomic_write

    return [atomic_write(Path(out_dir) / f"{fig_id}.{ext}", content) for ext, content in files.items()]


def write_figure(out_dir: Path, fig_id: str, inputs: Inputs, scenario: Scenario, lang: str | None = None) -> list[Path]:
    """Write one figure as ``<id>.png``, ``<id>.svg`` (tooltips) and ``<id>.csv``; return the paths."""
    return _write(out_dir, fig_id, export(fig_id, inputs, scenario, lang))


# --------------------------------------------------------------------------- drawing in processes


class Drawers:
    """Forked processes that draw figures and write their PNG and SVG, started before the data is
    loaded (``ehelse-market figures``): the first imports matplotlib and loads the figures' font
    and number format (:func:`_warm`) while the parent loads the data and computes every figure's
    numbers and CSV (pandas only, :func:`write_all`), then forks the others, so that matplotlib is
    loaded once, beside the numbers rather than after them. The drawers take the figures one at a time
    from a shared counter, so a slow figure does not hold the others up; figures are independent,
    so the files are the same bytes as drawn one after the other.

    Use it as a context manager; leaving it with an error (in the data, Ctrl-C) stops the drawers.
    """

    def __init__(self, jobs: int, lang: str):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        receive_job, self._job = ctx.Pipe(duplex=False)
        self._done, send_done = ctx.Pipe(duplex=False)
        # not daemonic: it forks the other drawers itself
        self._first = ctx.Process(target=_first_drawer, args=(jobs, lang, receive_job, send_done), name="drawer-1")
        self._first.start()
        receive_job.close()  # the drawer's ends
        send_done.close()

    def start(self, out_dir: Path, ids: list[str], inputs: Inputs, scenario: Scenario, lang: str,
              data: Mapping[str, pd.DataFrame]) -> None:
        """Have the figures drawn from their numbers (``data``, figure id -> :func:`figure_data`)."""
        try:
            self._job.send((Path(out_dir), ids, inputs, scenario, lang, dict(data)))
        except OSError:  # the first drawer died (a broken pipe): :meth:`result` has nothing
            pass

    def result(self) -> dict[str, list[Path]]:
        """Wait for the drawers: figure id -> the paths written; a figure that failed (or that a
        drawer that died had taken) is missing."""
        try:
            done = self._done.recv()
        except EOFError:  # the first drawer died
            return {}
        return {fig_id: paths for fig_id, paths in done.items() if paths is not None}

    def __enter__(self) -> Drawers:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        self._job.close()  # a first drawer still waiting for figures ends
        if kind is not None:  # an error or Ctrl-C here: the drawers' work is not wanted
            self._first.terminate()
        self._first.join()
        self._done.close()


#: (out_dir, ids, inputs, scenario, lang, data, next index) of the figures being drawn, inherited
#: by the drawers the first one forks; the next index is a shared counter from which every drawer
#: takes its next figure
_SHARED: tuple | None = None


def _first_drawer(jobs: int, lang: str, receive_job: Any, send_done: Any) -> None:
    """The first drawer: load what drawing needs (:func:`_warm`), wait for the figures, fork the
    other ``jobs - 1`` drawers, draw with them and send the parent what was written."""
    import gc
    import multiprocessing

    global _SHARED
    try:
        _warm(lang)
        try:
            out_dir, ids, inputs, scenario, lang, data = receive_job.recv()
        except EOFError:  # the parent stopped before the figures (an error in the data)
            return
        gc.freeze()  # what every drawer shares is not walked by the collector, nor copied by its passes
        ctx = multiprocessing.get_context("fork")
        _SHARED = (out_dir, ids, inputs, scenario, lang, data, ctx.Value("i", 0))
        others = []
        for i in range(jobs - 1):
            receive, send = ctx.Pipe(duplex=False)
            other = ctx.Process(target=_other_drawer, args=(send,), daemon=True, name=f"drawer-{i + 2}")
            other.start()
            send.close()
            others.append((other, receive))
        done = _take_figures()
        for other, receive in others:
            try:
                done.update(receive.recv())
            except EOFError:  # a drawer died: the parent draws what it took
                pass
            other.join()
        send_done.send(done)
    except KeyboardInterrupt:  # Ctrl-C reaches every process: the parent reports it
        pass


def _other_drawer(send: Any) -> None:
    """Another drawer: draw until no figure is left, send the first drawer what was written."""
    try:
        send.send(_take_figures())
    except KeyboardInterrupt:
        pass


def _take_figures() -> dict[str, list[Path] | None]:
    """Draw figures and write their PNG and SVG until none is left; a figure that fails gives None
    here (the parent then draws it itself, so the error surfaces there as it would without
    drawers)."""
    assert _SHARED is not None
    out_dir, ids, inputs, scenario, lang, data, counter = _SHARED
    done: dict[str, list[Path] | None] = {}
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value += 1
        if i >= len(ids):
            return done
        try:
            fig, _ = render(ids[i], inputs, scenario, lang, data=data[ids[i]])
            done[ids[i]] = _write(out_dir, ids[i], {"png": to_bytes(fig, "png"), "svg": to_bytes(fig, "svg")})
        except Exception:  # noqa: BLE001 - re-raised by the parent's own attempt
            done[ids[i]] = None


def can_fork() -> bool:
    """True where worker processes can be forked (not on Windows)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _warm(lang: str = LANGS[0]) -> None:
    """Import what drawing and saving need, load the figures' font and the number format of
    ``lang``: done once by the first drawer before it forks the others, so that they inherit it
    rather than each loading it."""
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends import backend_svg  # noqa: F401  (imported for the SVG downloads)
    from PIL import Image

    register()
    _figure_class()
    _canvas_class()
    Image.preinit()  # the image formats Pillow loads on its first save
    labels.number(0.5, None, lang)  # the locale's data (Babel)
    with matplotlib.rc_context(RC):
        font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))


def write_all(out_dir: Path, inputs: Inputs, scenario: Scenario, lang: str | None = None, ids: Iterable[str] | None = None,
              jobs: int = 1, drawers: Drawers | None = None) -> list[Path]:
    """Write every (or the given) figure as PNG, SVG and CSV of plotted numbers; return the paths.

    With ``drawers`` (started before the data was loaded) or ``jobs`` > 1, this process computes
    every figure's numbers and CSV while the drawers (:class:`Drawers`) load matplotlib, then they
    draw and write the PNGs and SVGs, and this process writes each CSV beside its figure's
    pictures. A figure that fails in a drawer is drawn again here, so that its error surfaces and
    it leaves no file. Files are written atomically (temporary file, then rename).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lang = labels.check_lang(lang or scenario.lang)
    ids = list(ids or register())
    if drawers is None and (jobs < 2 or len(ids) < 2 or not can_fork()):
        return [path for fig_id in ids for path in write_figure(out_dir, fig_id, inputs, scenario, lang)]
    with contextlib.ExitStack() as stack:
        if drawers is None:
            drawers = stack.enter_context(Drawers(min(jobs, len(ids)), lang))
        data = {fig_id: figure_data(fig_id, inputs, scenario) for fig_id in ids}
        tables = {fig_id: to_csv(fig_id, data[fig_id], lang, inputs) for fig_id in ids}
        drawers.start(out_dir, ids, inputs, scenario, lang, data)
        drawn = drawers.result()
    written: list[Path] = []
    for fig_id in ids:
        if fig_id in drawn:  # its table is written with its pictures: a figure that fails leaves no file
            written += drawn[fig_id] + _write(out_dir, fig_id, {"csv": tables[fig_id]})
        else:
            written += write_figure(out_dir, fig_id, inputs, scenario, lang)
    return written
