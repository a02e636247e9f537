"""The reader's page around an exported chapter: table of contents and the figures' downloads.

The builder (:mod:`report`) calls these on every executed notebook: :func:`take_downloads` lifts
each figure's CSV, SVG and PNG out of the display outputs (where :meth:`Chapter.show` put them)
so they are written as files beside the report, and :func:`insert_toc` puts a linked table of
contents of the page's h2/h3 headings after its title.
"""

from __future__ import annotations

import base64
import html
import re
from typing import TYPE_CHECKING, Any

from ehelse_market.publishing import labels
from ehelse_market.publishing.chapter import DOWNLOAD_META, KEY_FIGURES_META

if TYPE_CHECKING:
    from nbformat import NotebookNode

_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def take_downloads(nb: NotebookNode) -> tuple[dict[str, bytes], dict[str, Any]]:
    """``(files, summary)``: {relative path: bytes} of every figure's CSV, SVG and PNG in ``nb``'s
    outputs (the SVG and CSV copies are removed from the notebook; it keeps the PNG, which Jupyter
    shows), and the chapter's summary for the front page (:func:`summary`)."""
    files: dict[str, bytes] = {}
    figures_listed = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).pop(DOWNLOAD_META, None)
            if not meta:
                continue
            fig_id, folder = str(meta["id"]), str(meta["dir"])
            if not (_SAFE_NAME.match(fig_id) and _SAFE_NAME.match(folder)):
                raise ValueError(f"unsafe download name {folder!r}/{fig_id!r}")
            files[f"{folder}/{fig_id}.svg"] = meta["svg"].encode("utf-8")
            files[f"{folder}/{fig_id}.csv"] = meta["csv"].encode("utf-8")
            png = out.get("data", {}).get("image/png")
            if png:
                files[f"{folder}/{fig_id}.png"] = base64.b64decode(png)
            figures_listed.append({"ref": str(meta.get("ref", "")), "title": str(meta.get("title", "")),
                                   "files": {ext: f"{folder}/{fig_id}.{ext}" for ext in ("csv", "svg", "png")}})
    return dict(sorted(files.items())), {**summary(nb), "figures": figures_listed}


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def _text(markup: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def summary(nb: NotebookNode) -> dict[str, Any]:
    """What the front page says about a chapter: its opening paragraph (the title cell's text),
    its main finding (the first main point) and its key figures (:meth:`Chapter.key_figure`)."""
    lead = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            paras = [p.strip() for p in re.split(r"\n\s*\n", cell.source) if p.strip() and not p.lstrip().startswith("#")]
            lead = " ".join(paras[0].split()) if paras else ""
            break
    finding, key_figures = "", {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            key_figures.update(out.get("metadata", {}).get(KEY_FIGURES_META, {}))
            page_html = str(out.get("data", {}).get("text/html", ""))
            if not finding and 'class="main-points"' in page_html:
                items = _LIST_ITEM.findall(page_html)
                finding = _text(items[0]) if items else ""
    return {"lead": lead, "main_finding": finding, "key_figures": key_figures}


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h2 and h3 headings with an id, in page order."""
    out = []
    for level, ident, inner in _HEADING.findall(body):
        text = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        if text:
            out.append((int(level), ident, text))
    return out


def toc_html(body: str, lang: str) -> str:
    """A linked, nested list of the page's h2/h3 headings ("Innhold" / "Contents"); "" if none."""
    items = headings(body)
    if not items:
        return ""
    parts: list[str] = []
    open_sub = False
    for level, ident, text in items:
        link = f'<a href="#{html.escape(ident, quote=True)}">{html.escape(text)}</a>'
        if level == 3:
            if not parts:  # an h3 before any h2: list it at the top level
                parts.append(f"<li>{link}")
                continue
            if not open_sub:
                parts.append("<ul>")
                open_sub = True
            parts.append(f"<li>{link}</li>")
        else:
            if open_sub:
                parts.append("</ul>")
                open_sub = False
            if parts:
                parts.append("</li>")
            parts.append(f"<li>{link}")
    if open_sub:
        parts.append("</ul>")
    parts.append("</li>")
    word = html.escape(labels.word("contents", lang))
    return f'<nav class="toc" aria-label="{word}"><h2 class="toc-title">{word}</h2><ol>{"".join(parts)}</ol></nav>'


def insert_toc(body: str, lang: str) -> str:
    """``body`` with the table of contents after its first ``</h1>`` (or at the top)."""
    toc = toc_html(body, lang)
    if not toc:
        return body
    at = body.find("</h1>")
    if at < 0:
        return toc + body
    at += len("</h1>")
    return body[:at] + toc + body[at:]
