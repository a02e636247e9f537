"""Class 1 of issue 13, at the unit level: data text never becomes markup.

The one escaping path (``publishing.markup``) is fuzzed against the Markdown renderer nbconvert
uses for reports, the Jinja environments built on it are checked to escape by default, and every
registered figure is drawn with TeX-like data labels (matplotlib would parse ``$...$``). The
end-to-end plant (markup in every text column, build everything) is in test_hostile_build.py.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehelse_market.publishing import markup

TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*>")
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "**bold** _em_ `code` # heading",
    "- item\n1. item\n> quote\n=====",
    "| a | b |\n|---|---|",
    "$\\frac{1}{0}$ and $$x$$",
    "&lt;script&gt; &#60;b&#62;",
    "line one\n\nline two",
]
#: Markdown punctuation and words of attacks, mixed with any character
TEXT = st.text(
    alphabet=st.sampled_from(list("<>&*_`[]()!#-+=.1 \n$~|\\:/ajvscript\"'{}@%;\t"))
    | st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=40,
)


def rendered(markdown_text: str) -> tuple[set[str], str]:
    """Tags and visible text of Markdown as nbconvert renders it in a report."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    out = markdown2html_mistune(markdown_text)
    return {m.group(2).lower() for m in TAG.finditer(out)}, html.unescape(TAG.sub("", out)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_md_renders_hostile_text_as_the_same_text(text):
    tags, visible = rendered(markup.md(text))
    assert tags <= {"p"}, tags
    assert visible == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_md_never_makes_markup(text):
    tags, visible = rendered(markup.md(text))
    assert tags <= {"p"}
    assert visible == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_html_escape_is_text_and_attribute_safe(text):
    escaped = str(markup.html(text))
    assert not set("<>\"'") & set(escaped)
    assert html.unescape(escaped) == text


def test_md_code_is_verbatim_code():
    tags, visible = rendered(markup.md_code("a_b `<script>`"))
    assert tags <= {"p", "code"} and visible == "a_b '<script>'"


def test_markdown_environment_escapes_every_value_unless_marked():
    env = markup.environment("markdown")
    out = env.from_string("# {{ t }}\n{{ safe }} {{ loc | code }}").render(
        t="<b>x</b> *y*", safe=markup.Markdown("**ok**"), loc="002_x.txt:1-2"
    )
    assert out == "# &lt;b&gt;x&lt;/b&gt; \\*y\\*\n**ok** `002_x.txt:1-2`"


def test_html_environment_escapes_and_offers_the_csp():
    env = markup.environment("html")
    out = env.from_string("<head>{{ csp_meta }}</head>{{ t }}").render(t="<script>")
    assert out == f"<head>{markup.CSP_META}</head>&lt;script&gt;"
    assert "default-src 'none'" in markup.CSP and "script-src" not in markup.CSP


def test_missing_values_are_empty_text():
    import pandas as pd

    assert [markup.text(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0)] == ["", "", "", "", "0"]


def test_every_figure_draws_tex_like_data_text_literally(monkeypatch):
    """A data label such as ``$\\nocommand$`` would make matplotlib's mathtext raise (or draw TeX):
    with PLOT_RC in every figure it is drawn as the characters it is."""
    from ehelse_market.inputs import load_inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import figures, labels

    planted = "$\\nocommand{x}$ <script>"
    real = labels.label
    monkeypatch.setattr(labels, "label", lambda code, lang="nb": planted + real(code, lang))
    inputs, scenario = load_inputs(), Scenario.baseline()
    for fig_id in figures.FIGURES:
        fig, _ = figures.render(fig_id, inputs, scenario, "nb")
        assert figures.to_bytes(fig, "png").startswith(b"\x89PNG")
        svg = figures.to_bytes(fig, "svg").decode("utf-8")
        assert "<script" not in svg and not re.search(r"\son[a-z]+\s*=", svg), fig_id  # SVG text is escaped XML
        texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
        assert not any(t.startswith("$") and not t.startswith(planted) for t in texts)


def test_the_figure_test_can_fail(monkeypatch):
    """Without PLOT_RC the planted label breaks drawing: the test above guards something real."""
    from ehelse_market.inputs import load_inputs
    from ehelse_market.inputs.scenario import Scenario
    from ehelse_market.publishing import figures, labels

    monkeypatch.setitem(figures.RC, "text.parse_math", True)
    monkeypatch.setattr(labels, "label", lambda code, lang="nb": "$\\nocommand{x}$")
    with pytest.raises(ValueError):  # render lays the figure out, which draws the text
        fig, _ = figures.render("000-figur-5", load_inputs(), Scenario.baseline(), "nb")
        figures.to_bytes(fig, "png")
