"""The one path from data text to markup: HTML, Markdown and plot text.

Text that comes from data files, scenario files or case files is never markup. Every writer of a
reader page turns such text into markup here and nowhere else:

* :func:`html` escapes for HTML text and attribute values (a ``Markup`` passes through unchanged);
* :func:`md` escapes for Markdown (HTML-escaped, Markdown punctuation backslash-escaped, line
  breaks folded), :func:`md_code` makes a code span; both return :class:`Markdown`, text that is
  already safe Markdown (a notebook's own narrative, or text built by these functions);
* :func:`environment` gives Jinja environments that apply this escaping to every ``{{ value }}``:
  ``"html"`` (Jinja's autoescape) and ``"markdown"`` (every value through :func:`md` unless it is
  :class:`Markdown`), so a template cannot forget it;
* :data:`PLOT_RC` switches off matplotlib's mathtext (``$...$`` in a label would otherwise be
  parsed as TeX): every figure is drawn with it, so plotted data text is shown literally;
* :data:`CSP` is the Content-Security-Policy every reader page carries in a ``<meta>``: no script,
  no fetch, no frame; images only as ``data:`` URIs, styles only inline. A reader page needs none
  of what it forbids, so markup that slipped through still could not run.
"""

from __future__ import annotations

import re
from html import escape as _escape_text
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    import jinja2

#: Reader pages: nothing but inline styles and ``data:`` images (figures are embedded PNGs).
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: The ``<meta>`` element carrying :data:`CSP`; templates put it first in ``<head>``.
CSP_META = Markup(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">')

#: matplotlib settings under which every text is drawn literally (no ``$...$`` mathtext).
PLOT_RC = {"text.parse_math": False}


class Markdown(str):
    """Text that is already safe Markdown: written by a notebook author or built by :func:`md`."""

    __slots__ = ()


def text(value: Any) -> str:
    """Any value as plain text; missing values (None, NaN, pandas NA) become ""."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float) and value != value:
        return ""
    return str(value)


def html(value: Any) -> Markup:
    """``value`` as HTML text, safe in element content and in quoted attribute values."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(_escape_text(text(value), quote=True))


#: Markdown punctuation that can start markup anywhere in a line (CommonMark lets a backslash
#: escape any ASCII punctuation, so escaping more than needed is harmless).
_MD_INLINE = re.compile(r"([\\`*_\[\]|#~$])")
#: ... and what starts a block only at the beginning of a line: list items, headings, rules, quotes.
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def md(value: Any) -> Markdown:
    """``value`` as Markdown that renders as the same text: no HTML, link, emphasis, table cell
    break or block starts; line breaks become spaces (a value never spans lines)."""
    if isinstance(value, Markdown):
        return value
    s = _escape_text(text(value), quote=False)  # & < > -> entities: a Markdown renderer passes raw HTML through
    s = _MD_INLINE.sub(r"\\\1", " ".join(s.split()))
    s = _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), s)
    return Markdown(s)


def md_code(value: Any) -> Markdown:
    """``value`` as a Markdown code span (shown verbatim; backticks and line breaks removed)."""
    s = " ".join(text(value).replace("`", "'").split())
    return Markdown(f"`{s}`") if s else Markdown("")


def md_join(parts: list[Any], sep: str = " ") -> Markdown:
    """Join Markdown pieces, escaping every piece that is not already :class:`Markdown`."""
    return Markdown(sep.join(md(p) for p in parts))


def _finalize_markdown(value: Any) -> str:
    return md(value)


def environment(kind: str, loader: jinja2.BaseLoader | None = None, **options: Any) -> jinja2.Environment:
    """A Jinja environment rendering ``kind`` ("html" or "markdown") with every value escaped.

    In Markdown templates a value passes unescaped only if it is :class:`Markdown` (filters
    ``md`` and ``code`` make it so); in HTML templates only if it is a ``Markup``.
    """
    import jinja2

    options.setdefault("undefined", jinja2.StrictUndefined)
    options.setdefault("keep_trailing_newline", True)
    if kind == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, **options)
        env.globals["csp_meta"] = CSP_META
    elif kind == "markdown":
        env = jinja2.Environment(loader=loader, autoescape=False, finalize=_finalize_markdown, **options)
    else:
        raise ValueError(f"kind must be 'html' or 'markdown', not {kind!r}")
    env.filters["md"] = md
    env.filters["code"] = md_code
    return env
